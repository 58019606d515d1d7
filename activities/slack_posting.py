"""Posting a Slack message exactly once, across retries, worker crashes and lost answers.

`chat.postMessage` has no idempotency key of its own, so every post carries one in its message
metadata: the workflow, run and activity id plus the channel, the same for every attempt of one
scheduled activity and different for any other. What was posted is kept where it survives the
worker: the activity's heartbeat details (read by the next attempt) and the message itself.
Before posting again, a retry looks for the key in the channel's `conversations.history`, and
looks again after posting: an earlier attempt may still be alive and have posted in between.
All attempts then agree on the oldest copy: it stays live, the others lose their buttons, and
every attempt returns it, so whichever result Temporal keeps points at the live message.

A post whose answer is ambiguous (5xx, a dropped connection, a timeout: Slack may have posted)
is never blindly repeated: the channel is searched for the key first, and when nothing is
found the attempt fails and Temporal's retry policy tries again, searching first. Rate limits
(429) on the post are safe to retry in place, as Slack did nothing.

The search itself is not retried in place when rate-limited: Slack may allow some apps one
`conversations.history` call a minute, longer than an attempt may run. A search before posting
fails the attempt (retryable, after Slack's Retry-After): posting unsearched could post twice.
A search after posting keeps what this attempt posted: the post stands either way.
"""

from __future__ import annotations

import functools
from collections import OrderedDict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block
from slack_sdk.web.async_client import AsyncWebClient
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.heartbeats import beat
from activities.slack_errors import (
    TRANSIENT_ERRORS,
    call_slack,
    from_connection_error,
    from_slack_api_error,
    slack_http_status,
)
from slack_api.client import CONNECTION_FAILURES, slack_error_code, without_rate_limit_retries
from workflow.activity_payloads import PostedMessage

METADATA_EVENT_TYPE = "schema_review_message"
# A search reaches back to when the activity was first scheduled (no attempt posted before
# that), less this margin, since Slack's clock and Temporal's may differ a little.
CLOCK_MARGIN = timedelta(minutes=5)
HISTORY_PAGE = 200
HISTORY_PAGES = 5
# Enough for every activity retry in flight on one worker; older entries are long finished.
POSTED_MEMORY = 2048
# The error type of a search Slack rate-limited (retryable, after Slack's Retry-After).
SEARCH_RATE_LIMITED = "SlackSearchRateLimited"
# When Slack gives no Retry-After with a rate-limited search.
SEARCH_RETRY_AFTER = timedelta(seconds=60)
# What a copy that slipped through says once closed: no buttons, and where the real one is.
DUPLICATE_TEXT = "This message was sent twice by mistake; the one above is the one to use."


class OncePoster:
    """Posts through `slack`, which must not retry 5xx or dropped connections on its own
    (see `slack_api.client.without_blind_retries`); `reader` searches and closes
    copies, and may retry whatever it likes."""

    def __init__(self, slack: AsyncWebClient, reader: AsyncWebClient) -> None:
        self._slack = slack
        self._reader = reader
        self._searcher = without_rate_limit_retries(reader)
        # Per activity execution: idempotency key -> what it posted. Saves a search when the
        # retry lands on the worker that posted, which is the common case.
        self._posted: OrderedDict[str, dict[str, PostedMessage]] = OrderedDict()

    async def post(
        self, channel: str, text: str, blocks: Sequence[Block], *, doing: str
    ) -> PostedMessage:
        if not activity.in_activity():
            return await self._post(channel, text, blocks, None, doing=doing)
        info = activity.info()
        execution = f"{info.workflow_id}/{info.workflow_run_id}/{info.activity_id}"
        key = f"{execution}/{channel}"
        posted = self._posted.setdefault(execution, _from_heartbeat(info.heartbeat_details))
        self._posted.move_to_end(execution)
        while len(self._posted) > POSTED_MEMORY:
            self._posted.popitem(last=False)
        if key in posted:
            return posted[key]
        found = await self.find(channel, key, doing=doing) if info.attempt > 1 else None
        if found is None:
            try:
                found = await self._post(channel, text, blocks, key, doing=doing)
            except _Ambiguous as unsure:
                found = await self.find(channel, key, doing=doing)
                if found is None:
                    raise unsure.error from unsure.__cause__
            else:
                if _may_have_company(info):
                    # Another attempt of this activity may have posted too, before or after
                    # this one: every attempt looks again, so all settle on the oldest copy
                    # (the one left live) whichever of them Temporal keeps the result of.
                    found = await self._look_again(channel, key, found, doing=doing)
        posted[key] = found
        beat({k: [p.channel, p.ts] for k, p in posted.items()})
        return found

    async def _look_again(
        self, channel: str, key: str, posted: PostedMessage, *, doing: str
    ) -> PostedMessage:
        """The oldest copy under `key` after this attempt posted `posted`; `posted` itself when
        Slack rate-limits the search (the other attempts still look, and close this one)."""
        try:
            return await self.find(channel, key, doing=doing) or posted
        except ApplicationError as error:
            if error.type != SEARCH_RATE_LIMITED:
                raise
            activity.logger.warning(
                "Slack rate-limited the search of %s after posting; keeping %s", channel, posted.ts
            )
            return posted

    async def find(self, channel: str, key: str, *, doing: str) -> PostedMessage | None:
        """The message posted under `key` in `channel`, if any; copies beyond the first are
        closed (their buttons removed), so that only one stays live."""
        oldest = activity.info().scheduled_time - CLOCK_MARGIN
        matches: list[str] = []
        cursor = ""
        for _ in range(HISTORY_PAGES):
            page = await self._history_page(channel, oldest.timestamp(), cursor, doing=doing)
            if page is None:
                return None
            messages: list[dict[str, Any]] = page.get("messages", [])
            matches += [str(m["ts"]) for m in messages if _key_of(m) == key]
            cursor = str((page.get("response_metadata") or {}).get("next_cursor") or "")
            if not page.get("has_more") or not cursor:
                break
        if not matches:
            return None
        first, *copies = sorted(matches, key=float)
        activity.logger.info(
            "Already posted in %s as %s (key %s): not posting again", channel, first, key
        )
        for ts in copies:
            await self._close_copy(channel, ts)
        return PostedMessage(channel=channel, ts=first)

    async def _history_page(
        self, channel: str, oldest: float, cursor: str, *, doing: str
    ) -> dict[str, Any] | None:
        """One page of the channel's history, or None when the app may not read it (an
        install without the history scopes): the post then goes out without the search, as
        it did before the keys, rather than not at all."""
        try:
            page = await call_slack(
                functools.partial(
                    self._searcher.conversations_history,
                    channel=channel,
                    oldest=f"{oldest:.6f}",
                    limit=HISTORY_PAGE,
                    include_all_metadata=True,
                    cursor=cursor or None,
                ),
                doing=f"looking for a message already posted while {doing}",
                channel=channel,
            )
        except ApplicationError as error:
            cause = error.__cause__
            if isinstance(cause, SlackApiError) and _rate_limited(cause):
                raise ApplicationError(
                    f"Slack rate-limited the search for an earlier post while {doing}; will try"
                    " again once Slack allows it.",
                    type=SEARCH_RATE_LIMITED,
                    next_retry_delay=_retry_after(cause),
                ) from error
            if not error.non_retryable:
                raise
            activity.logger.warning(
                "Cannot search %s for an earlier post, posting without the search: %s",
                channel,
                error.message,
            )
            return None
        return dict(page.data) if isinstance(page.data, dict) else {}

    async def _close_copy(self, channel: str, ts: str) -> None:
        activity.logger.warning("Closing a duplicate Slack message %s in %s", ts, channel)
        try:
            await self._reader.chat_update(channel=channel, ts=ts, text=DUPLICATE_TEXT, blocks=[])
        except SlackApiError as error:
            if slack_error_code(error) != "message_not_found":
                raise from_slack_api_error(
                    error, doing="closing a duplicate message", channel=channel
                ) from error
        except CONNECTION_FAILURES as error:
            raise from_connection_error(error, doing="closing a duplicate message") from error

    async def _post(
        self, channel: str, text: str, blocks: Sequence[Block], key: str | None, *, doing: str
    ) -> PostedMessage:
        metadata = (
            {"event_type": METADATA_EVENT_TYPE, "event_payload": {"idempotency_key": key}}
            if key is not None
            else None
        )
        try:
            response = await self._slack.chat_postMessage(
                channel=channel,
                text=text,
                blocks=blocks,
                unfurl_links=False,
                unfurl_media=False,
                metadata=metadata,
            )
        except SlackApiError as error:
            if _maybe_posted(error):
                raise _Ambiguous(
                    from_slack_api_error(error, doing=doing, channel=channel)
                ) from error
            if slack_error_code(error) == "users_not_found":
                raise
            raise from_slack_api_error(error, doing=doing, channel=channel) from error
        except CONNECTION_FAILURES as error:
            raise _Ambiguous(from_connection_error(error, doing=doing)) from error
        return PostedMessage(channel=str(response["channel"]), ts=str(response["ts"]))


class _Ambiguous(Exception):
    """Slack may or may not have posted; `error` is what to raise if it did not."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def _may_have_company(info: activity.Info) -> bool:
    """Whether another attempt may be posting at the same time as this one: any retry (the
    attempt before it may still be alive, stalled between its post and its answer), and an
    attempt that ran long enough that Temporal may have retried it meanwhile."""
    return info.attempt > 1 or _maybe_timed_out(info)


def _maybe_timed_out(info: activity.Info) -> bool:
    limit = info.heartbeat_timeout or info.start_to_close_timeout
    if limit is None:
        return False
    return datetime.now(UTC) - info.started_time > limit / 2


def _rate_limited(error: SlackApiError) -> bool:
    return slack_http_status(error) == 429 or slack_error_code(error) == "ratelimited"


def _retry_after(error: SlackApiError) -> timedelta:
    headers = {str(k).lower(): v for k, v in (error.response.headers or {}).items()}
    value = headers.get("retry-after")
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        seconds = int(str(value))
    except ValueError:
        return SEARCH_RETRY_AFTER
    return timedelta(seconds=max(seconds, 1))


def _maybe_posted(error: SlackApiError) -> bool:
    status = slack_http_status(error)
    if _rate_limited(error):
        return False
    return status >= 500 or slack_error_code(error) in TRANSIENT_ERRORS


def _key_of(message: dict[str, Any]) -> str | None:
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != METADATA_EVENT_TYPE:
        return None
    key = (metadata.get("event_payload") or {}).get("idempotency_key")
    return key if isinstance(key, str) else None


def _from_heartbeat(details: Sequence[Any]) -> dict[str, PostedMessage]:
    """What an earlier attempt posted, as it said in its last heartbeat."""
    found: dict[str, PostedMessage] = {}
    posted = details[0] if details else None
    if isinstance(posted, dict):
        for key, where in posted.items():
            if isinstance(where, list) and len(where) == 2:
                found[str(key)] = PostedMessage(channel=str(where[0]), ts=str(where[1]))
    return found
