"""The sandbox's people from SANDBOX_USERS_FILE: good files load, bad ones say what to fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from slack_sandbox.users_file import SandboxUsersError, load_users, user_id_for

TEAM: list[dict[str, Any]] = [
    {"name": "priya", "real_name": "Priya Patel", "email": "priya@acme.test"},
    {"name": "jon", "real_name": "Jon Berg", "email": "jon@acme.test"},
    {"name": "mei", "real_name": "Mei Lin", "email": "mei@acme.test"},
    {"name": "sam", "real_name": "Sam Okafor", "email": "sam@acme.test"},
    {"name": "ana", "real_name": "Ana Costa", "email": "ana@acme.test"},
    {"name": "root", "real_name": "Platform Admin", "email": "admin@acme.test", "admin": True},
]


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "team.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


def test_a_team_file_gives_people_with_ids_that_stay_across_runs(tmp_path: Path) -> None:
    users = load_users(write(tmp_path, TEAM))
    assert [u.real_name for u in users] == [p["real_name"] for p in TEAM]
    assert [u.is_admin for u in users] == [False] * 5 + [True]
    assert users[0].id == user_id_for("PRIYA@acme.test")
    assert users[0].id.startswith("U0") and users[0].id.isupper()
    assert len({u.id for u in users}) == len(users)


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ("[{", "it is not JSON"),
        ({"people": TEAM}, "it must be a JSON list of people"),
        ([*TEAM[:5], "erin"], "entry 6 must be an object with name, real_name and email"),
        ([*TEAM[:4], {**TEAM[4], "role": "x"}], "entry 5 has 'role', which is not one of"),
        ([{**TEAM[0], "email": ""}, *TEAM[1:]], "entry 1 needs 'email' as a non-empty string"),
        ([{**TEAM[0], "email": "priya"}, *TEAM[1:]], "entry 1: 'priya' is not an email address"),
        ([{**TEAM[0], "name": "Priya P"}, *TEAM[1:]], "entry 1: 'Priya P' is not a Slack handle"),
        ([*TEAM[:5], {**TEAM[5], "admin": "yes"}], "entry 6: 'admin' must be true or false"),
        ([*TEAM, {**TEAM[1], "name": "jon2"}], "two people share the email 'jon@acme.test'"),
        (TEAM[:4], "it lists 4 people who are not admins; a review needs 5"),
    ],
)
def test_a_bad_team_file_names_the_entry_and_the_fix(
    tmp_path: Path, data: Any, problem: str
) -> None:
    path = write(tmp_path, data)
    with pytest.raises(SandboxUsersError) as raised:
        load_users(path)
    message = str(raised.value)
    assert message.startswith(f"The sandbox users file {path} cannot be used: ")
    assert problem in message
    assert message.endswith("unset SANDBOX_USERS_FILE to use the built-in people.")


def test_a_missing_team_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SandboxUsersError, match="cannot be read"):
        load_users(tmp_path / "nowhere.json")
