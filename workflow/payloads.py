"""Signal and update payloads read leniently, so that a malformed one gets a sentence.

Temporal's converter drops a signal whose payload does not fit the handler's type, silently,
and refuses such an update with "Failed decoding arguments", which tells the sender nothing.
The handlers therefore take whatever JSON arrived and turn it into the dataclass here, saying
in one sentence what was wrong and what to send when they cannot. The dataclasses these build
are the ones the converter built before, so recorded histories replay unchanged.
"""

from __future__ import annotations

from typing import Any, TypeVar

from temporalio.exceptions import ApplicationError

from workflow.models import Reassignment, ReviewDecision, Submission, Withdrawal

_T = TypeVar("_T")

_DECISION_USAGE = (
    'send {"stage": "Review1.a", "reviewer": "alice@example.com", "submission_version": 1,'
    ' "approved": true}'
)
_SUBMISSION_FIELDS = ("schema_id", "version", "description", "content_uri", "submitted_by")
_REASSIGNMENT_USAGE = (
    'send {"seat": "reviewer_a", "reviewer": "erin@example.com", "requested_by":'
    ' "owner@example.com", "reason": "on leave"}'
)
_WITHDRAWAL_USAGE = 'send {"requested_by": "owner@example.com", "reason": "no longer needed"}'


def parse_decision(payload: Any) -> ReviewDecision | str:
    """The decision, or a sentence saying why the payload is not one."""
    if not isinstance(payload, dict):
        return f"the payload must be a JSON object: {_DECISION_USAGE}."
    missing = [
        name
        for name in ("stage", "reviewer", "submission_version", "approved")
        if name not in payload
    ]
    if missing:
        return f"the payload lacks {', '.join(missing)}: {_DECISION_USAGE}."
    for name in ("stage", "reviewer"):
        if not isinstance(payload[name], str):
            return f"{name} must be a string, not {payload[name]!r}."
    for name in ("approved", "requires_additional_review"):
        if name in payload and not isinstance(payload[name], bool):
            return f"{name} must be true or false, not {payload[name]!r}."
    version = payload["submission_version"]
    if not isinstance(version, int) or isinstance(version, bool):
        return f"submission_version must be a whole number, not {version!r}."
    # The CLI examples call it a comment or a reason; both mean the same to the submitter.
    reason = payload.get("reason") or payload.get("comment") or ""
    if not isinstance(reason, str):
        return f"reason must be a string, not {reason!r}."
    # Set by the bot (see `ReviewDecision.click_id`); absent from older payloads and the CLI.
    click_id = payload.get("click_id") or ""
    if not isinstance(click_id, str):
        return f"click_id must be a string, not {click_id!r}."
    return ReviewDecision(
        stage=payload["stage"],
        reviewer=payload["reviewer"],
        submission_version=version,
        approved=payload["approved"],
        requires_additional_review=payload.get("requires_additional_review", False),
        reason=reason,
        click_id=click_id,
    )


def parse_submission(payload: Any) -> Submission | str:
    """The submission, or a sentence saying why the payload is not one."""
    if not isinstance(payload, dict):
        return "the payload must be a JSON object with " + ", ".join(_SUBMISSION_FIELDS) + "."
    missing = [name for name in _SUBMISSION_FIELDS if name not in payload]
    if missing:
        return f"the payload lacks {', '.join(missing)}."
    for name in ("schema_id", "description", "content_uri", "submitted_by"):
        if not isinstance(payload[name], str):
            return f"{name} must be a string, not {payload[name]!r}."
    mode = payload.get("compatibility_mode")
    if mode is not None and not isinstance(mode, str):
        return f"compatibility_mode must be a string or null, not {mode!r}."
    submission = Submission(
        schema_id=payload["schema_id"],
        version=payload["version"],
        description=payload["description"],
        content_uri=payload["content_uri"],
        submitted_by=payload["submitted_by"],
        compatibility_mode=mode,
    )
    if problems := submission.problems():
        return "; ".join(problems) + "."
    return submission


def parse_reassignment(payload: Any) -> Reassignment | str:
    """The reassignment, or a sentence saying why the payload is not one (the values
    themselves are checked by `reassignment_rules`)."""
    fields = _object_with(payload, ("seat", "reviewer", "requested_by"), _REASSIGNMENT_USAGE)
    if isinstance(fields, str):
        return fields
    return Reassignment(
        seat=fields["seat"],
        reviewer=fields["reviewer"],
        requested_by=fields["requested_by"],
        reason=fields.get("reason", ""),
    )


def parse_withdrawal(payload: Any) -> Withdrawal | str:
    """The withdrawal, or a sentence saying why the payload is not one (the values themselves
    are checked by `withdrawal`)."""
    fields = _object_with(payload, ("requested_by",), _WITHDRAWAL_USAGE)
    if isinstance(fields, str):
        return fields
    return Withdrawal(requested_by=fields["requested_by"], reason=fields.get("reason", ""))


def _object_with(payload: Any, required: tuple[str, ...], usage: str) -> dict[str, Any] | str:
    if not isinstance(payload, dict):
        return f"the payload must be a JSON object: {usage}."
    if missing := [name for name in required if name not in payload]:
        return f"the payload lacks {', '.join(missing)}: {usage}."
    return payload


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
