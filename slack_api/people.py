"""Who people are in Slack, for the bot and the activities alike: the email of a Slack user
(who clicked), the Slack user of an email (whom to mention or write to), their DM channel.

The workflow knows people by email; Slack by user id. Only the Slack-verified user id of a
request is trusted, and its email comes from `users.info`, so a reviewer is the person Slack
says they are, never what a payload claims.

Answers are kept in bounded, expiring caches (`slack_api.ttl_cache`), and lookups are
single-flight: a burst of clicks by one person, or a review round naming the same reviewers
again and again, asks Slack once. Failures are this module's own exceptions; the bot shows
`IdentityUnavailable`'s sentence, and the activities turn `PersonNotFound` and
`SlackLookupFailed` into Temporal errors (`activities.slack_errors`).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from slack_api.client import SLACK_FAILURES, slack_error_code
from slack_api.ttl_cache import LOOKUP_MAX_ENTRIES, LOOKUP_TTL_SECONDS, TtlCache
from slack_presentation.mentions import Mentions, person_key, unique_people

log = logging.getLogger(__name__)

# A person waiting: mentions only make a reply nicer; past this, it goes out with emails.
MENTION_LOOKUP_SECONDS = 2.0
# A reply naming more people than this (a long history) mentions the first ones only.
MENTION_LOOKUP_LIMIT = 25

T = TypeVar("T")


class PeopleLookupFailed(Exception):
    """Slack could not say who someone is."""


class PersonNotFound(PeopleLookupFailed):
    """The workspace has nobody with this email: the roster, not Slack, must change."""

    def __init__(self, email: str) -> None:
        super().__init__(f"Slack has no user with the email {email}.")
        self.email = email


class SlackLookupFailed(PeopleLookupFailed):
    """A Slack call failed once its retries were spent; `error` is what slack_sdk or aiohttp
    raised, `code` what it says (`slack_api.client.slack_error_code`)."""

    def __init__(self, method: str, error: Exception) -> None:
        self.method = method
        self.error = error
        self.code = slack_error_code(error)
        super().__init__(f"Slack's {method} failed: {self.code}")

    @property
    def transient(self) -> bool:
        """Slack did not answer (yet): an outage, a rate limit, a dropped connection."""
        return _is_transient(self.code)


class IdentityUnavailable(PeopleLookupFailed):
    """The clicker's email cannot be known; `str(error)` is a sentence to show them.
    `transient`: Slack failed to answer (try again), rather than refused to tell."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class SlackPeople:
    """Slack user id <-> email and each user's DM channel, cached for `ttl_seconds`.

    `mention_seconds` and `mention_limit` bound `mentions` for a person waiting; None leaves
    them unbounded, for a worker, whose activity timeouts bound the wait instead and whose
    messages keep their mentions through a slow Slack."""

    def __init__(
        self,
        *,
        ttl_seconds: float = LOOKUP_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
        mention_seconds: float | None = MENTION_LOOKUP_SECONDS,
        mention_limit: int | None = MENTION_LOOKUP_LIMIT,
    ) -> None:
        self._emails: TtlCache[str] = TtlCache(ttl_seconds, LOOKUP_MAX_ENTRIES, clock)
        self._user_ids: TtlCache[str] = TtlCache(ttl_seconds, LOOKUP_MAX_ENTRIES, clock)
        self._dm_channels: TtlCache[str] = TtlCache(ttl_seconds, LOOKUP_MAX_ENTRIES, clock)
        self._emails_in_flight: dict[str, asyncio.Future[str]] = {}
        self._user_ids_in_flight: dict[str, asyncio.Future[str]] = {}
        self._mention_seconds = mention_seconds
        self._mention_limit = mention_limit

    async def email_of(self, client: AsyncWebClient, user_id: str) -> str:
        """The email of a Slack user; IdentityUnavailable when Slack does not give one."""
        if cached := self._emails.get(user_id):
            return cached
        return await _single_flight(
            self._emails_in_flight, user_id, lambda: self._look_up_email(client, user_id)
        )

    async def _look_up_email(self, client: AsyncWebClient, user_id: str) -> str:
        try:
            response = await _ask("users.info", lambda: client.users_info(user=user_id))
        except SlackLookupFailed as failed:
            log.warning("users.info for %s failed: %s", user_id, failed.code)
            raise IdentityUnavailable(
                _users_info_problem(failed.code), transient=failed.transient
            ) from None
        user = response.get("user") or {}
        email = (user.get("profile") or {}).get("email")
        if not email:
            if user.get("is_bot"):
                raise IdentityUnavailable("Bots cannot take part in schema reviews.")
            raise IdentityUnavailable(
                "Slack did not share your email address with this app, and reviewers are "
                "matched by email. Ask a workspace admin to grant the app the users:read.email "
                "scope, or to add an email address to your Slack profile."
            )
        self._emails.put(user_id, email)
        self._user_ids.put(person_key(email), user_id)
        return str(email)

    async def user_id_of(self, client: AsyncWebClient, email: str) -> str:
        """The Slack user with this email; PersonNotFound when the workspace has nobody with
        it, SlackLookupFailed when Slack could not tell."""
        key = person_key(email)
        if cached := self._user_ids.get(key):
            return cached
        return await _single_flight(
            self._user_ids_in_flight, key, lambda: self._look_up_user_id(client, email, key)
        )

    async def _look_up_user_id(self, client: AsyncWebClient, email: str, key: str) -> str:
        try:
            response = await _ask(
                "users.lookupByEmail", lambda: client.users_lookupByEmail(email=email.strip())
            )
        except SlackLookupFailed as failed:
            if failed.code == "users_not_found":
                raise PersonNotFound(email) from failed.error
            raise
        user_id = str((response.get("user") or {})["id"])
        self._user_ids.put(key, user_id)
        self._emails.put(user_id, email.strip())
        return user_id

    async def dm_channel_of(self, client: AsyncWebClient, email: str) -> str:
        """The direct-message channel between the app and the person with this email."""
        user_id = await self.user_id_of(client, email)
        if cached := self._dm_channels.get(user_id):
            return cached
        response = await _ask(
            "conversations.open", lambda: client.conversations_open(users=user_id)
        )
        channel = str(response["channel"]["id"])
        self._dm_channels.put(user_id, channel)
        return channel

    async def mentions(self, client: AsyncWebClient, emails: Iterable[str]) -> Mentions:
        """The Slack users of these emails, as far as Slack tells (within `mention_seconds`).
        Anyone not found (unknown email, Slack error, slow answer) is left out and shown by
        email: a message never fails, is never retried, and never waits long over how a name
        looks."""
        people = unique_people(emails)
        if self._mention_limit is not None:
            people = people[: self._mention_limit]
        found: dict[str, str] = {}

        async def look_up(email: str) -> None:
            try:
                found[person_key(email)] = await self.user_id_of(client, email)
            except PeopleLookupFailed as error:
                log.info("%s shown by email, not as a mention: %s", email, error)

        try:
            async with asyncio.timeout(self._mention_seconds):
                await asyncio.gather(*(look_up(email) for email in people))
        except TimeoutError:
            log.info("Slack was slow to name people; the rest are shown by email")
        return found


async def _ask(
    method: str, call: Callable[[], Awaitable[AsyncSlackResponse]]
) -> AsyncSlackResponse:
    """One Web API call; its failure, whatever shape Slack gave it, as SlackLookupFailed."""
    try:
        return await call()
    except SLACK_FAILURES as error:
        raise SlackLookupFailed(method, error) from error


async def _single_flight(
    flights: dict[str, asyncio.Future[T]], key: str, look_up: Callable[[], Awaitable[T]]
) -> T:
    """The lookup in flight for `key`, or a new one that later callers share. Shielded: a
    caller that gives up (its own timeout) does not cancel the others' answer."""
    flight = flights.get(key)
    if flight is None:
        flight = asyncio.ensure_future(look_up())
        flights[key] = flight
        flight.add_done_callback(lambda _: flights.pop(key, None))
    return await asyncio.shield(flight)


def _is_transient(code: str) -> bool:
    return code in ("ratelimited", "internal_error", "fatal_error", "service_unavailable") or (
        code.startswith(("http_", "connection", "timeout"))
    )


def _users_info_problem(code: str) -> str:
    if code == "missing_scope":
        return (
            "This app may not read email addresses, and reviewers are matched by email. "
            "Ask a workspace admin to grant it the users:read.email scope."
        )
    if code in ("user_not_found", "user_not_visible"):
        return "Slack could not tell this app who you are, so your click was not recorded."
    if not _is_transient(code):
        return (
            f"Slack could not tell this app who you are ({code}), so your click was not "
            "recorded. Please try again in a minute."
        )
    return (
        "Slack did not answer when this app asked who you are, so nothing was recorded. "
        "Please try again in a minute."
    )
