"""The Slack side of a decision, shared by the buttons and the reject modal.

The reviewer is the person Slack verified for this request (their user id, resolved to an
email); the workflow's validator decides whether that person may decide this stage.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.ephemeral import notice
from bot.decisions import DecisionReply, record_decision
from bot.deps import BotDeps
from bot.identity import IdentityUnavailable
from bot.listeners.events.app_home_opened import publish_home
from slack_presentation.mentions import NO_MENTIONS, Mentions, emails_in
from slack_presentation.review_actions import ReviewButtonValue
from workflow.models import ReviewDecision

log = logging.getLogger(__name__)


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


async def tell(
    client: AsyncWebClient,
    channel: str | None,
    user_id: str,
    sentence: str,
    people: Mentions = NO_MENTIONS,
) -> None:
    """An ephemeral reply in the channel where the person acted; a direct message from the app
    when they acted in App Home, which has no channel to show an ephemeral in."""
    if channel is None:
        # A user id as the channel posts into the person's DM with the app.
        await client.chat_postMessage(channel=user_id, **notice(sentence, people))
        return
    await client.chat_postEphemeral(channel=channel, user=user_id, **notice(sentence, people))


async def decide_and_reply(
    deps: BotDeps, client: AsyncWebClient, click: DecisionClick
) -> DecisionReply:
    """Record the decision; tell the person why when it did not count.

    An accepted decision gets no reply here: the workflow rewrites the review message in
    place, and that is the feedback; in App Home the tab is published afresh, so the decided
    review leaves it.
    """
    reply = await _decide(deps, client, click)
    if click.channel is None:
        await publish_home(client, deps, click.user_id)
    return reply


async def _decide(deps: BotDeps, client: AsyncWebClient, click: DecisionClick) -> DecisionReply:
    try:
        email = await deps.identity.email_of(client, click.user_id)
    except IdentityUnavailable as error:
        await tell(client, click.channel, click.user_id, str(error))
        return DecisionReply(False, str(error))
    button = click.button
    decision = ReviewDecision(
        stage=button.stage,
        reviewer=email,
        submission_version=button.version,
        approved=click.approved,
        requires_additional_review=click.escalate,
        reason=click.reason,
    )
    reply = await record_decision(deps.temporal, button.workflow_id, decision)
    log.info(
        "Decision on %s %s v%d by %s: %s",
        button.workflow_id,
        button.stage,
        button.version,
        click.user_id,
        "accepted" if reply.accepted else "refused",
    )
    if not reply.accepted:
        # The workflow names people by email ("… is assigned to bob@example.com").
        people = await deps.identity.mentions(client, emails_in(reply.message))
        await tell(client, click.channel, click.user_id, reply.message, people)
    return reply
