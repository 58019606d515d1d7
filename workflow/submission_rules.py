"""Which `submit_schema` versions a running review takes (spec, semantics 7).

Pure: each rule reads the review's record and returns the sentence the history shows when the
version is ignored. Who may submit (the owner or an admin) is the bot's check: the workflow does
not know the admins.
"""

from __future__ import annotations

from workflow.models import Submission
from workflow.review_record import ReviewRecord


def submission_refusal(submission: Submission, record: ReviewRecord) -> str | None:
    """Why the review does not take this version, or None when it does."""
    if record.state == "approved":
        return f"this review is closed: version {record.version} was approved."
    if (unregistered := not_registered_refusal(record)) is not None:
        return unregistered
    if record.withdrawal is not None:
        return "this review was withdrawn; submit it again in a moment to start a new review."
    if submission.schema_id != record.submission.schema_id:
        return f"this review is for {record.submission.schema_id}, not {submission.schema_id}."
    if submission.version <= record.version:
        return (
            f"it is not higher than the current version {record.version}; submit a higher version."
        )
    return None


def reviewer_refusal(submission: Submission, record: ReviewRecord) -> str | None:
    """Why a reviewer of this review may not submit its next version, or None when the
    submitter holds no seat: they would then review their own schema."""
    held = record.stages_held_by(submission.submitted_by)
    if not held:
        return None
    return (
        f"{submission.submitted_by} reviews it ({', '.join(held)}), and the submitter may not"
        f" review their own schema. Ask {record.owner} or an admin who is not a reviewer to"
        " submit it."
    )


def not_registered_refusal(record: ReviewRecord) -> str | None:
    """While the approved version is not in the schema registry, the review stays open for it:
    a new version would start the next review on top of a version producers cannot read."""
    if record.state != "approved_not_registered":
        return None
    return (
        f"version {record.version} was approved but is not registered in the schema registry"
        f" ({(record.registry_problem or 'the registry refused it').rstrip('.')}). Ask the owner"
        " or an admin to retry the registration (Retry registration in /schema-status) or to"
        " withdraw the review, then submit the new version."
    )
