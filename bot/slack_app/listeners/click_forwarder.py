"""Clicks a process acknowledged and never forwarded, forwarded by the next one at its start.

`bot.processes.web` adopts the click journal's unfinished lines before it serves
(`bot.slack_app.services.click_journal`); each is then forwarded as a click just acknowledged:
its signal, the update, and a sentence to the reviewer when it did not count. The signal and
the update carry the click's id, so a click whose signal the review took before the crash (its
`done` line lost with the process) is answered with its first outcome, not decided twice.
"""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_app.deps import BotDeps
from bot.slack_app.listeners.decide import forward_and_reply
from bot.slack_app.listeners.decision_click import DecisionClick
from bot.slack_app.services.click_journal import JournalEntry

log = logging.getLogger(__name__)


async def forward_adopted(
    deps: BotDeps, client: AsyncWebClient, entries: list[JournalEntry]
) -> None:
    """Forward every adopted click (as many at once as live clicks: `deps.decision_turns`)."""
    forwarding = []
    for entry in entries:
        try:
            click = DecisionClick.from_journal(entry.click)
        except (KeyError, TypeError, ValueError) as error:
            # Not a click this app wrote: forwarding it again at every start would not help.
            log.error("Dropped an unreadable click from the journal: %r", error)
            if deps.click_journal is not None:
                deps.click_journal.done(entry)
            continue
        forwarding.append(forward_and_reply(deps, client, click, entry))
    log.info("Forwarding %d click(s) acknowledged before the last stop", len(forwarding))
    outcomes = await asyncio.gather(*forwarding, return_exceptions=True)
    failed = [o for o in outcomes if isinstance(o, BaseException)]
    if failed:
        log.error("%d adopted click(s) failed to forward: %r", len(failed), failed[0])
    log.info("Adopted clicks forwarded: %d", len(outcomes) - len(failed))
