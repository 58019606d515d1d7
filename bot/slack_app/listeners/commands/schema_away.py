"""`/schema-away until 2026-12-24 delegate @erin` | `off` | alone: say you are away and who
decides for you, say you are back, or see who is away. Kept in the `people_away` workflow."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.reviews.away_client import AwayRefused, AwayUnavailable, absences_now, clear_away
from bot.slack_app.listeners.commands.slash_command import SlashCommand
from bot.slack_app.services.absence_request import go_away
from bot.slack_app.services.away_parsing import (
    AWAY_USAGE,
    AwayAsked,
    AwayListAsked,
    BackAsked,
    parse_away_text,
)
from bot.slack_app.services.command_parsing import CommandInputError
from slack_api.people import IdentityUnavailable
from slack_presentation.mrkdwn import escape
from workflow.away_contract import Absence, AwayClear

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
    return await go_away(deps, command.client, command.user_id, email, asked.until, delegate)


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
