"""Which absences the `people_away` workflow takes: pure, so the bot can say the same sentence
before it sends one, and the workflow's validators refuse what slips through."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from workflow.away_contract import Absence, AwayClear
from workflow.models import EMAIL_PATTERN, same_person


def key_of(email: str) -> str:
    return email.strip().lower()


def absence_problem(absence: Absence, absences: Mapping[str, Absence], now: datetime) -> str | None:
    """Why this absence is refused, as a sentence saying what to do, or None."""
    for name in ("person", "delegate", "set_by"):
        value = getattr(absence, name)
        if not isinstance(value, str) or not EMAIL_PATTERN.match(value):
            return f"{name} must be an email address, not {value!r}."
    try:
        date.fromisoformat(absence.until)
        back_at = datetime.fromisoformat(absence.back_at)
    except (TypeError, ValueError):
        return (
            f"until must be a date such as 2026-12-24 and back_at a moment in ISO 8601, not"
            f" {absence.until!r} and {absence.back_at!r}."
        )
    if back_at.tzinfo is None:
        return f"back_at must say its UTC offset, e.g. {absence.until}T00:00:00+00:00."
    if back_at <= now:
        return f"{absence.until} has passed already: give a date in the future."
    if same_person(absence.person, absence.delegate):
        return "You cannot stand in for yourself: name someone else to decide for you."
    delegate_away = absences.get(key_of(absence.delegate))
    if delegate_away is not None and datetime.fromisoformat(delegate_away.back_at) > now:
        return (
            f"{absence.delegate} is away too (until {delegate_away.until}): name someone who is"
            " here."
        )
    standing_in = [
        a.person
        for a in absences.values()
        if same_person(a.delegate, absence.person) and not same_person(a.person, absence.person)
    ]
    if standing_in:
        return (
            f"{absence.person} decides for {', '.join(standing_in)}, who is away: they must"
            " name another delegate first."
        )
    return None


def clear_problem(request: AwayClear, absences: Mapping[str, Absence]) -> str | None:
    if key_of(request.person) not in absences:
        return f"{request.person} is not marked away, so there is nothing to end."
    return None
