"""The "Retry registration" button (on `/schema-status` and App Home) of a review whose approved
version the schema registry did not take: shown to everyone, sent for the owner or an admin,
and the clicker told what came of it."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.follow_ups import request_update_id
from bot.reviews.lookup import TemporalUnavailable, find_review
from bot.reviews.registration_retry import (
    RegistrationRetryRefused,
    RegistrationRetryUnconfirmed,
    retrier_refusal,
    send_registration_retry,
)
from bot.slack_app.listeners.actions.review_click import ReviewClick
from bot.slack_app.listeners.context import deps_of
from bot.slack_app.listeners.decide import tell
from bot.slack_app.listeners.events.app_home_opened import publish_home
from slack_api.client import SLACK_FAILURES
from slack_api.people import IdentityUnavailable
from slack_presentation.mentions import emails_in
from slack_presentation.reassign_modal import InvalidReassignTarget, ReassignTarget
from workflow.models import RegistrationRetry, workflow_id_for

log = logging.getLogger(__name__)

LOOKUP_BUDGET_SECONDS = 2.5
# What leaves the registration unasked (SLACK_FAILURES includes the budget's TimeoutError).
NOT_SENT: tuple[type[BaseException], ...] = (TemporalUnavailable, *SLACK_FAILURES)
NOT_REACHED = (
    "The review service (Temporal) did not answer, so the registration was not retried. Please"
    " click Retry registration again in a minute."
)
NOT_CONFIRMED = (
    "The registration was asked for, but the review service did not answer in time. Check"
    " /schema-status in a minute before asking again."
)


async def retry_registration_click(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    # Acknowledged first: the registry may take up to a minute to answer.
    await ack()
    deps = deps_of(context)
    click = ReviewClick.from_body(body)
    try:
        schema_id = ReassignTarget.decode(click.value).schema_id
        async with asyncio.timeout(LOOKUP_BUDGET_SECONDS):
            email = await deps.people.email_of(client, click.user_id)
            existing = await find_review(deps.temporal, schema_id)
        if refusal := retrier_refusal(existing, email, deps.settings.slack_admins):
            raise RegistrationRetryRefused(refusal)
        answer = await send_registration_retry(
            deps.temporal,
            workflow_id_for(schema_id),
            RegistrationRetry(requested_by=email),
            request_update_id(
                "retry-registration", click.user_id, click.action_ts or click.trigger_id
            ),
        )
    except (InvalidReassignTarget, IdentityUnavailable, RegistrationRetryRefused) as error:
        answer = str(error)
    except RegistrationRetryUnconfirmed:
        answer = NOT_CONFIRMED
    except NOT_SENT as error:
        log.warning("Registration retry not sent: %r", error)
        answer = NOT_REACHED
    people = await deps.people.mentions(client, emails_in(answer))
    await tell(client, click.channel, click.user_id, answer, people)
    if click.channel is None:
        await publish_home(client, deps, click.user_id)
