"""The Slack side of a decision, shared by the buttons and the reject modal.

The reviewer is the person Slack verified for this request (their user id, resolved to an
email); the workflow's validator decides whether that person may decide this stage.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from slack_bolt.async_app import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.decisions import (
    DECISION_FAILED,
    DECISION_PENDING,
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
from bot.slack_app.listeners.events.app_home_opened import publish_home
from bot.slack_app.services import click_metrics
from slack_api.client import SLACK_FAILURES, slack_error_code
from slack_api.people import IdentityUnavailable
from slack_presentation.ephemeral_blocks import notice
from slack_presentation.mentions import NO_MENTIONS, Mentions, emails_in
from slack_presentation.review_actions import ReviewButtonValue
from workflow.models import ReviewDecision

log = logging.getLogger(__name__)


# Of Slack's 3 seconds to answer a click: when Temporal takes the click's signal within this,
# the click is in the review's history before Slack hears back, so a crash after that loses
# nothing (docs/slack.md); the worker need not be running.
# How many may wait so at once: bot.slack_app.services.ack_hold.
RECORD_BEFORE_ACK_SECONDS = 1.5


@dataclass(frozen=True)
class DecisionClick:
    """A person deciding a review from Slack: a button, or the reject modal's submission."""

    # The Slack-verified person; only this says who decides.
    user_id: str
    # Where to answer; None when they decided in App Home, which has no channel.
    channel: str | None
    button: ReviewButtonValue
    approved: bool
    escalate: bool = False
    reason: str = ""
    # What Slack sent that names this click (action_ts, or the modal's view id): the
    # decision's update id is derived from it, so a retry of the request is the same update.
    click_id: str = ""


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
    """Record the decision, acknowledging Slack's request along the way; tell the person why
    when it did not count, or "being recorded" and then the outcome when Temporal is slow.

    The click is signalled before `ack`: when Temporal takes the signal within
    `RECORD_BEFORE_ACK_SECONDS` Slack hears back only once the click is in the review's
    history, durable whatever happens to this process or the worker. Then the `decide_review`
    update, with the click's id as its update id, says what became of it. Should the signal
    fail (Temporal unreachable or slow), the update is sent alone before `ack`, as before
    signals. An accepted decision gets no reply: the workflow rewrites the review message in
    place, and that is the feedback; in App Home the tab is published afresh, so the decided
    review leaves it.
    """
    loop = asyncio.get_running_loop()
    received_at = loop.time() - waited
    update_id = decision_update_id(click.user_id, click.button.workflow_id, click.click_id)
    attempt = asyncio.ensure_future(
        deps.held_before_ack.work(_signal_or_decide(deps, client, click, update_id))
    )
    await deps.held_before_ack.wait_for(attempt, RECORD_BEFORE_ACK_SECONDS - waited)
    await ack()
    click_metrics.acknowledged(loop.time() - received_at)
    try:
        reply, decision, signal = await attempt
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
    click_metrics.concluded(reply, loop.time() - received_at)
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
    deps: BotDeps, client: AsyncWebClient, click: DecisionClick, update_id: str
) -> tuple[DecisionReply | None, ReviewDecision | None, SignalAnswer]:
    """What the hold before the ack waits for: the click signalled (no reply yet: the update
    follows the ack), or, when the signal was not taken, the update's reply."""
    try:
        email = await deps.people.email_of(client, click.user_id)
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
    if signal != "not taken":
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
