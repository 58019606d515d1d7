"""The `temporal` commands the starter prints, pasted as a user would: the real CLI binary
against the dev server, with the real worker, activities and the Slack stand-in."""

from __future__ import annotations

import argparse
import asyncio
import json
import shlex
import sys
import uuid
from pathlib import Path
from typing import Any

from temporalio.testing import WorkflowEnvironment

from bot.processes.starter import add_arguments, follow_up_commands, review_input_from, start_review
from tests.fixtures.bot_stack import OWNER, BotStack
from tests.helpers import eventually
from workflow.models import (
    QUERY_STATUS,
    REVIEW_1A,
    REVIEW_1B,
    REVIEW_2,
    SIGNAL_RECORD_DECISION,
    SIGNAL_SUBMIT_SCHEMA,
    ReviewInput,
)

TEMPORAL = str(Path(sys.executable).parent / "temporal")
ALICE = "alice@example.com"


def dev_server_flags(env: WorkflowEnvironment) -> list[str]:
    """What a user adds to reach the test's dev server (it is not on localhost:7233)."""
    return [
        "--address",
        env.client.service_client.config.target_host,
        "--namespace",
        env.client.namespace,
    ]


class TemporalCli:
    """Runs a printed command with the real binary, plus any `extra` flags."""

    def __init__(self, *extra: str) -> None:
        self._extra = list(extra)

    async def run(self, command: str) -> str:
        """The command's standard output; fails the test with its output if it fails."""
        words = shlex.split(command)
        # Printed as `uv run temporal …` where `temporal` is not on the PATH: the same binary.
        if words[:2] == ["uv", "run"]:
            words = words[2:]
        program, *args = words
        assert program == "temporal", f"Not a temporal command: {command}"
        process = await asyncio.create_subprocess_exec(
            TEMPORAL,
            *args,
            *self._extra,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        async with asyncio.timeout(30):
            out, err = await process.communicate()
        assert process.returncode == 0, (
            f"`{command}` failed ({process.returncode}):\n{out.decode()}{err.decode()}"
        )
        return out.decode()

    async def status(self, command: str) -> dict[str, Any]:
        """The `status` query's answer, read from the CLI's output."""
        out = await self.run(command)
        # Text output reads "Query result:", "QueryResult" and the JSON (empty lists as null).
        start = out.find("{")
        assert start != -1, f"No JSON in the query output:\n{out}"
        answer: dict[str, Any] = json.loads(out[start:])
        return answer


async def started_review(stack: BotStack, schema_id: str) -> tuple[str, ReviewInput]:
    """The review as `python -m bot start …` starts it, with the roster from the settings."""
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(
        [
            schema_id,
            "--description",
            "Initial schema",
            "--content-uri",
            stack.put_schema(f"{schema_id}-v1.json", {"type": "object"}),
            "--submitted-by",
            OWNER,
        ]
    )
    review = review_input_from(args, stack.settings)
    return await start_review(stack.temporal, stack.settings, review), review


def printed(commands: list[str], name: str, stage: str | None = None) -> str:
    """The printed command that sends `name` (for a decision: at `stage`)."""
    found = [
        c
        for c in commands
        if f"--name {name} " in c or f"--type {name}" in c
        if stage is None or f'"stage": "{stage}"' in c
    ]
    assert len(found) == 1, f"Expected one {name} {stage or ''} command in {commands}"
    return found[0]


async def until_pending(cli: TemporalCli, query: str, *stages: str) -> dict[str, Any]:
    async def open_now() -> dict[str, Any]:
        status = await cli.status(query)
        pending = status["pending_reviewers"] or []
        assert sorted(p["stage"] for p in pending) == sorted(stages), status
        return status

    return await eventually(open_now, within=20)


async def test_printed_commands_approve_the_review_and_read_its_status(
    bot_stack: BotStack, temporal_env: WorkflowEnvironment
) -> None:
    cli = TemporalCli(*dev_server_flags(temporal_env))
    schema_id = f"inventory-{uuid.uuid4().hex[:8]}"
    workflow_id, review = await started_review(bot_stack, schema_id)
    commands = follow_up_commands(workflow_id, review)
    query = printed(commands, QUERY_STATUS)

    await until_pending(cli, query, REVIEW_1A, REVIEW_1B)
    await cli.run(printed(commands, SIGNAL_RECORD_DECISION, REVIEW_1A))
    await cli.run(printed(commands, SIGNAL_RECORD_DECISION, REVIEW_1B))
    await until_pending(cli, query, REVIEW_2)
    await cli.run(printed(commands, SIGNAL_RECORD_DECISION, REVIEW_2))

    result = await bot_stack.result(workflow_id)
    status = await cli.status(query)
    assert (result.schema_id, result.approved_version) == (schema_id, 1)
    assert [(d.stage, d.approved) for d in result.decisions] == [
        (REVIEW_1A, True),
        (REVIEW_1B, True),
        (REVIEW_2, True),
    ]
    assert (status["schema_id"], status["version"], status["state"]) == (schema_id, 1, "approved")
    assert not status["pending_reviewers"]
    # The owner hears of it in Slack, and no Slack message keeps live buttons.
    owner_dm = bot_stack.standin.messages_in(bot_stack.user_id(OWNER))
    assert any(f"{schema_id} v1 is approved" in m.text for m in owner_dm)

    async def all_closed() -> None:
        alice_dm = bot_stack.standin.messages_in(bot_stack.user_id(ALICE))
        assert alice_dm and all("actions" not in str(m.blocks) for m in alice_dm)

    await eventually(all_closed)


async def test_printed_submit_command_hands_the_review_a_new_version(
    bot_stack: BotStack, temporal_env: WorkflowEnvironment
) -> None:
    # Pasted exactly as printed: the starter's settings name the dev server, so do the commands.
    cli = TemporalCli()
    client = temporal_env.client
    settings = bot_stack.settings.model_copy(
        update={
            "temporal_address": client.service_client.config.target_host,
            "temporal_namespace": client.namespace,
        }
    )
    workflow_id, review = await started_review(bot_stack, f"orders-{uuid.uuid4().hex[:8]}")
    commands = follow_up_commands(workflow_id, review, settings)
    query = printed(commands, QUERY_STATUS)
    await until_pending(cli, query, REVIEW_1A, REVIEW_1B)
    # The owner edits the document at its URL, then pastes the command: a copy of the version
    # under review would be refused as nothing to review.
    bot_stack.put_schema(
        f"{review.submission.schema_id}-v1.json", {"type": "object", "title": "v2"}
    )

    await cli.run(printed(commands, SIGNAL_SUBMIT_SCHEMA))

    # The reviewers are asked again, now about version 2.
    await bot_stack.review_message(ALICE, version=2)
    status = await cli.status(query)
    assert (status["version"], status["state"], status["description"]) == (
        2,
        "awaiting_review",
        "Updated schema",
    )
    await bot_stack.handle(workflow_id).terminate("test finished")
