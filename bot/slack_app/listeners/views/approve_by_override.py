"""The override confirmation's submission: the `override_review` update, within Slack's 3
seconds, so that a refusal keeps the modal open with the reason under the field.

Admins only, asked again here (a forged or stale submission changes nothing). The admin is told
the outcome where the button was; the owner and the review channel hear it from the workflow.
"""

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
from bot.reviews.override import (
    OverrideRefused,
    OverrideUnconfirmed,
    overrider_refusal,
    send_override,
)
from bot.slack_app.listeners.context import deps_of
from bot.slack_app.listeners.decide import tell
from slack_api.people import IdentityUnavailable
from slack_presentation.mentions import emails_in
from slack_presentation.override_modal import (
    REASON_BLOCK,
    SCOPE_BLOCK,
    OverrideFormInvalid,
    OverrideTarget,
    read_override_form,
)
from slack_presentation.reassign_modal import InvalidReassignTarget
from workflow.models import workflow_id_for
from workflow.policy_contract import ReviewOverride

log = logging.getLogger(__name__)

ANSWER_BUDGET = timedelta(seconds=2.5)
NOT_REACHED = (
    "The review service (Temporal) did not answer, so nothing was approved. Please try again"
    " in a minute."
)
NOT_CONFIRMED = (
    "The review service did not confirm in time, so the override may or may not have landed."
    " Check /schema-status before trying again."
)


async def approve_by_override(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    deps = deps_of(context)
    user_id = str(body["user"]["id"])
    view = body["view"]
    loop = asyncio.get_running_loop()
    answer_by = loop.time() + ANSWER_BUDGET.total_seconds()
    try:
        target = OverrideTarget.decode(view.get("private_metadata", ""))
        form = read_override_form(view.get("state", {}).get("values", {}))
        # Nothing is sent before the update: a timeout here changed nothing.
        async with asyncio.timeout_at(answer_by):
            email = await deps.people.email_of(client, user_id)
            # Asked again, not trusted from when the form opened: the review may have moved on.
            existing = await find_review(deps.temporal, target.schema_id, ANSWER_BUDGET)
        if refusal := overrider_refusal(existing, email, deps.settings.slack_admins):
            raise OverrideRefused(refusal)
        answer = await send_override(
            deps.temporal,
            workflow_id_for(target.schema_id),
            ReviewOverride(requested_by=email, reason=form.reason, stage=form.stage),
            timedelta(seconds=max(answer_by - loop.time(), 0.1)),
            request_update_id("override", user_id, str(view.get("id", ""))),
        )
    except OverrideFormInvalid as invalid:
        await ack(response_action="errors", errors={invalid.block_id: str(invalid)})
        return
    except (InvalidReassignTarget, IdentityUnavailable, OverrideRefused) as error:
        await ack(response_action="errors", errors={SCOPE_BLOCK: str(error)})
        return
    except OverrideUnconfirmed:
        await ack(response_action="errors", errors={REASON_BLOCK: NOT_CONFIRMED})
        return
    except (TimeoutError, TemporalUnavailable, SlackApiError) as error:
        log.warning("Override not made: %r", error)
        await ack(response_action="errors", errors={REASON_BLOCK: NOT_REACHED})
        return
    await ack()
    sentence = f"{answer} The schema's owner is told too."
    people = await deps.people.mentions(client, emails_in(sentence))
    await tell(client, target.channel, user_id, sentence, people)
