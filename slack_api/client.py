"""The one Slack Web API client factory, its two retry profiles, and what a failed call says,
whatever shape Slack gave it.

Two callers, two profiles (`RetryProfile`):

- `PERSON_WAITING`, the bot's: someone clicked and waits for an answer within Slack's 3
  seconds, so fewer and shorter tries, then a sentence. A post (`chat.postMessage`,
  `chat.postEphemeral`…) is retried only on 429: a 5xx or a dropped connection may come after
  Slack posted, and a blind retry would post it twice. Bolt gives each request a client of its
  own that shares the session and these retry handlers, so the rule holds for every listener.
- `WORKER`, the activities': Temporal's retry policy stands behind every attempt, so slack_sdk
  retries inside one attempt only what Slack did not act on or what is safe to repeat, and
  the activities derive what each call needs: `without_blind_retries` for posts (see
  `activities.slack_posting`), `without_rate_limit_retries` for searches.

A session shared by every call saves a TCP connection and a DNS lookup per call (slack_sdk
otherwise opens a session per call); close it with `close_client` on the way out.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import default_interval_calculator
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator
from slack_sdk.http_retry.jitter import Jitter
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from slack_api.call_metrics import SlackCallRecorder, with_call_recorder


@dataclass(frozen=True)
class RetryProfile:
    """How a client retries inside one call, and how long it waits for each answer.

    `backoff` spaces the retries of 5xx answers and dropped connections (a 429 waits for
    Slack's Retry-After). `repeats_ambiguous_posts`: whether a post answered 5xx, or whose
    connection dropped, is retried like a read; False when nothing stands behind the client
    to find out whether Slack posted."""

    rate_limit_retries: int
    server_error_retries: int
    connection_error_retries: int
    timeout_seconds: int
    backoff: RetryIntervalCalculator
    repeats_ambiguous_posts: bool


class _ShortJitter(Jitter):
    """Up to 0.1 s more, so that retries from a burst of clicks do not arrive together;
    slack_sdk's default adds up to a second per retry, too long for a person waiting."""

    def recalculate(self, duration: float) -> float:
        return duration + random.random() * 0.1


# A person is waiting: 0.2 s, then 0.4 s, so two retries fit in Slack's 3 seconds for an
# answer, and no post is repeated blindly since nothing would notice the double.
PERSON_WAITING = RetryProfile(
    rate_limit_retries=1,
    server_error_retries=2,
    connection_error_retries=2,
    timeout_seconds=10,
    backoff=BackoffRetryIntervalCalculator(backoff_factor=0.2, jitter=_ShortJitter()),
    repeats_ambiguous_posts=False,
)

# A worker, with Temporal's retries behind it. Each rate-limited retry sleeps out Slack's
# Retry-After inside the activity, so the count stays small: beyond it the activity fails
# retryably and Temporal's own backoff takes over, without holding a worker slot for minutes.
# Posts go through `without_blind_retries`, which keeps only the 429 retries.
WORKER = RetryProfile(
    rate_limit_retries=2,
    server_error_retries=2,
    connection_error_retries=2,
    timeout_seconds=15,
    backoff=default_interval_calculator,
    repeats_ambiguous_posts=True,
)

# A dropped connection or a timeout: Slack may or may not have acted.
CONNECTION_FAILURES: tuple[type[Exception], ...] = (
    aiohttp.ClientError,
    TimeoutError,
    asyncio.TimeoutError,
)
# What a failed call can raise once the retries are spent.
SLACK_FAILURES: tuple[type[Exception], ...] = (SlackApiError, *CONNECTION_FAILURES)

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


def build_slack_client(
    token: str | None,
    base_url: str,
    *,
    profile: RetryProfile,
    session: aiohttp.ClientSession | None = None,
) -> AsyncWebClient:
    """A client of `base_url` (Slack, or the local stand-in) retrying as `profile` says.

    `session`: one HTTP session for every call, closed by its owner (`close_client`); None
    opens a session per call."""
    ambiguous: list[AsyncRetryHandler] = [
        AsyncServerErrorRetryHandler(
            max_retry_count=profile.server_error_retries, interval_calculator=profile.backoff
        ),
        AsyncConnectionErrorRetryHandler(
            max_retry_count=profile.connection_error_retries, interval_calculator=profile.backoff
        ),
    ]
    if not profile.repeats_ambiguous_posts:
        ambiguous = [_UnlessPosting(handler) for handler in ambiguous]
    return AsyncWebClient(
        token=token,
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        timeout=profile.timeout_seconds,
        session=session,
        # The recorder comes first and stays whatever else goes: every call is counted
        # (`slack_api.call_metrics`).
        retry_handlers=with_call_recorder(
            [
                AsyncRateLimitErrorRetryHandler(max_retry_count=profile.rate_limit_retries),
                *ambiguous,
            ]
        ),
    )


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
        retry_handlers=with_call_recorder(
            [h for h in slack.retry_handlers if keep(h) and not isinstance(h, SlackCallRecorder)]
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
