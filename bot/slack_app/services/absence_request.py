"""Saying you are away, shared by `/schema-away` and App Home's "I'm away…" form: the absence
as the `people_away` workflow takes it (the date read in the person's Slack time zone), and
the sentence that confirms it."""

from __future__ import annotations

import logging
from datetime import date

from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.away_client import AWAY_CALL_SECONDS, back_at, set_away
from bot.slack_app.deps import BotDeps
from slack_api.client import SLACK_FAILURES
from workflow.away_contract import Absence

log = logging.getLogger(__name__)


async def go_away(
    deps: BotDeps,
    client: AsyncWebClient,
    user_id: str,
    email: str,
    until: date,
    delegate: str,
    within_seconds: float = AWAY_CALL_SECONDS,
) -> str:
    """Set `email` away through `until` with `delegate` (an email) deciding for them; the
    sentence that confirms it. Raises AwayRefused or AwayUnavailable (bot.reviews.away_client)."""
    zone = await time_zone(client, user_id)
    absence = Absence(
        person=email,
        until=until.isoformat(),
        delegate=delegate,
        back_at=back_at(until, zone).isoformat(),
        set_by=email,
    )
    told = await set_away(deps.temporal, deps.settings, absence, within_seconds)
    where = f"in your time zone ({zone})" if zone else "UTC"
    return (
        f"{told} Your open review requests go to {delegate}, new ones too, and come back to"
        f" you when {until.isoformat()} ends ({where})."
    )


async def time_zone(client: AsyncWebClient, user_id: str) -> str | None:
    """The person's Slack time zone (users.info `tz`), or None: the date is read in UTC."""
    try:
        answer = await client.users_info(user=user_id)
    except SLACK_FAILURES as error:
        log.info("No time zone for %s: %r", user_id, error)
        return None
    user = answer.get("user") or {}
    tz = user.get("tz")
    return str(tz) if tz else None
