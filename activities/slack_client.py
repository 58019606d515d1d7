"""The Slack Web API client the activities talk through."""

from __future__ import annotations

import aiohttp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

# Each rate-limited retry sleeps for Slack's Retry-After inside the activity, so keep the count
# small: beyond it the activity fails retryably and Temporal's own backoff takes over, without
# holding a worker slot for minutes.
RATE_LIMIT_RETRIES = 2
SERVER_ERROR_RETRIES = 2
CONNECTION_ERROR_RETRIES = 2
REQUEST_TIMEOUT_SECONDS = 15


def build_slack_client(
    token: str, base_url: str, session: aiohttp.ClientSession | None = None
) -> AsyncWebClient:
    """An AsyncWebClient for `base_url` (Slack, or the local stand-in) that retries the
    failures Slack asks clients to retry: 429 with Retry-After, 500/503, dropped connections.

    `session`: one HTTP session for every call, so that calls reuse connections (without it,
    each call opens a session, a TCP connection and a DNS lookup of its own)."""
    return AsyncWebClient(
        token=token,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        timeout=REQUEST_TIMEOUT_SECONDS,
        session=session,
        retry_handlers=[
            AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            AsyncServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
            AsyncConnectionErrorRetryHandler(max_retry_count=CONNECTION_ERROR_RETRIES),
        ],
    )
