"""The `submit_schema_version` update: a new version handed to a review with an answer.

The `submit_schema` signal notes an ignored version in the history and says nothing to the
sender; this update's validator refuses it with the same sentence (`submission_rules`), so the
person submitting learns at once what the review did. Sent with update-with-start, it also
starts the review when none runs: the run then begins with this very submission, which the
update reports as "under review".
"""

from __future__ import annotations

from temporalio.exceptions import ApplicationError

from workflow.models import (
    REVIEW_FINISHING,
    SUBMISSION_REFUSED,
    ReviewInput,
    Submission,
    SubmissionOutcome,
)
from workflow.review_input import new_review_refusal
from workflow.review_record import ReviewRecord
from workflow.submission_rules import (
    not_registered_refusal,
    reviewer_refusal,
    submission_refusal,
)


def submission_update_refusal(
    submission: Submission,
    review: ReviewInput,
    record: ReviewRecord,
    *,
    approved_first: bool = True,
) -> ApplicationError | None:
    """Why the review does not take this version (a sentence for the submitter), or None.

    `approved_first=False` is the order updates were answered in before: a repeat of the
    approved version was "under review". Only the handler's re-check replaying such an update
    asks for it; the validator, which refuses first, always answers with the approval."""
    schema, version = submission.schema_id, submission.version
    if problems := submission.problems():
        return _refused(
            f"Version {version} of {schema} is not a valid submission: " + "; ".join(problems) + "."
        )
    if approved_first and record.state == "approved" and submission == record.submission:
        return _refused(
            f"Version {version} of {schema} is already approved; its review is finishing."
            " Submit a higher version for the next review."
        )
    if (unregistered := not_registered_refusal(record)) is not None:
        return _refused(f"Version {version} of {schema} was not taken: {unregistered}")
    if submission == record.submission:
        # The review runs on this version already (it started with it); nothing to take.
        if review.carried is None and (refused := new_review_refusal(review)) is not None:
            return _refused(refused.message)
        return None
    if record.state == "approved":
        return ApplicationError(
            f"Version {version} of {schema} was not taken: version {record.version} was just"
            " approved and its review is finishing. Submit it again in a moment: it will then"
            " start a new review.",
            type=REVIEW_FINISHING,
            non_retryable=True,
        )
    reason = submission_refusal(submission, record) or reviewer_refusal(submission, record)
    if reason is not None:
        return _refused(f"Version {version} of {schema} was not taken: {reason}")
    return None


def under_review(submission: Submission) -> SubmissionOutcome:
    return SubmissionOutcome(
        kind="under_review",
        version=submission.version,
        message=f"Version {submission.version} of {submission.schema_id} is under review.",
    )


def superseding(submission: Submission, previous: int) -> SubmissionOutcome:
    return SubmissionOutcome(
        kind="new_version",
        version=submission.version,
        previous_version=previous,
        message=(
            f"Version {submission.version} of {submission.schema_id} went to the running review;"
            f" it supersedes version {previous}."
        ),
    )


def _refused(message: str) -> ApplicationError:
    return ApplicationError(message, type=SUBMISSION_REFUSED, non_retryable=True)
