"""The "I'm away…" form's submission: the same `set_away` as `/schema-away until … delegate …`,
within Slack's 3 seconds, so that a refusal keeps the form open with the reason under the
field. The confirmation follows in the app's direct message, and App Home shows the absence."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.away_client import AwayRefused, AwayUnavailable
from bot.slack_app.listeners.context import deps_of
from bot.slack_app.listeners.decide import tell
from bot.slack_app.listeners.events.app_home_opened import publish_home
from bot.slack_app.services.absence_request import go_away
from slack_api.client import SLACK_FAILURES
from slack_api.people import IdentityUnavailable
from slack_presentation.away_modal import (
    DELEGATE_BLOCK,
    UNTIL_BLOCK,
    AwayFormInvalid,
    read_away_form,
)
from slack_presentation.mentions import emails_in

log = logging.getLogger(__name__)

# What keeps the absence from being confirmed in time (SLACK_FAILURES includes TimeoutError).
UNCONFIRMED: tuple[type[BaseException], ...] = (AwayUnavailable, TimeoutError, *SLACK_FAILURES)
# Of Slack's 3 seconds, what the look-ups and the update may use.
ANSWER_BUDGET_SECONDS = 2.5
NOT_CONFIRMED = (
    "The review service (Temporal) did not confirm in time, so you may or may not be marked"
    " away. Check with `/schema-away` before trying again."
)
NO_EMAIL = (
    "Slack does not give this person's email address, and reviews know people by email:"
    " pick someone else."
)


async def set_away_from_form(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    deps = deps_of(context)
    user_id = str(body["user"]["id"])
    values = body["view"].get("state", {}).get("values", {})
    loop = asyncio.get_running_loop()
    answer_by = loop.time() + ANSWER_BUDGET_SECONDS
    try:
        form = read_away_form(values)
        async with asyncio.timeout_at(answer_by):
            email = await deps.people.email_of(client, user_id)
            try:
                delegate = await deps.people.email_of(client, form.delegate_user_id)
            except IdentityUnavailable:
                raise AwayFormInvalid(DELEGATE_BLOCK, NO_EMAIL) from None
        told = await go_away(
            deps,
            client,
            user_id,
            email,
            form.until,
            delegate,
            within_seconds=max(answer_by - loop.time(), 0.1),
        )
    except AwayFormInvalid as invalid:
        await ack(response_action="errors", errors={invalid.block_id: str(invalid)})
        return
    except AwayRefused as refusal:
        # A date already gone is the date's fault; every other refusal is about the delegate.
        passed = form.until < datetime.now(UTC).date()
        block = UNTIL_BLOCK if passed else DELEGATE_BLOCK
        await ack(response_action="errors", errors={block: f"Nothing changed: {refusal}"})
        return
    except IdentityUnavailable as error:
        await ack(response_action="errors", errors={DELEGATE_BLOCK: str(error)})
        return
    except UNCONFIRMED as error:
        log.warning("Absence not confirmed: %r", error)
        await ack(response_action="errors", errors={UNTIL_BLOCK: NOT_CONFIRMED})
        return
    await ack()
    people = await deps.people.mentions(client, emails_in(told))
    await tell(client, None, user_id, told, people)
    await publish_home(client, deps, user_id)
