"""The bot's Slack Web API client, and what a failed call says, whatever shape Slack gave it.

One aiohttp session for the whole process (slack_sdk otherwise opens one per call). Retries:
429 with Retry-After for every call; 500/503 and dropped connections only for calls that are
safe to repeat. A post (`chat.postMessage`, `chat.postEphemeral`…) is not: a 5xx or a dropped
connection may come after Slack posted, and a blind retry would post it twice (the worker's
`without_blind_retries` is the same rule). Bolt gives each request a client of its own that
shares this session and these retry handlers, so the rule holds for every listener.
"""

from __future__ import annotations

import asyncio
import random

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.jitter import Jitter
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from slack_api.call_metrics import with_call_recorder

# A person is waiting: fewer and shorter tries than the worker's, then a sentence.
RATE_LIMIT_RETRIES = 1
SERVER_ERROR_RETRIES = 2
CONNECTION_ERROR_RETRIES = 2
REQUEST_TIMEOUT_SECONDS = 10


class _ShortJitter(Jitter):
    """Up to 0.1 s more, so that retries from a burst of clicks do not arrive together;
    slack_sdk's default adds up to a second per retry, too long for a person waiting."""

    def recalculate(self, duration: float) -> float:
        return duration + random.random() * 0.1


# 0.2 s, then 0.4 s: two retries fit in Slack's 3 seconds for an answer.
BACKOFF = BackoffRetryIntervalCalculator(backoff_factor=0.2, jitter=_ShortJitter())

# What a failed call can raise once the retries are spent.
SLACK_FAILURES: tuple[type[BaseException], ...] = (
    SlackApiError,
    aiohttp.ClientError,
    TimeoutError,
    asyncio.TimeoutError,
)


# Methods whose repeat posts again: retried only on 429, when Slack did nothing.
POSTING_METHODS = frozenset(
    {"chat.postMessage", "chat.postEphemeral", "chat.scheduleMessage", "chat.meMessage"}
)


def posts(request: HttpRequest) -> bool:
    method = request.url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
    return method in POSTING_METHODS


class _UnlessPosting(AsyncRetryHandler):
    """`inner`'s retries, except for a post."""

    def __init__(self, inner: AsyncRetryHandler) -> None:
        super().__init__(inner.max_retry_count, inner.interval_calculator)
        self.inner = inner

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if posts(request):
            return False
        return await self.inner._can_retry_async(
            state=state, request=request, response=response, error=error
        )


def build_bot_client(token: str | None, base_url: str) -> AsyncWebClient:
    """A client with a session of its own; close it with `close_client` on the way out."""
    return AsyncWebClient(
        token=token,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        timeout=REQUEST_TIMEOUT_SECONDS,
        session=aiohttp.ClientSession(),
        retry_handlers=with_call_recorder(
            [
                AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
                _UnlessPosting(
                    AsyncServerErrorRetryHandler(
                        max_retry_count=SERVER_ERROR_RETRIES, interval_calculator=BACKOFF
                    )
                ),
                _UnlessPosting(
                    AsyncConnectionErrorRetryHandler(
                        max_retry_count=CONNECTION_ERROR_RETRIES, interval_calculator=BACKOFF
                    )
                ),
            ]
        ),
    )


async def close_client(client: AsyncWebClient) -> None:
    if client.session is not None and not client.session.closed:
        await client.session.close()


def slack_error_code(error: BaseException) -> str:
    """Slack's error code ("missing_scope"), or what happened when Slack gave none: an HTTP
    status with a text or HTML body ("http_503"), a dropped connection, a timeout."""
    if isinstance(error, SlackApiError):
        response = error.response
        data = getattr(response, "data", None)
        if isinstance(data, dict) and isinstance(data.get("error"), str):
            return str(data["error"])
        return f"http_{getattr(response, 'status_code', 'error')}"
    if isinstance(error, TimeoutError | asyncio.TimeoutError):
        return "timeout"
    return "connection_error"
