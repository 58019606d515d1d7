"""The Slack side of a decision, shared by the buttons and the reject modal.

The reviewer is the person Slack verified for this request (their user id, resolved to an
email); the workflow's validator decides whether that person may decide this stage.
"""

from __future__ import annotations

import logging

from slack_sdk.web.async_client import AsyncWebClient

from activities.review_actions import ReviewButtonValue
from bot.blocks.ephemeral import notice
from bot.decisions import DecisionReply, record_decision
from bot.deps import BotDeps
from bot.identity import IdentityUnavailable
from workflow.models import ReviewDecision

log = logging.getLogger(__name__)


async def tell(client: AsyncWebClient, channel: str, user_id: str, sentence: str) -> None:
    """An ephemeral reply in the channel where the person acted."""
    await client.chat_postEphemeral(channel=channel, user=user_id, **notice(sentence))


async def decide_and_reply(
    deps: BotDeps,
    client: AsyncWebClient,
    *,
    user_id: str,
    channel: str,
    button: ReviewButtonValue,
    approved: bool,
    escalate: bool = False,
    reason: str = "",
) -> DecisionReply:
    """Record the decision; tell the person why when it did not count.

    An accepted decision gets no reply here: the workflow rewrites the review message in place,
    and that is the feedback.
    """
    try:
        email = await deps.identity.email_of(client, user_id)
    except IdentityUnavailable as error:
        await tell(client, channel, user_id, str(error))
        return DecisionReply(False, str(error))
    decision = ReviewDecision(
        stage=button.stage,
        reviewer=email,
        submission_version=button.version,
        approved=approved,
        requires_additional_review=escalate,
        reason=reason,
    )
    reply = await record_decision(deps.temporal, button.workflow_id, decision)
    log.info(
        "Decision on %s %s v%d by %s: %s",
        button.workflow_id,
        button.stage,
        button.version,
        user_id,
        "accepted" if reply.accepted else "refused",
    )
    if not reply.accepted:
        await tell(client, channel, user_id, reply.message)
    return reply
