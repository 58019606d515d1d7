"""A policy file with problems stops the processes that start reviews, before they connect to
anything: one line per problem, exit 2, nothing started."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.bot.processes.run_command import STARTER_PEOPLE, clean_env, spawn_bot

BAD_POLICY = """
[[rule]]
schemas = "payments-*"
[rule.policy.Review1]
reviewers = ["alice@example.com", "bob"]
approvals = 3

[[rule]]
schemas = "payments-eu-*"
colour = "blue"
"""


async def said_by(tmp_path: Path, *args: str) -> tuple[int | None, str]:
    policy = tmp_path / "policy.toml"
    policy.write_text(BAD_POLICY)
    # Nothing listens there: a process that got past the file would say Temporal is down.
    env = clean_env() | {"REVIEW_POLICY_FILE": str(policy), "TEMPORAL_ADDRESS": "127.0.0.1:9"}
    process = await spawn_bot(tmp_path, *args, env=env)
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, out.decode()


@pytest.mark.parametrize(
    "args",
    [
        (
            "start",
            "payments-eu-cards",
            "--content-uri",
            "https://example.com/p.json",
            *STARTER_PEOPLE[:2],
        ),
        ("web",),
    ],
    ids=["starter", "web"],
)
async def test_each_problem_of_the_policy_file_is_one_line_and_stops_the_start(
    tmp_path: Path, args: tuple[str, ...]
) -> None:
    code, said = await said_by(tmp_path, *args)

    assert code == 2, said
    assert "Cannot start: the settings have problems:" in said
    lines = [line.strip() for line in said.splitlines() if "REVIEW_POLICY_FILE" in line]
    assert len(lines) == 3, said
    assert "rule 1 (payments-*): policy.Review1.reviewers[1] must be an email address" in lines[0]
    assert "rule 1 (payments-*): policy.Review1.approvals is 3, above the 2 people" in lines[1]
    assert "rule 2 (payments-eu-*): unknown key 'colour'" in lines[2]
    assert "Temporal" not in said and "Traceback" not in said
