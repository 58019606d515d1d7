"""The simulated workspace's people, and the bot user the stand-in speaks as."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

TEAM_ID = "T0SANDBOX1"
TEAM_DOMAIN = "sandbox"
TEAM_NAME = "Schema Sandbox"
APP_ID = "A0SANDBOX1"


@dataclass(frozen=True)
class SimulatedUser:
    """A person in the simulated workspace; `name` is Slack's handle (`@alice`)."""

    id: str
    name: str
    real_name: str
    email: str
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    tz: str = "Europe/Amsterdam"

    def as_slack_user(self) -> dict[str, Any]:
        """The user object of `users.info` and `users.lookupByEmail`."""
        profile: dict[str, Any] = {
            "real_name": self.real_name,
            "real_name_normalized": self.real_name,
            "display_name": self.name,
            "display_name_normalized": self.name,
            "team": TEAM_ID,
        }
        if not self.is_bot:
            profile["email"] = self.email
        return {
            "id": self.id,
            "team_id": TEAM_ID,
            "name": self.name,
            "deleted": False,
            "real_name": self.real_name,
            "tz": self.tz,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "profile": profile,
        }

    def as_payload_user(self) -> dict[str, str]:
        """The `user` object Slack puts into interaction payloads."""
        return {"id": self.id, "username": self.name, "name": self.name, "team_id": TEAM_ID}


BOT_USER = SimulatedUser(
    id="U0SCHEMABOT",
    name="schema-approvals",
    real_name="Schema Approvals",
    email="",
    is_bot=True,
)
BOT_ID = "B0SCHEMABOT"


def default_users() -> list[SimulatedUser]:
    """The roster used across the project: a submitter, the four reviewers and an admin; then
    Frank, so that a first-round pool of three (Alice, Bob, Frank), the senior and compliance
    are all different people."""
    return [
        SimulatedUser("U0OWNER001", "owner", "Olivia Owner", "owner@example.com"),
        SimulatedUser("U0ALICE001", "alice", "Alice Anders", "alice@example.com"),
        SimulatedUser("U0BOB00001", "bob", "Bob Brandt", "bob@example.com"),
        SimulatedUser("U0CAROL001", "carol", "Carol Chen", "carol@example.com"),
        SimulatedUser("U0DAVE0001", "dave", "Dave Dekker", "dave@example.com"),
        SimulatedUser("U0ERIN0001", "erin", "Erin Evans", "erin@example.com", is_admin=True),
        SimulatedUser("U0FRANK001", "frank", "Frank Fischer", "frank@example.com"),
    ]


class UserDirectory:
    """Lookups by id and by email (case-insensitive, as Slack does)."""

    def __init__(self, users: Iterable[SimulatedUser]) -> None:
        self._by_id: dict[str, SimulatedUser] = {}
        self._by_email: dict[str, SimulatedUser] = {}
        for user in [*users, BOT_USER]:
            if user.id in self._by_id:
                raise ValueError(f"Two simulated users share the id {user.id}: give each its own.")
            self._by_id[user.id] = user
            if user.email:
                self._by_email[user.email.lower()] = user

    def __iter__(self) -> Iterator[SimulatedUser]:
        return iter(u for u in self._by_id.values() if not u.is_bot)

    def by_id(self, user_id: str) -> SimulatedUser | None:
        return self._by_id.get(user_id)

    def by_email(self, email: str) -> SimulatedUser | None:
        return self._by_email.get(email.strip().lower())

    def require(self, user_id: str) -> SimulatedUser:
        """For whoever drives the people: an unknown id is their mistake, said plainly."""
        user = self._by_id.get(user_id)
        if user is None:
            known = ", ".join(self._by_id)
            raise LookupError(f"No simulated user has the id {user_id!r}; known ids: {known}.")
        return user
