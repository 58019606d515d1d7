"""The sandbox's people from a JSON file, for teams that want to try the bot with their own names.

    [
      {"name": "olivia", "real_name": "Olivia Owner", "email": "owner@example.com"},
      {"name": "alice", "real_name": "Alice Anders", "email": "alice@example.com"},
      ...
      {"name": "erin", "real_name": "Erin Evans", "email": "erin@example.com", "admin": true}
    ]

The first person is the one the run command suggests submitting as; the next four (not counting
admins) are the default roster: Review1.a, Review1.b, senior and compliance.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from slack_sandbox.users import SimulatedUser

FIELDS = {"name", "real_name", "email", "admin"}
# Slack handles: lowercase letters, digits, '.', '_' and '-'.
HANDLE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Someone to submit and the four reviewers of the default roster.
FEWEST_PEOPLE = 5


class SandboxUsersError(ValueError):
    """The users file cannot be used; the message names the file, the entry and the fix."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(
            f"The sandbox users file {path} cannot be used: {problem}. Fix it, or unset "
            "SANDBOX_USERS_FILE to use the built-in people."
        )


def user_id_for(email: str) -> str:
    """A Slack-shaped id that stays the same for the same email across runs."""
    digest = hashlib.sha256(email.lower().encode()).hexdigest()[:9].upper()
    return f"U0{digest}"


def load_users(path: Path) -> list[SimulatedUser]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SandboxUsersError(path, f"it cannot be read ({error.strerror or error})") from None
    except ValueError as error:
        raise SandboxUsersError(path, f"it is not JSON ({error})") from None
    if not isinstance(data, list):
        raise SandboxUsersError(path, "it must be a JSON list of people")
    users = [_user(path, n, entry) for n, entry in enumerate(data, 1)]
    _check_unique(path, users)
    if sum(not u.is_admin for u in users) < FEWEST_PEOPLE:
        raise SandboxUsersError(
            path,
            f"it lists {sum(not u.is_admin for u in users)} people who are not admins; a review "
            f"needs {FEWEST_PEOPLE} (a submitter and four reviewers)",
        )
    return users


def _user(path: Path, n: int, entry: Any) -> SimulatedUser:
    where = f"entry {n}"
    if not isinstance(entry, dict):
        raise SandboxUsersError(path, f"{where} must be an object with name, real_name and email")
    unknown = sorted(set(entry) - FIELDS)
    if unknown:
        raise SandboxUsersError(
            path, f"{where} has {unknown[0]!r}, which is not one of {sorted(FIELDS)}"
        )
    for field in ("name", "real_name", "email"):
        if not isinstance(entry.get(field), str) or not entry[field].strip():
            raise SandboxUsersError(path, f"{where} needs {field!r} as a non-empty string")
    name, email = entry["name"].strip(), entry["email"].strip()
    if not HANDLE.match(name):
        raise SandboxUsersError(
            path, f"{where}: {name!r} is not a Slack handle (lowercase letters, digits, . _ -)"
        )
    if not EMAIL.match(email):
        raise SandboxUsersError(path, f"{where}: {email!r} is not an email address")
    admin = entry.get("admin", False)
    if not isinstance(admin, bool):
        raise SandboxUsersError(path, f"{where}: 'admin' must be true or false")
    return SimulatedUser(user_id_for(email), name, entry["real_name"].strip(), email, admin)


def _check_unique(path: Path, users: list[SimulatedUser]) -> None:
    for attribute in ("name", "email"):
        seen: set[str] = set()
        for user in users:
            value = str(getattr(user, attribute)).lower()
            if value in seen:
                raise SandboxUsersError(path, f"two people share the {attribute} {value!r}")
            seen.add(value)
