"""Opening a form about one review from a button on `/schema-status` or App Home.

Slack's trigger_id lives 3 seconds and the forms show the review as it stands, so the clicker
and the review's status are read first, within a budget that leaves time to open the form.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.models.views import View
from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.lookup import ExistingReview, TemporalUnavailable, find_review
from bot.slack_app.listeners.actions.review_click import ReviewClick
from bot.slack_app.listeners.context import deps_of
from bot.slack_app.listeners.decide import tell
from slack_api.client import SLACK_FAILURES, slack_error_code
from slack_api.people import IdentityUnavailable
from slack_presentation.mentions import emails_in
from slack_presentation.reassign_modal import InvalidReassignTarget, ReassignTarget
from workflow.models import ReviewStatus

log = logging.getLogger(__name__)

LOOKUP_BUDGET_SECONDS = 2.0
# What keeps the form from opening in time (SLACK_FAILURES includes the budget's TimeoutError).
LOOKUP_FAILURES: tuple[type[BaseException], ...] = (TemporalUnavailable, *SLACK_FAILURES)


@dataclass(frozen=True)
class ReviewForm:
    """One form: its name in sentences, who may open it, and the view it opens."""

    name: str
    refusal: Callable[[ExistingReview | None, str, Sequence[str]], str | None]
    view: Callable[[ReviewStatus, ReassignTarget], View | dict[str, Any]]

    @property
    def not_opened(self) -> str:
        return (
            f"The {self.name} form could not open: Slack or the review service (Temporal) did"
            " not answer in time. Nothing changed; please click the button again in a moment."
        )


async def open_review_form(
    form: ReviewForm,
    ack: AsyncAck,
    body: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    await ack()
    deps = deps_of(context)
    click = ReviewClick.from_body(body)
    try:
        schema_id = ReassignTarget.decode(click.value).schema_id
    except InvalidReassignTarget as error:
        await tell(client, click.channel, click.user_id, str(error))
        return
    try:
        async with asyncio.timeout(LOOKUP_BUDGET_SECONDS):
            email = await deps.people.email_of(client, click.user_id)
            existing = await find_review(deps.temporal, schema_id)
    except IdentityUnavailable as error:
        await tell(client, click.channel, click.user_id, str(error))
        return
    except LOOKUP_FAILURES as error:
        log.warning("The %s form for %s did not open: %r", form.name, schema_id, error)
        await tell(client, click.channel, click.user_id, form.not_opened)
        return
    if refusal := form.refusal(existing, email, deps.settings.slack_admins):
        people = await deps.people.mentions(client, emails_in(refusal))
        await tell(client, click.channel, click.user_id, refusal, people)
        return
    assert existing is not None and existing.status is not None
    target = ReassignTarget(schema_id, click.channel)
    try:
        await client.views_open(
            trigger_id=click.trigger_id, view=form.view(existing.status, target)
        )
    except SLACK_FAILURES as error:
        log.warning("The %s form did not open: %s", form.name, slack_error_code(error))
        await tell(client, click.channel, click.user_id, form.not_opened)
