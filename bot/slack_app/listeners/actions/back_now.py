"""App Home's "Back now": ends the person's absence, as `/schema-away off` does; their seats
return to them. The outcome is told in the app's direct message, and the tab shown afresh."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.away_client import AwayRefused, AwayUnavailable, clear_away
from bot.slack_app.listeners.actions.review_click import ReviewClick
from bot.slack_app.listeners.context import deps_of
from bot.slack_app.listeners.decide import tell
from bot.slack_app.listeners.events.app_home_opened import publish_home
from slack_api.people import IdentityUnavailable
from slack_presentation.mentions import emails_in
from workflow.away_contract import AwayClear

NOT_REACHED = (
    "The review service (Temporal) did not answer, so you may still be marked away. Open this"
    " tab again in a minute, or use `/schema-away off`."
)


async def back_now(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await ack()
    deps = deps_of(context)
    click = ReviewClick.from_body(body)
    try:
        email = await deps.people.email_of(client, click.user_id)
        told = await clear_away(deps.temporal, deps.settings, AwayClear(email, email))
        sentence = f"Welcome back. {told}"
    except IdentityUnavailable as error:
        sentence = f"Nothing changed: {error}"
    except AwayRefused as refusal:
        sentence = f"Nothing changed: {refusal}"
    except AwayUnavailable:
        sentence = NOT_REACHED
    people = await deps.people.mentions(client, emails_in(sentence))
    await tell(client, click.channel, click.user_id, sentence, people)
    await publish_home(client, deps, click.user_id)
