"""The starter: the review it starts (reminding reviewers as settings say), and the
`temporal` commands it prints, runnable as printed."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import shutil
import sysconfig
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from bot.processes.starter import add_arguments, follow_up_commands, review_input_from, temporal_cli
from bot.runtime.settings import load_settings
from tests.fixtures.bot_stack import BotStack
from workflow.models import QUERY_STATUS, ReminderPolicy, workflow_id_for

VENV_BIN = sysconfig.get_path("scripts")
PROJECT_ROOT = Path(__file__).resolve().parents[3]

ARGS = [
    "inventory-service",
    "--content-uri",
    "https://example.com/schemas/inventory-v1.json",
    "--submitted-by",
    "owner@example.com",
]
ROSTER = {
    "default_reviewer_a": "alice@example.com",
    "default_reviewer_b": "bob@example.com",
    "default_senior_reviewer": "carol@example.com",
    "default_compliance_reviewer": "dave@example.com",
}


def parsed() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(ARGS)


def test_a_started_review_carries_the_reminder_settings() -> None:
    settings = load_settings(
        _env_file=None, review_reminder_hours="12", review_max_reminders="5", **ROSTER
    )

    review = review_input_from(parsed(), settings)

    assert review.reminders == ReminderPolicy(43200, 43200, 5)
    assert review.reviewers.reviewer_a == "alice@example.com"


def test_with_reminders_off_the_review_never_reminds() -> None:
    settings = load_settings(_env_file=None, review_max_reminders="0", **ROSTER)

    assert review_input_from(parsed(), settings).reminders is None


def review_schema_id(workflow_id: str) -> str:
    return workflow_id.removeprefix(workflow_id_for(""))


def printed_commands(path: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("PATH", path)
    review = review_input_from(parsed(), load_settings(_env_file=None, **ROSTER))
    return follow_up_commands("schema-approval-inventory-service", review)


def test_without_temporal_on_the_shells_path_the_commands_go_through_uv(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What `uv run python -m bot start` sees: the project's .venv/bin first, which the shell
    # that pastes the commands does not have.
    commands = printed_commands(os.pathsep.join([VENV_BIN, "/usr/bin", "/bin"]), monkeypatch)

    assert commands and all(c.startswith("uv run temporal workflow ") for c in commands)


def test_with_temporal_on_the_path_the_commands_call_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    installed = tmp_path / "temporal"
    installed.write_text("#!/bin/sh\n")
    installed.chmod(0o755)

    commands = printed_commands(os.pathsep.join([str(tmp_path), "/usr/bin"]), monkeypatch)

    assert commands and all(c.startswith("temporal workflow ") for c in commands)


async def test_a_printed_uv_run_command_works_from_a_plain_shell(
    bot_stack: BotStack, temporal_env: WorkflowEnvironment
) -> None:
    """Pasted into a shell that has uv but not the project's .venv/bin on its PATH."""
    workflow_id = await bot_stack.submit()
    shell_path = os.pathsep.join(
        entry for entry in os.environ["PATH"].split(os.pathsep) if Path(entry) != Path(VENV_BIN)
    )
    assert shutil.which("uv", path=shell_path), "uv is not on PATH: the project is run with uv"
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"} | {"PATH": shell_path}
    review = review_input_from(parsed(), bot_stack.settings)
    [query] = [
        c
        for c in follow_up_commands(workflow_id, review, cli=temporal_cli(shell_path))
        if f"--type {QUERY_STATUS}" in c
    ]
    client = temporal_env.client
    flags = ["--address", client.service_client.config.target_host, "--namespace", client.namespace]

    process = await asyncio.create_subprocess_exec(
        *shlex.split(query),
        *flags,
        cwd=PROJECT_ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    async with asyncio.timeout(60):
        out, err = await process.communicate()

    assert query.startswith("uv run temporal ")
    assert process.returncode == 0, f"`{query}` failed:\n{out.decode()}{err.decode()}"
    text = out.decode()
    status = json.loads(text[text.index("{") :])
    assert (status["schema_id"], status["version"]) == (review_schema_id(workflow_id), 1)
