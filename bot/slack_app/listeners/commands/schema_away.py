"""`/schema-away until 2026-12-24 delegate @erin` | `off` | alone: say you are away and who
decides for you, say you are back, or see who is away. Kept in the `people_away` workflow."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from bot.reviews.away_client import (
    AwayRefused,
    AwayUnavailable,
    absences_now,
    back_at,
    clear_away,
    set_away,
)
from bot.slack_app.listeners.commands.slash_command import SlashCommand
from bot.slack_app.services.away_parsing import (
    AWAY_USAGE,
    AwayAsked,
    AwayListAsked,
    BackAsked,
    parse_away_text,
)
from bot.slack_app.services.command_parsing import CommandInputError
from slack_api.client import SLACK_FAILURES
from slack_api.people import IdentityUnavailable
from slack_presentation.mrkdwn import escape
from workflow.away_contract import Absence, AwayClear

log = logging.getLogger(__name__)

TEMPORAL_SILENT = (
    ":warning: The review service (Temporal) did not answer, so nothing changed. Please try"
    " again in a minute."
)


async def schema_away(command: SlashCommand) -> None:
    try:
        asked = parse_away_text(command.text)
    except CommandInputError as error:
        await command.refuse(error.reply("Nothing changed"))
        return
    await command.ack()
    deps = command.deps
    try:
        email = await deps.people.email_of(command.client, command.user_id)
        if isinstance(asked, AwayListAsked):
            text = _listing(await absences_now(deps.temporal, deps.settings))
        elif isinstance(asked, BackAsked):
            text = await clear_away(deps.temporal, deps.settings, AwayClear(email, email))
            text = f"Welcome back. {escape(text)}"
        else:
            text = escape(await _away(command, email, asked))
    except IdentityUnavailable as error:
        text = f"Nothing changed: {escape(str(error))}"
    except AwayRefused as refusal:
        text = f"Nothing changed: {escape(str(refusal))}\n{AWAY_USAGE}"
    except AwayUnavailable:
        text = TEMPORAL_SILENT
    await command.reply(text=text)


async def _away(command: SlashCommand, email: str, asked: AwayAsked) -> str:
    deps = command.deps
    delegate = asked.delegate
    if "@" not in delegate:
        delegate = await deps.people.email_of(command.client, delegate)
    zone = await _time_zone(command)
    ends = back_at(asked.until, zone)
    absence = Absence(
        person=email,
        until=asked.until.isoformat(),
        delegate=delegate,
        back_at=ends.isoformat(),
        set_by=email,
    )
    told = await set_away(deps.temporal, deps.settings, absence)
    where = f"in your time zone ({zone})" if zone else "UTC"
    return (
        f"{told} Your open review requests go to {delegate}, new ones too, and come back to"
        f" you when {asked.until.isoformat()} ends ({where})."
    )


async def _time_zone(command: SlashCommand) -> str | None:
    """The person's Slack time zone (users.info `tz`), or None: the date is read in UTC."""
    try:
        answer = await command.client.users_info(user=command.user_id)
    except SLACK_FAILURES as error:
        log.info("No time zone for %s: %r", command.user_id, error)
        return None
    user = answer.get("user") or {}
    tz = user.get("tz")
    return str(tz) if tz else None


def _listing(absences: list[Absence]) -> str:
    if not absences:
        return f"Nobody is marked away. {AWAY_USAGE}"
    now = datetime.now(UTC)
    lines = [
        f"• {escape(a.person)} until {escape(a.until)}: {escape(a.delegate)} decides for them"
        for a in absences
        if datetime.fromisoformat(a.back_at) > now
    ]
    return "Away now:\n" + "\n".join(lines)
