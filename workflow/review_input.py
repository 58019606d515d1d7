"""The workflow's start input, read by the workflow, so that a malformed one fails the review
clearly.

Were the run method typed `ReviewInput`, an input that does not decode (no `reviewers`, a
version given as "1") would fail the first workflow task over and over: the review would stay
Running, doing nothing and answering no query. Taking the JSON as it arrived and checking it
here lets the workflow fail at once with a sentence that says what was wrong. The payload is
the same JSON as before, so recorded histories replay unchanged.
"""

from __future__ import annotations

from typing import Any

from temporalio.exceptions import ApplicationError

from workflow.models import EMAIL_PATTERN, ReviewInput, same_person
from workflow.payload_shape import built, json_kind, loosened, object_problems
from workflow.policy_checks import policy_problems

INVALID_REVIEW_INPUT = "InvalidReviewInput"

# The contract's example input (docs/workflow.md), for the message of a malformed one.
EXPECTED_INPUT = (
    '{"submission": {"schema_id": "inventory-service", "version": 1, "description": "Initial'
    ' schema", "content_uri": "https://example.com/schemas/inventory-v1.json", "submitted_by":'
    ' "owner@example.com"}, "reviewers": {"reviewer_a": "alice@example.com", "reviewer_b":'
    ' "bob@example.com", "senior_reviewer": "carol@example.com", "compliance_reviewer":'
    ' "dave@example.com"}}'
)


def parse_review_input(raw: Any, *, strict: bool = True) -> ReviewInput | list[str]:
    """The input, or what is wrong with its shape (sentence fragments), read strictly by its
    dataclass (`workflow.payload_shape`). Whether its values make a review (emails, the
    roster's rules) is `ReviewInput`'s own check, made afterwards. `strict` False: as reviews
    started before strict reading read it (`loosened`)."""
    if isinstance(raw, dict) and not strict:
        raw = loosened(ReviewInput, raw)
    if not isinstance(raw, dict):
        return [f"the input must be a JSON object, not {json_kind(raw)}"]
    if problems := object_problems(ReviewInput, raw, "the input", ""):
        return problems
    try:
        return built(ReviewInput, raw)
    except (TypeError, ValueError, KeyError) as error:
        # Only the carried state, which the workflow wrote itself, is left to the converter.
        return [f"the input does not have the expected shape ({error})"]


def malformed_input(problems: list[str]) -> ApplicationError:
    """The failure of a review whose input could not be read."""
    return _invalid(
        "The review cannot start: " + "; ".join(problems) + ". Start it again with an input"
        f" shaped like this (optional fields may follow): {EXPECTED_INPUT}"
    )


def new_review_refusal(review: ReviewInput) -> ApplicationError | None:
    """The failure of a new review whose input reads but cannot make a review, or None."""
    submitted_by = review.submission.submitted_by
    problems = review.submission.problems() + review.reviewers.problems(submitted_by)
    owner = review.owner
    if owner is not None and not EMAIL_PATTERN.match(owner):
        problems.append(f"owner must be an email address, not {owner!r}")
    elif owner is not None and not same_person(owner, submitted_by):
        problems += [p for p in review.reviewers.problems(owner) if p not in problems]
    if review.reminders is not None:
        problems += review.reminders.problems()
    if review.policy is not None:
        problems += policy_problems(review.policy, submitted_by)
    if not problems:
        return None
    return _invalid(
        "The review cannot start: " + "; ".join(problems) + ". Fix the input and start the review"
        " again."
    )


def _invalid(message: str) -> ApplicationError:
    return ApplicationError(message, type=INVALID_REVIEW_INPUT, non_retryable=True)
