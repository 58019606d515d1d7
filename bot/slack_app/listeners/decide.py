"""The Slack side of a decision, shared by the buttons and the reject modal.

The reviewer is the person Slack verified for this request (their user id, resolved to an
email: from the button when the request was posted to them, else by `users.info`); the
workflow's validator decides whether that person may decide this stage. Slack is answered 200
only once the click is durable (its journal line, or its signal in the history).
"""

from __future__ import annotations

import asyncio
import logging

from slack_bolt.async_app import AsyncAck
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.decisions import (
    DECISION_FAILED,
    DECISION_PENDING,
    NOT_CONFIRMED_YET,
    REVIEW_CLOSED,
    DecisionReply,
    SignalAnswer,
    decision_update_id,
    follow_up,
    record_decision,
    recorded_in_closed_review,
    signal_decision,
)
from bot.slack_app.deps import BotDeps
from bot.slack_app.listeners.decision_click import DecisionClick
from bot.slack_app.listeners.events.app_home_opened import publish_home
from bot.slack_app.services import click_metrics
from bot.slack_app.services.click_journal import JournalEntry
from slack_api.client import SLACK_FAILURES, slack_error_code
from slack_api.people import IdentityUnavailable
from slack_presentation.ephemeral_blocks import notice
from slack_presentation.mentions import NO_MENTIONS, Mentions, emails_in
from workflow.models import ReviewDecision

log = logging.getLogger(__name__)


# Of Slack's 3 seconds to answer a click, what making it durable may take before Slack is
# answered (the rest is the network and Bolt's own work). A journal line takes milliseconds and
# Temporal takes a signal as fast: the budget is only reached when the disk or Temporal is in
# trouble, and then Slack is not answered 200 (docs/slack.md, "Deploys, crashes and slow answers").
DURABLE_BEFORE_ACK_SECONDS = 2.5
# A request that waited in the process's queue past the budget still gets this much: its
# journal line is written with the burst's others, and a late 200 is better than a failure.
LEAST_DURABLE_BUDGET_SECONDS = 0.25
# The body of the answer that is not 200: Slack shows the person that the click failed.
NOT_DURABLE = "The decision could not be made durable in time; nothing was recorded."


async def tell(
    client: AsyncWebClient,
    channel: str | None,
    user_id: str,
    sentence: str,
    people: Mentions = NO_MENTIONS,
) -> bool:
    """An ephemeral reply in the channel where the person acted; a direct message from the app
    when they acted in App Home, which has no channel to show an ephemeral in. Returns whether
    Slack took it: a failure is logged and does not stop what follows (a decision's follow-up
    still runs, and its outcome is told)."""
    try:
        if channel is None:
            # A user id as the channel posts into the person's DM with the app.
            await client.chat_postMessage(channel=user_id, **notice(sentence, people))
        else:
            await client.chat_postEphemeral(
                channel=channel, user=user_id, **notice(sentence, people)
            )
    except SLACK_FAILURES as error:
        log.warning("Could not tell %s (%s): %r", user_id, slack_error_code(error), sentence[:60])
        return False
    return True


async def decide_and_reply(
    deps: BotDeps,
    client: AsyncWebClient,
    click: DecisionClick,
    ack: AsyncAck,
    *,
    waited: float = 0.0,
) -> DecisionReply:
    """Make the click durable, then acknowledge Slack's request; tell the person why when it
    did not count, or "being recorded" and then the outcome when Temporal is slow.

    Durable first: the click's line in the journal (fsync'd), or, when there is no journal or
    the disk refused the line, its `record_review_decision` signal in the review's history. When
    neither is done within `DURABLE_BEFORE_ACK_SECONDS` the request is not answered 200: Slack
    shows the person a failure and they click again, rather than a success that may vanish.
    After the ack the click is forwarded (`forward_and_reply`).
    """
    loop = asyncio.get_running_loop()
    received_at = loop.time() - waited
    update_id = decision_update_id(click.user_id, click.button.workflow_id, click.click_id)
    budget = max(DURABLE_BEFORE_ACK_SECONDS - waited, LEAST_DURABLE_BUDGET_SECONDS)
    deadline = asyncio.get_running_loop().time() + budget
    entry: JournalEntry | None = None
    if deps.click_journal is not None:
        try:
            async with asyncio.timeout(budget):
                entry = await deps.click_journal.record(click.journal_form())
        except TimeoutError:
            return _not_acknowledged(ack, click, "the click journal did not write it in time")
        except OSError as error:
            log.error("Click journal refused a click on %s: %r", click.button.workflow_id, error)
    if entry is not None:
        await ack()
        click_metrics.acknowledged(loop.time() - received_at)
        return await forward_and_reply(deps, client, click, entry, received_at=received_at)
    # No journal line: durable only once Temporal has the signal.
    try:
        async with asyncio.timeout(max(deadline - asyncio.get_running_loop().time(), 0)):
            signalled = await deps.decision_turns.work(
                _signal_or_decide(deps, client, click, update_id, update_unless_taken=False)
            )
    except TimeoutError:
        return _not_acknowledged(ack, click, "Temporal did not take its signal in time")
    reply, _, signal = signalled
    if reply is None and signal == "not taken":
        return _not_acknowledged(ack, click, "Temporal did not take its signal")
    await ack()
    click_metrics.acknowledged(loop.time() - received_at)
    return await _reply(deps, client, click, update_id, signalled, received_at=received_at)


def _not_acknowledged(ack: AsyncAck, click: DecisionClick, why: str) -> DecisionReply:
    log.warning(
        "Click on %s by %s not acknowledged: %s", click.button.workflow_id, click.user_id, why
    )
    # Not 200: Bolt sends this answer as it is, and Slack shows the click as failed.
    ack.response = BoltResponse(status=503, body=NOT_DURABLE)
    reply = DecisionReply("refused", NOT_DURABLE)
    click_metrics.concluded(reply, 0.0)
    return reply


async def forward_and_reply(
    deps: BotDeps,
    client: AsyncWebClient,
    click: DecisionClick,
    entry: JournalEntry,
    *,
    received_at: float | None = None,
) -> DecisionReply:
    """A journalled click, acknowledged: signalled (or decided by the update alone when the
    signal is not taken), then answered. Its journal line is done once it came to an end; only
    a click whose outcome a stopping process could not learn stays for the next start."""
    update_id = decision_update_id(click.user_id, click.button.workflow_id, click.click_id)
    try:
        signalled = await deps.decision_turns.work(
            _signal_or_decide(deps, client, click, update_id)
        )
    except Exception as error:
        log.error("Decision on %s failed: %r", click.button.workflow_id, error)
        signalled = (DecisionReply("unknown", DECISION_FAILED), None, "not taken")
    journal = deps.click_journal
    if journal is not None and signalled[2] != "not taken":
        journal.done(entry)
    reply = await _reply(deps, client, click, update_id, signalled, received_at=received_at)
    if journal is not None and reply.message != NOT_CONFIRMED_YET:
        journal.done(entry)
    return reply


async def _reply(
    deps: BotDeps,
    client: AsyncWebClient,
    click: DecisionClick,
    update_id: str,
    signalled: tuple[DecisionReply | None, ReviewDecision | None, SignalAnswer],
    *,
    received_at: float | None = None,
) -> DecisionReply:
    """After the ack: the update says what became of a signalled click; the person is told
    when it did not count, or "being recorded" and then the outcome."""
    reply, decision, signal = signalled
    try:
        if reply is None and decision is not None:
            # Signalled: the update answers with what became of it.
            reply = await _decide(deps, click, decision, update_id)
            if signal == "taken" and reply.message == REVIEW_CLOSED:
                # The review may have closed after it took the signal: by this very decision.
                workflow_id = click.button.workflow_id
                reply = (
                    await recorded_in_closed_review(deps.temporal, workflow_id, decision) or reply
                )
    except Exception as error:
        # Slack was answered 200: the person is owed a sentence, not only a log line.
        log.error("Decision on %s failed: %r", click.button.workflow_id, error)
        reply, decision = DecisionReply("unknown", DECISION_FAILED), None
    assert reply is not None
    if reply.state == "unknown" and decision is not None:
        await tell(client, click.channel, click.user_id, DECISION_PENDING)
        reply = await follow_up(deps.temporal, click.button.workflow_id, decision, update_id)
        log.info("Decision on %s followed up: %s", click.button.workflow_id, reply.state)
        # Here the reviewer was told "being recorded": they hear the outcome either way.
        await _tell_outcome(deps, client, click, reply)
    elif not reply.accepted:
        await _tell_outcome(deps, client, click, reply)
    if received_at is not None:
        click_metrics.concluded(reply, asyncio.get_running_loop().time() - received_at)
    if click.channel is None:
        await publish_home(client, deps, click.user_id)
    return reply


async def _tell_outcome(
    deps: BotDeps, client: AsyncWebClient, click: DecisionClick, reply: DecisionReply
) -> None:
    # The workflow names people by email ("… is assigned to bob@example.com").
    people = await deps.people.mentions(client, emails_in(reply.message))
    await tell(client, click.channel, click.user_id, reply.message, people)


async def _signal_or_decide(
    deps: BotDeps,
    client: AsyncWebClient,
    click: DecisionClick,
    update_id: str,
    *,
    update_unless_taken: bool = True,
) -> tuple[DecisionReply | None, ReviewDecision | None, SignalAnswer]:
    """The click signalled (no reply yet: the update follows), or, when the signal was not
    taken, the update's reply (unless `update_unless_taken` is False: the caller then does not
    answer Slack 200). The reviewer's email comes from the button when the request was posted
    to the clicker, else from Slack (`users.info`)."""
    email = click.button.email_if_posted_to(click.user_id)
    try:
        email = email or await deps.people.email_of(client, click.user_id)
    except IdentityUnavailable as error:
        return DecisionReply("refused", str(error)), None, "not taken"
    button = click.button
    decision = ReviewDecision(
        stage=button.stage,
        reviewer=email,
        submission_version=button.version,
        approved=click.approved,
        requires_additional_review=click.escalate,
        reason=click.reason,
        click_id=update_id,
    )
    signal = await signal_decision(deps.temporal, button.workflow_id, decision)
    log.info(
        "Click %s on %s %s v%d by %s signalled: %s",
        update_id,
        button.workflow_id,
        button.stage,
        button.version,
        click.user_id,
        signal,
        extra=_click_context(click, update_id),
    )
    if signal != "not taken" or not update_unless_taken:
        return None, decision, signal
    return await _decide(deps, click, decision, update_id), decision, signal


async def _decide(
    deps: BotDeps, click: DecisionClick, decision: ReviewDecision, update_id: str
) -> DecisionReply:
    button = click.button
    reply = await record_decision(deps.temporal, button.workflow_id, decision, update_id=update_id)
    log.info(
        "Click %s on %s %s v%d by %s decided: %s",
        update_id,
        button.workflow_id,
        button.stage,
        button.version,
        click.user_id,
        reply.state,
        extra=_click_context(click, update_id),
    )
    return reply


def _click_context(click: DecisionClick, update_id: str) -> dict[str, str]:
    """The fields of a JSON log line that let the worker's lines for this click be found."""
    return {
        "workflow_id": click.button.workflow_id,
        "slack_user_id": click.user_id,
        "click_id": update_id,
    }
