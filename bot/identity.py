"""Who clicked: Slack user ids and the emails the workflow knows reviewers by.

Only the Slack-verified user id of a request is trusted; its email comes from `users.info`, so a
reviewer is the person Slack says they are, never what a payload claims.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

# Long enough to spare Slack's rate limits on busy review rounds, short enough that a changed
# email address is picked up within minutes.
IDENTITY_TTL_SECONDS = 600.0

T = TypeVar("T")


class IdentityUnavailable(Exception):
    """The clicker's email cannot be known; `str(error)` is a sentence to show them."""


@dataclass
class _Entry(Generic[T]):
    value: T
    expires_at: float


class _TtlCache(Generic[T]):
    def __init__(self, ttl_seconds: float, clock: Callable[[], float]) -> None:
        self._ttl = ttl_seconds
        self._clock = clock
        self._entries: dict[str, _Entry[T]] = {}

    def get(self, key: str) -> T | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires_at <= self._clock():
            del self._entries[key]
            return None
        return entry.value

    def put(self, key: str, value: T) -> None:
        self._entries[key] = _Entry(value, self._clock() + self._ttl)


class SlackIdentity:
    """Slack user id <-> email, cached for `ttl_seconds`."""

    def __init__(
        self,
        ttl_seconds: float = IDENTITY_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._emails: _TtlCache[str] = _TtlCache(ttl_seconds, clock)
        self._user_ids: _TtlCache[str] = _TtlCache(ttl_seconds, clock)

    async def email_of(self, client: AsyncWebClient, user_id: str) -> str:
        """The email of a Slack user; IdentityUnavailable when Slack does not give one."""
        if cached := self._emails.get(user_id):
            return cached
        try:
            response = await client.users_info(user=user_id)
        except SlackApiError as error:
            raise IdentityUnavailable(
                _users_info_problem(str(error.response.get("error")))
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
        self._user_ids.put(email.lower(), user_id)
        return str(email)

    async def user_id_of(self, client: AsyncWebClient, email: str) -> str | None:
        """The Slack user with this email, or None when the workspace has nobody with it."""
        key = email.strip().lower()
        if cached := self._user_ids.get(key):
            return cached
        try:
            response = await client.users_lookupByEmail(email=email.strip())
        except SlackApiError as error:
            if error.response.get("error") == "users_not_found":
                return None
            raise
        user_id = str((response.get("user") or {})["id"])
        self._user_ids.put(key, user_id)
        self._emails.put(user_id, email.strip())
        return user_id


def _users_info_problem(code: str) -> str:
    if code == "missing_scope":
        return (
            "This app may not read email addresses, and reviewers are matched by email. "
            "Ask a workspace admin to grant it the users:read.email scope."
        )
    if code in ("user_not_found", "user_not_visible"):
        return "Slack could not tell this app who you are, so your click was not recorded."
    return (
        f"Slack could not tell this app who you are ({code}), so your click was not recorded. "
        "Please try again in a minute."
    )
