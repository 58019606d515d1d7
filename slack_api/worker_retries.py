"""The Slack Web API client the activities talk through.

Two retry layers, each for what it can do safely: slack_sdk's handlers retry inside one
activity attempt what Slack did not act on or what is safe to repeat (429 with Retry-After
always; 5xx and dropped connections only for reads and updates), and Temporal's retry policy
retries whole attempts with backoff, bounded by the activity's schedule-to-close timeout. A post
is never repeated blindly: see `activities.slack_posting`.
"""

from __future__ import annotations

from collections.abc import Callable

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from slack_api.call_metrics import SlackCallRecorder, with_call_recorder

# Each rate-limited retry sleeps for Slack's Retry-After inside the activity, so keep the count
# small: beyond it the activity fails retryably and Temporal's own backoff takes over, without
# holding a worker slot for minutes.
RATE_LIMIT_RETRIES = 2
SERVER_ERROR_RETRIES = 2
CONNECTION_ERROR_RETRIES = 2
REQUEST_TIMEOUT_SECONDS = 15


def without_blind_retries(slack: AsyncWebClient) -> AsyncWebClient:
    """`slack` retrying only rate limits: for `chat.postMessage`, where a 5xx or a dropped
    connection may come after Slack posted."""
    return _with_retries(slack, lambda h: isinstance(h, AsyncRateLimitErrorRetryHandler))


def without_rate_limit_retries(slack: AsyncWebClient) -> AsyncWebClient:
    """`slack` that leaves a 429 to its caller instead of sleeping out Retry-After in place: for
    `conversations.history`, which Slack may limit to one call a minute, far beyond an attempt's
    start-to-close timeout."""
    return _with_retries(slack, lambda h: not isinstance(h, AsyncRateLimitErrorRetryHandler))


def _with_retries(
    slack: AsyncWebClient, keep: Callable[[AsyncRetryHandler], bool]
) -> AsyncWebClient:
    """`slack` (same token, URL, timeout and session) with only the retry handlers `keep` keeps."""
    return AsyncWebClient(
        token=slack.token,
        base_url=slack.base_url,
        timeout=slack.timeout,
        session=slack.session,
        # The recorder stays whatever else goes: every call is counted (`slack_api.call_metrics`).
        retry_handlers=with_call_recorder(
            [h for h in slack.retry_handlers if keep(h) and not isinstance(h, SlackCallRecorder)]
        ),
    )


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
        retry_handlers=with_call_recorder(
            [
                AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
                AsyncServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
                AsyncConnectionErrorRetryHandler(max_retry_count=CONNECTION_ERROR_RETRIES),
            ]
        ),
    )
