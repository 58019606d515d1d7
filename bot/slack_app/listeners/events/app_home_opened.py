"""App Home: published afresh each time a person opens the tab."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.away_client import absences_now
from bot.reviews.lookup import (
    ExistingReview,
    TemporalUnavailable,
    find_review,
    list_reviews,
    pending_for_query,
    submitted_by_query,
)
from bot.slack_app.deps import BotDeps
from bot.slack_app.listeners.context import deps_of
from slack_api.people import IdentityUnavailable
from slack_presentation.home_blocks import PendingStage, home_notice_view, home_people, home_view
from workflow.models import same_person

log = logging.getLogger(__name__)

# Per review; the reviews are asked at once, so this bounds the whole tab.
STATUS_WAIT = timedelta(seconds=3)

HOME_NO_EMAIL = (
    "Slack did not tell this app your email address, and reviews know people by email, so "
    "your reviews cannot be shown. Ask a workspace admin to grant the app the "
    "users:read.email scope, or to add an email address to your Slack profile."
)
HOME_UNAVAILABLE = (
    "Your reviews cannot be shown right now: the review service (Temporal) did not answer. "
    "Open this tab again in a minute."
)


async def app_home_opened(
    event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    if event.get("tab", "home") != "home":
        return
    await publish_home(client, deps_of(context), str(event["user"]))


async def publish_home(client: AsyncWebClient, deps: BotDeps, user_id: str) -> None:
    """Show `user_id` what waits for them and what they submitted (also after a click there)."""
    try:
        email = await deps.people.email_of(client, user_id)
    except IdentityUnavailable:
        await client.views_publish(user_id=user_id, view=home_notice_view(HOME_NO_EMAIL))
        return
    queue = deps.settings.temporal_task_queue
    try:
        (pending, unreadable), submissions, absences = await asyncio.gather(
            pending_stages(deps, email),
            list_reviews(deps.temporal, submitted_by_query(queue, email)),
            absences_now(deps.temporal, deps.settings),
        )
    except TemporalUnavailable:
        await client.views_publish(user_id=user_id, view=home_notice_view(HOME_UNAVAILABLE))
        return
    absence = next((a for a in absences if same_person(a.person, email)), None)
    people = await deps.people.mentions(client, home_people(pending, submissions, absence))
    view = home_view(pending, submissions, people, unreadable=unreadable, absence=absence)
    await client.views_publish(user_id=user_id, view=view)


async def pending_stages(deps: BotDeps, email: str) -> tuple[list[PendingStage], int]:
    """The stages waiting for `email`, and how many reviews did not say.

    Each review's own status decides, not the search index, which may lag a decision by a
    moment; one review that does not answer leaves the others shown.
    """
    query = pending_for_query(deps.settings.temporal_task_queue, email)
    candidates = await list_reviews(deps.temporal, query)
    answers = await asyncio.gather(
        *(find_review(deps.temporal, c.schema_id, STATUS_WAIT) for c in candidates),
        return_exceptions=True,
    )
    reviews: list[ExistingReview] = []
    unreadable = 0
    for answer in answers:
        if isinstance(answer, TemporalUnavailable):
            unreadable += 1
        elif isinstance(answer, BaseException):
            raise answer
        elif answer is not None and answer.running and answer.status is not None:
            reviews.append(answer)
    stages = [
        PendingStage(review.workflow_id, pending.stage, review.status)
        for review in reviews
        if review.status is not None
        for pending in review.status.pending_reviewers
        if same_person(pending.reviewer, email)
    ]
    return stages, unreadable
