"""The workflow's start input, read leniently, so that a malformed one fails the review clearly.

Were the run method typed `ReviewInput`, an input that does not decode (no `reviewers`, a
version given as "1") would fail the first workflow task over and over: the review would stay
Running, doing nothing and answering no query. Taking the JSON as it arrived and checking it
here lets the workflow fail at once with a sentence that says what was wrong. The payload is
the same JSON as before, so recorded histories replay unchanged.
"""

from __future__ import annotations

from typing import Any

from temporalio.converter import value_to_type
from temporalio.exceptions import ApplicationError

from workflow.models import EMAIL_PATTERN, ReviewInput, same_person

INVALID_REVIEW_INPUT = "InvalidReviewInput"

# The contract's example input (docs/workflow.md), for the message of a malformed one.
EXPECTED_INPUT = (
    '{"submission": {"schema_id": "inventory-service", "version": 1, "description": "Initial'
    ' schema", "content_uri": "https://example.com/schemas/inventory-v1.json", "submitted_by":'
    ' "owner@example.com"}, "reviewers": {"reviewer_a": "alice@example.com", "reviewer_b":'
    ' "bob@example.com", "senior_reviewer": "carol@example.com", "compliance_reviewer":'
    ' "dave@example.com"}}'
)

_TEXT = "a string"
_WHOLE_NUMBER = "a whole number"
_NUMBER = "a number"

_SUBMISSION_FIELDS = {
    "schema_id": _TEXT,
    "version": _WHOLE_NUMBER,
    "description": _TEXT,
    "content_uri": _TEXT,
    "submitted_by": _TEXT,
}
_REVIEWER_FIELDS = {
    "reviewer_a": _TEXT,
    "reviewer_b": _TEXT,
    "senior_reviewer": _TEXT,
    "compliance_reviewer": _TEXT,
}
_REMINDER_FIELDS = {
    "first_after_seconds": _NUMBER,
    "then_every_seconds": _NUMBER,
    "max_reminders": _WHOLE_NUMBER,
}
_OPTIONAL_FIELDS = {
    "review_channel": _TEXT,
    "owner": _TEXT,
    "continue_as_new_after_rounds": _WHOLE_NUMBER,
}


def parse_review_input(raw: Any) -> ReviewInput | list[str]:
    """The input, or what is wrong with its shape (sentence fragments). Whether its values make
    a review (emails, the roster's rules) is `ReviewInput`'s own check, made afterwards."""
    if not isinstance(raw, dict):
        return [f"the input must be a JSON object, not {_json_kind(raw)}"]
    problems = _object_problems(raw, "submission", _SUBMISSION_FIELDS)
    problems += _object_problems(raw, "reviewers", _REVIEWER_FIELDS)
    if raw.get("reminders") is not None:
        problems += _object_problems(raw, "reminders", _REMINDER_FIELDS)
    for name, kind in _OPTIONAL_FIELDS.items():
        value = raw.get(name)
        if value is not None and not _is(kind, value):
            problems.append(f"{name} must be {kind} or null, not {value!r}")
    carried = raw.get("carried")
    if carried is not None and not isinstance(carried, dict):
        problems.append(f"carried must be a JSON object or null, not {_json_kind(carried)}")
    if problems:
        return problems
    try:
        return value_to_type(ReviewInput, raw)
    except (TypeError, ValueError, KeyError) as error:
        return [f"the input does not have the expected shape ({error})"]


def _object_problems(raw: dict[str, Any], name: str, fields: dict[str, str]) -> list[str]:
    if name not in raw:
        return [f"the input lacks {name}"]
    value = raw[name]
    if not isinstance(value, dict):
        return [f"{name} must be a JSON object, not {_json_kind(value)}"]
    missing = [field for field in fields if field not in value]
    if missing:
        return [f"{name} lacks {', '.join(missing)}"]
    return [
        f"{name}.{field} must be {kind}, not {value[field]!r}"
        for field, kind in fields.items()
        if not _is(kind, value[field])
    ]


def _is(kind: str, value: Any) -> bool:
    if kind == _TEXT:
        return isinstance(value, str)
    if isinstance(value, bool):
        return False
    if kind == _WHOLE_NUMBER:
        return isinstance(value, int)
    return isinstance(value, int | float)


def _json_kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the string {value!r}"
    return repr(value)


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
    if not problems:
        return None
    return _invalid(
        "The review cannot start: " + "; ".join(problems) + ". Fix the input and start the review"
        " again."
    )


def _invalid(message: str) -> ApplicationError:
    return ApplicationError(message, type=INVALID_REVIEW_INPUT, non_retryable=True)
