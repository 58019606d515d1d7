"""Pages of open reviews for `/schema-status`: their true count and one page at a time from
Temporal's visibility store, seeking with the store's page token when the previous page gave
one (reading past every earlier review otherwise)."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from bot.reviews.lookup import (
    ANY_FAILURE,
    MAX_PAGE_SIZE,
    TEMPORAL_TIMEOUT,
    ReviewSummary,
    TemporalUnavailable,
    check_unavailable,
    summary_of,
)

log = logging.getLogger(__name__)


async def count_reviews(
    client: Client, query: str | None, within: timedelta = TEMPORAL_TIMEOUT
) -> int:
    """How many runs match (for open reviews: how many schemas), counted by the visibility
    store itself rather than by listing them."""
    if query is None:
        return 0
    try:
        async with asyncio.timeout(within.total_seconds()):
            counted = await client.count_workflows(query, rpc_timeout=within)
    except ANY_FAILURE as error:
        check_unavailable(error)
        log.warning("Could not count reviews: %r", error)
        raise TemporalUnavailable() from error
    return counted.count


async def list_open_page(
    client: Client,
    query: str | None,
    limit: int,
    *,
    offset: int = 0,
    page_token: bytes | None = None,
    within: timedelta = TEMPORAL_TIMEOUT,
) -> tuple[list[ReviewSummary], bytes | None]:
    """One page of open reviews (one run each) and the store's token for the page after it.

    With `page_token` (from the previous page) the store seeks to the page; without it, it
    reads past `offset` reviews. A token the store does not take (expired, or not its own) is
    dropped for the offset."""
    if query is None:
        return [], None
    try:
        async with asyncio.timeout(within.total_seconds()):
            try:
                return await _one_page(client, query, limit, offset, page_token, within)
            except RPCError as error:
                if page_token is None or error.status != RPCStatusCode.INVALID_ARGUMENT:
                    raise
                return await _one_page(client, query, limit, offset, None, within)
    except ANY_FAILURE as error:
        check_unavailable(error)
        log.warning("Could not list reviews: %r", error)
        raise TemporalUnavailable() from error


async def _one_page(
    client: Client,
    query: str,
    limit: int,
    offset: int,
    page_token: bytes | None,
    within: timedelta,
) -> tuple[list[ReviewSummary], bytes | None]:
    skip = 0 if page_token else offset
    pages = client.list_workflows(
        query,
        page_size=min(skip + limit, MAX_PAGE_SIZE),
        next_page_token=page_token,
        rpc_timeout=within,
    )
    found: list[ReviewSummary] = []
    while len(found) < skip + limit:
        await pages.fetch_next_page()
        found += [summary_of(e) for e in pages.current_page or []]
        if not pages.next_page_token:
            break
    # The token continues after the last row read: right only when that row ends this page.
    token = pages.next_page_token if len(found) == skip + limit else None
    return found[skip : skip + limit], token or None
