"""Every Slack Web API call, counted by method and by what Slack answered.

The bot's client, the per-request clients Bolt makes from it, and the activities' clients all
carry the same list of retry handlers (`slack_api.client`), and
slack_sdk shows every answer of every attempt to the first handler of that list before it
decides whether to retry. So the recorder is that first handler: it counts and never retries,
and no call site can forget to count. A retried call counts once per attempt, as Slack saw it.
"""

from __future__ import annotations

import asyncio
import re

import aiohttp
from prometheus_client import Counter
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

SLACK_API_CALLS = Counter(
    "schema_approval_slack_api_calls",
    "Slack Web API calls (each attempt), by method and answer code (ok when it succeeded)",
    ["method", "code"],
)
SLACK_API_ERRORS = Counter(
    "schema_approval_slack_api_errors",
    "Slack Web API calls that failed, by method and Slack's error code (or http_<status>,"
    " connection_error, timeout)",
    ["method", "code"],
)

# Label values must stay a small set: a method or code that does not look like Slack's own
# (a proxy's page, a mistyped URL) is counted as "other" rather than as a label of its own.
_METHOD = re.compile(r"[a-zA-Z]+(\.[a-zA-Z]+){1,3}")
_CODE = re.compile(r"[a-z][a-z0-9_]{0,49}")
OTHER = "other"


def method_of(request: HttpRequest) -> str:
    method = request.url.rstrip("/").rsplit("/", 1)[-1].split("?", 1)[0]
    return method if _METHOD.fullmatch(method) else OTHER


def answer_code(response: HttpResponse | None, error: Exception | None) -> str:
    if error is not None:
        if isinstance(error, TimeoutError | asyncio.TimeoutError):
            return "timeout"
        if isinstance(error, aiohttp.ClientError):
            return "connection_error"
        return "unreadable_answer"
    if response is None:
        return "connection_error"
    body = response.body if isinstance(response.body, dict) else {}
    if response.status_code == 200 and body.get("ok") is True:
        return "ok"
    code = body.get("error")
    if isinstance(code, str):
        return code if _CODE.fullmatch(code) else OTHER
    return f"http_{response.status_code}"


def count_call(method: str, code: str) -> None:
    SLACK_API_CALLS.labels(method, code).inc()
    if code != "ok":
        SLACK_API_ERRORS.labels(method, code).inc()


class SlackCallRecorder(AsyncRetryHandler):
    """Counts the answer it is shown; never asks for a retry (the handlers after it decide)."""

    def __init__(self) -> None:
        super().__init__(max_retry_count=0)

    async def can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        count_call(method_of(request), answer_code(response, error))
        return False


def with_call_recorder(handlers: list[AsyncRetryHandler]) -> list[AsyncRetryHandler]:
    """`handlers` with the recorder first, where slack_sdk shows it every answer."""
    return [SlackCallRecorder(), *(h for h in handlers if not isinstance(h, SlackCallRecorder))]
