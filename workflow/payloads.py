"""Signal and update payloads read strictly, so that a malformed one gets a sentence.

Temporal's converter drops a signal whose payload does not fit the handler's type, silently,
and refuses such an update with "Failed decoding arguments", which tells the sender nothing.
The handlers therefore take whatever JSON arrived and read it here, by its dataclass
(`workflow.payload_shape`), saying in one sentence what was wrong and what to send when it does
not read: the first problem found, since a sender fixes one thing at a time. The dataclasses
built are the ones the converter built before, so recorded histories replay unchanged.
"""

from __future__ import annotations

from typing import Any, TypeVar

from temporalio.exceptions import ApplicationError

from workflow.models import (
    Reassignment,
    RegistrationRetry,
    ReviewDecision,
    Submission,
    Withdrawal,
)
from workflow.payload_shape import (
    built,
    field_names,
    loosened,
    required_fields,
    structure_problems,
    value_problems,
)
from workflow.policy_contract import ReviewOverride

_T = TypeVar("_T")

_DECISION_USAGE = (
    'send {"stage": "Review1.a", "reviewer": "alice@example.com", "submission_version": 1,'
    ' "approved": true}'
)
_REASSIGNMENT_USAGE = (
    'send {"seat": "reviewer_a", "reviewer": "erin@example.com", "requested_by":'
    ' "owner@example.com", "reason": "on leave"}'
)
_WITHDRAWAL_USAGE = 'send {"requested_by": "owner@example.com", "reason": "no longer needed"}'
_REGISTRATION_RETRY_USAGE = 'send {"requested_by": "admin@example.com"}'
_OVERRIDE_USAGE = (
    'send {"stage": "Review2", "requested_by": "admin@example.com", "reason": "INC-4711"}'
    ' (or "stage": null for the whole review)'
)
# The CLI examples call a decision's reason a comment; both mean the same to the submitter.
_DECISION_REASON_ALIAS = "comment"


def parse_decision(payload: Any, *, strict: bool = True) -> ReviewDecision | str:
    """The decision, or a sentence saying why the payload is not one."""
    if isinstance(payload, dict) and _DECISION_REASON_ALIAS in payload:
        payload = dict(payload)
        comment = payload.pop(_DECISION_REASON_ALIAS)
        if not payload.get("reason"):
            payload["reason"] = comment
    return read_payload(ReviewDecision, payload, _DECISION_USAGE, strict=strict)


def parse_submission(payload: Any, *, strict: bool = True) -> Submission | str:
    """The submission, or a sentence saying why the payload is not one (its values included:
    `Submission.problems`)."""
    submission = read_payload(Submission, payload, None, strict=strict)
    if isinstance(submission, str):
        return submission
    if problems := submission.problems():
        return "; ".join(problems) + "."
    return submission


def parse_reassignment(payload: Any, *, strict: bool = True) -> Reassignment | str:
    """The reassignment, or a sentence saying why the payload is not one (the values
    themselves are checked by `reassignment_rules`)."""
    return read_payload(Reassignment, payload, _REASSIGNMENT_USAGE, strict=strict)


def parse_withdrawal(payload: Any, *, strict: bool = True) -> Withdrawal | str:
    """The withdrawal, or a sentence saying why the payload is not one (the values themselves
    are checked by `withdrawal`)."""
    return read_payload(Withdrawal, payload, _WITHDRAWAL_USAGE, strict=strict)


def parse_registration_retry(payload: Any, *, strict: bool = True) -> RegistrationRetry | str:
    """The retry request, or a sentence saying why the payload is not one (who may ask is the
    bot's check; the value itself is checked by `approval_registration`)."""
    return read_payload(RegistrationRetry, payload, _REGISTRATION_RETRY_USAGE, strict=strict)


def parse_override(payload: Any, *, strict: bool = True) -> ReviewOverride | str:
    """The override, or a sentence saying why the payload is not one (the values themselves
    are checked by `overrides`)."""
    return read_payload(ReviewOverride, payload, _OVERRIDE_USAGE, strict=strict)


def read_payload(
    cls: type[_T], payload: Any, usage: str | None, *, strict: bool = True
) -> _T | str:
    """The payload as a `cls`, or a sentence about its first problem. `usage` (what to send)
    follows a payload of the wrong structure; without it, the fields are named instead.
    `strict` False: as reviews started before strict reading read it (`loosened`)."""
    if isinstance(payload, dict) and not strict:
        payload = loosened(cls, payload)
    if not isinstance(payload, dict):
        if usage is None:
            return f"the payload must be a JSON object with {', '.join(required_fields(cls))}."
        return f"the payload must be a JSON object: {usage}."
    if structure := structure_problems(cls, payload, "the payload"):
        problem = structure[0]
        if usage is not None:
            return f"{problem}: {usage}."
        if problem.startswith("the payload lacks"):
            return f"{problem}."
        return f"{problem}: its fields are {', '.join(field_names(cls))}."
    if problems := value_problems(cls, payload):
        return f"{problems[0]}."
    return built(cls, payload)


def readable(parsed: _T | str, what: str, error_type: str) -> _T:
    """The payload read, or an update's refusal saying what was wrong with it and what to
    send (`what`: "decision", "submission"…)."""
    if isinstance(parsed, str):
        raise ApplicationError(
            f"The {what} was not read, so nothing changed: {parsed}",
            type=error_type,
            non_retryable=True,
        )
    return parsed
