"""The withdraw modal's submission: the `withdraw_review` update, within Slack's 3 seconds,
so that a refusal can keep the modal open with the reason under the field.

What the person reads is true either way: "nothing was withdrawn" only when the update was never
sent; when it was sent and Temporal did not answer in time, that it is not confirmed. The update
id names the submission, so the same form submitted again is the same withdrawal."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.follow_ups import request_update_id
from bot.reviews.lookup import TemporalUnavailable, find_review
from bot.reviews.withdraw import (
    WithdrawalRefused,
    WithdrawalUnconfirmed,
    send_withdrawal,
    withdrawer_refusal,
)
from bot.slack_app.listeners.context import deps_of
from bot.slack_app.listeners.decide import tell
from bot.slack_app.listeners.events.app_home_opened import publish_home
from slack_api.people import IdentityUnavailable
from slack_presentation.mentions import emails_in
from slack_presentation.reassign_modal import InvalidReassignTarget
from slack_presentation.withdraw_modal import REASON_BLOCK, WithdrawTarget, read_withdraw_reason
from workflow.models import Withdrawal, workflow_id_for

log = logging.getLogger(__name__)

ANSWER_BUDGET = timedelta(seconds=2.5)
NOT_REACHED = (
    "The review service (Temporal) did not answer, so nothing was withdrawn. Please try again"
    " in a minute."
)
NOT_CONFIRMED = (
    "The review service did not confirm in time, so the review may or may not have been"
    " withdrawn. Check /schema-status before trying again."
)


async def withdraw_from_form(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    deps = deps_of(context)
    user_id = str(body["user"]["id"])
    view = body["view"]
    loop = asyncio.get_running_loop()
    answer_by = loop.time() + ANSWER_BUDGET.total_seconds()
    try:
        target = WithdrawTarget.decode(view.get("private_metadata", ""))
        reason = read_withdraw_reason(view.get("state", {}).get("values", {}))
        # Nothing is sent before the update: a timeout here changed nothing.
        async with asyncio.timeout_at(answer_by):
            email = await deps.people.email_of(client, user_id)
            # Asked again, not trusted from when the form opened: the review may have ended.
            existing = await find_review(deps.temporal, target.schema_id, ANSWER_BUDGET)
        if refusal := withdrawer_refusal(existing, email, deps.settings.slack_admins):
            raise WithdrawalRefused(refusal)
        answer = await send_withdrawal(
            deps.temporal,
            workflow_id_for(target.schema_id),
            Withdrawal(requested_by=email, reason=reason),
            timedelta(seconds=max(answer_by - loop.time(), 0.1)),
            request_update_id("withdraw", user_id, str(view.get("id", ""))),
        )
    except (InvalidReassignTarget, IdentityUnavailable, WithdrawalRefused) as error:
        await ack(response_action="errors", errors={REASON_BLOCK: str(error)})
        return
    except WithdrawalUnconfirmed:
        await ack(response_action="errors", errors={REASON_BLOCK: NOT_CONFIRMED})
        return
    except (TimeoutError, TemporalUnavailable, SlackApiError) as error:
        log.warning("Withdrawal not made: %r", error)
        await ack(response_action="errors", errors={REASON_BLOCK: NOT_REACHED})
        return
    await ack()
    people = await deps.people.mentions(client, emails_in(answer))
    await tell(client, target.channel, user_id, answer, people)
    if target.channel is None:
        await publish_home(client, deps, user_id)
