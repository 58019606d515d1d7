"""Reading one page of a list of open reviews for `/schema-status` and its page buttons: the
true count and the page itself from Temporal's visibility store (never a query per review), in
parallel, then the people named, as mentions."""

from __future__ import annotations

import asyncio
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.filters import ReviewList
from bot.reviews.lookup import list_reviews, pending_for_query
from bot.reviews.pages import count_reviews, list_open_page
from bot.slack_app.deps import BotDeps
from slack_api.people import IdentityUnavailable
from slack_presentation.review_list_blocks import ListedPage, review_list_blocks, review_list_text
from workflow.read_models import PAGE_SIZE

WAITING_PREVIEW_READ = 5

OWNER_UNKNOWN = (
    "The owner's email could not be read from Slack, so nothing was listed. Give their email"
    " instead, e.g. `/schema-status owner alice@example.com`."
)


class ListRefused(Exception):
    """The list cannot be read for this person; `str(error)` says why, to show them."""


async def review_list_reply(
    deps: BotDeps, client: AsyncWebClient, user_id: str, listing: ReviewList
) -> dict[str, Any]:
    """`text` and `blocks` of the page; ListRefused or TemporalUnavailable otherwise."""
    queue = deps.settings.temporal_task_queue
    reader = await _reader(deps, client, user_id, needed=listing.kind in ("mine", "waiting"))
    owner = await _owner(deps, client, listing.owner)
    query = listing.query(queue, reader, owner)
    reading = [
        count_reviews(deps.temporal, query),
        list_open_page(
            deps.temporal, query, PAGE_SIZE, offset=listing.offset, page_token=listing.token
        ),
    ]
    preview = listing.kind == "open" and listing.page == 1 and reader is not None
    if preview and reader is not None:
        waiting = pending_for_query(queue, reader)
        reading += [
            count_reviews(deps.temporal, waiting),
            list_reviews(deps.temporal, waiting, WAITING_PREVIEW_READ),
        ]
    found: list[Any] = list(await asyncio.gather(*reading))
    total, (reviews, token) = found[0], found[1]
    page = ListedPage(listing, reviews, total, owner_email=owner, next_token=token)
    if preview:
        page = ListedPage(
            listing, reviews, total, waiting=found[3], waiting_total=found[2], next_token=token
        )
    if not reviews and total > 0 and listing.page > 1:
        # Past the end (or the list shrank since the button was drawn): the last page instead.
        last = listing.at_page(page.last_page)
        reviews, token = await list_open_page(deps.temporal, query, PAGE_SIZE, offset=last.offset)
        page = ListedPage(
            last, reviews, total, owner_email=owner, asked_page=listing.page, next_token=token
        )
    people = await deps.people.mentions(client, page.people())
    return {"text": review_list_text(page), "blocks": review_list_blocks(page, people)}


async def _reader(
    deps: BotDeps, client: AsyncWebClient, user_id: str, *, needed: bool
) -> str | None:
    try:
        return await deps.people.email_of(client, user_id)
    except IdentityUnavailable as error:
        if needed:
            raise ListRefused(str(error)) from None
        return None


async def _owner(deps: BotDeps, client: AsyncWebClient, owner: str | None) -> str | None:
    """The owner's email: as typed, or looked up for a Slack mention (a user id)."""
    if owner is None or "@" in owner:
        return owner
    try:
        return (await deps.people.email_of(client, owner)).lower()
    except IdentityUnavailable:
        raise ListRefused(OWNER_UNKNOWN) from None
