"""Signal payloads read leniently, so that a malformed CLI payload becomes a history line.

Temporal's converter drops a signal whose payload does not fit the handler's type, silently.
The signal handlers therefore take whatever JSON arrived and turn it into the dataclass here,
saying in one sentence what was wrong when they cannot.
"""

from __future__ import annotations

from typing import Any

from workflow.models import ReviewDecision, Submission

_DECISION_USAGE = (
    'send {"stage": "Review1.a", "reviewer": "alice@example.com", "submission_version": 1,'
    ' "approved": true}'
)
_SUBMISSION_FIELDS = ("schema_id", "version", "description", "content_uri", "submitted_by")


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
    return ReviewDecision(
        stage=payload["stage"],
        reviewer=payload["reviewer"],
        submission_version=version,
        approved=payload["approved"],
        requires_additional_review=payload.get("requires_additional_review", False),
        reason=reason,
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
