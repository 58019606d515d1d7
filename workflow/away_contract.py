"""People away: the `people_away` workflow's names and payloads, and the stand-in a review
carries for a seat given to someone's delegate.

One long-running workflow (`PEOPLE_AWAY_WORKFLOW_ID`) holds who is away, until when, and who
decides for them: the bot's web processes and the workers share nothing but Temporal. See
docs/workflow.md, "People away".
"""

from __future__ import annotations

from dataclasses import dataclass, field

PEOPLE_AWAY_WORKFLOW_TYPE = "people_away"
PEOPLE_AWAY_WORKFLOW_ID = "people-away"
UPDATE_SET_AWAY = "set_away"
UPDATE_CLEAR_AWAY = "clear_away"
QUERY_ABSENCES = "absences"
# Why `set_away` or `clear_away` was refused (the ApplicationError type).
AWAY_REFUSED = "AwayRefused"


@dataclass
class StandIn:
    """In a review's input: `reviewer` decides in place of `standing_in_for`, who is away until
    `until` (a date, as the person gave it); their requests say so."""

    reviewer: str
    standing_in_for: str
    until: str


@dataclass
class HandedOver:
    """A seat of an open review given to the delegate when its holder went away, to give back
    when they return. `seat` is a roster seat ("senior_reviewer") or a pool's round
    ("Review1", with `replaces` the member)."""

    workflow_id: str
    seat: str
    reviewer: str
    returns_to: str
    replaces: str | None = None


@dataclass
class Absence:
    """The payload of `set_away`, and what `absences` lists: `person` is away until `until`
    (a date, e.g. "2026-12-24", through that day) and `delegate` decides for them meanwhile.
    `back_at` is the moment the day ends where the person is (ISO 8601 with its offset: UTC
    unless their Slack time zone is known); `set_by` who said so."""

    person: str
    until: str
    delegate: str
    back_at: str
    set_by: str
    # The open reviews' seats handed over; filled by the workflow, never by callers.
    handed_over: list[HandedOver] = field(default_factory=list)


@dataclass
class AwayClear:
    """The payload of `clear_away`: `person` is back (`/schema-away off`)."""

    person: str
    requested_by: str


@dataclass
class HandOver:
    """Input of the `hand_over_seats` activity: give `person`'s open seats to `delegate`."""

    person: str
    delegate: str
    until: str


@dataclass
class AwayState:
    """The `people_away` workflow's input: the absences carried across continue-as-new."""

    absences: list[Absence] = field(default_factory=list)
