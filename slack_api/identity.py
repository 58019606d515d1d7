"""Slack user ids and the emails the workflow knows people by: who clicked, and whom to
mention when the bot names someone.

Only the Slack-verified user id of a request is trusted; its email comes from `users.info`, so a
reviewer is the person Slack says they are, never what a payload claims.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from slack_api.client import SLACK_FAILURES, slack_error_code
from slack_api.ttl_cache import LOOKUP_MAX_ENTRIES, LOOKUP_TTL_SECONDS, TtlCache
from slack_presentation.mentions import Mentions, person_key, unique_people

log = logging.getLogger(__name__)

IDENTITY_TTL_SECONDS = LOOKUP_TTL_SECONDS
# Mentions only make a reply nicer; past this, the reply goes out with emails instead.
MENTION_LOOKUP_SECONDS = 2.0
# A reply naming more people than this (a long history) mentions the first ones only.
MENTION_LOOKUP_LIMIT = 25

T = TypeVar("T")


class IdentityUnavailable(Exception):
    """The clicker's email cannot be known; `str(error)` is a sentence to show them.
    `transient`: Slack failed to answer (try again), rather than refused to tell."""

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class SlackIdentity:
    """Slack user id <-> email, cached for `ttl_seconds`.

    Lookups are single-flight: when a burst of clicks by one person finds no cached email,
    one `users.info` call answers all of them, rather than one call per click.
    """

    def __init__(
        self,
        ttl_seconds: float = IDENTITY_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._emails: TtlCache[str] = TtlCache(ttl_seconds, LOOKUP_MAX_ENTRIES, clock)
        self._user_ids: TtlCache[str] = TtlCache(ttl_seconds, LOOKUP_MAX_ENTRIES, clock)
        self._emails_in_flight: dict[str, asyncio.Future[str]] = {}
        self._user_ids_in_flight: dict[str, asyncio.Future[str | None]] = {}

    async def email_of(self, client: AsyncWebClient, user_id: str) -> str:
        """The email of a Slack user; IdentityUnavailable when Slack does not give one."""
        if cached := self._emails.get(user_id):
            return cached
        return await _single_flight(
            self._emails_in_flight, user_id, lambda: self._look_up_email(client, user_id)
        )

    async def _look_up_email(self, client: AsyncWebClient, user_id: str) -> str:
        try:
            response = await client.users_info(user=user_id)
        except SLACK_FAILURES as error:
            log.warning("users.info for %s failed: %s", user_id, slack_error_code(error))
            code = slack_error_code(error)
            raise IdentityUnavailable(
                _users_info_problem(code), transient=_is_transient(code)
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

    async def user_id_of(self, client: AsyncWebClient, email: str) -> str | None:
        """The Slack user with this email, or None when the workspace has nobody with it."""
        key = person_key(email)
        if cached := self._user_ids.get(key):
            return cached
        return await _single_flight(
            self._user_ids_in_flight, key, lambda: self._look_up_user_id(client, email, key)
        )

    async def _look_up_user_id(self, client: AsyncWebClient, email: str, key: str) -> str | None:
        try:
            response = await client.users_lookupByEmail(email=email.strip())
        except SlackApiError as error:
            if slack_error_code(error) == "users_not_found":
                return None
            raise
        user_id = str((response.get("user") or {})["id"])
        self._user_ids.put(key, user_id)
        self._emails.put(user_id, email.strip())
        return user_id

    async def mentions(self, client: AsyncWebClient, emails: Iterable[str]) -> Mentions:
        """The Slack users of these emails, as far as Slack tells within a moment. Anyone not
        found (unknown email, Slack error, slow answer) is left out and shown by email: a
        reply never fails, or waits long, over how a name looks."""
        people = unique_people(emails)[:MENTION_LOOKUP_LIMIT]
        found: dict[str, str] = {}

        async def look_up(email: str) -> None:
            try:
                if user_id := await self.user_id_of(client, email):
                    found[person_key(email)] = user_id
            except SLACK_FAILURES as error:
                log.info("%s shown by email, not as a mention: %r", email, error)

        try:
            async with asyncio.timeout(MENTION_LOOKUP_SECONDS):
                await asyncio.gather(*(look_up(email) for email in people))
        except TimeoutError:
            log.info("Slack was slow to name people; the rest are shown by email")
        return found


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
    """Slack did not answer (yet): an outage, a rate limit, a dropped connection."""
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
