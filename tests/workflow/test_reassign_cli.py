"""The README's `temporal workflow update execute … reassign_reviewer` command, pasted as a user
would: the real CLI binary against the dev server, the real worker and the Slack stand-in."""

from __future__ import annotations

import asyncio
import json
import shlex
import uuid

from temporalio.testing import WorkflowEnvironment

from tests.fixtures.bot_stack import OWNER, BotStack
from tests.workflow.test_temporal_cli import TEMPORAL, dev_server_flags, started_review
from workflow.models import REVIEW_1A

ERIN = "erin@example.com"


def reassign_command(workflow_id: str, payload: dict[str, str]) -> list[str]:
    command = (
        f"temporal workflow update execute --workflow-id {workflow_id} --name reassign_reviewer"
        f" --input {shlex.quote(json.dumps(payload))}"
    )
    return shlex.split(command)[1:]


async def run_cli(env: WorkflowEnvironment, args: list[str]) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        TEMPORAL,
        *args,
        *dev_server_flags(env),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    async with asyncio.timeout(30):
        out, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_the_readme_command_reassigns_a_seat_or_says_why_not(
    bot_stack: BotStack, temporal_env: WorkflowEnvironment
) -> None:
    workflow_id, review = await started_review(bot_stack, f"inventory-{uuid.uuid4().hex[:8]}")
    await bot_stack.review_message(review.reviewers.reviewer_a)
    payload = {
        "seat": "reviewer_a",
        "reviewer": ERIN,
        "requested_by": OWNER,
        "reason": "Alice is on holiday",
    }

    code, out = await run_cli(temporal_env, reassign_command(workflow_id, payload))

    assert code == 0, out
    assert f"Review1.a now goes to {ERIN}" in out
    await bot_stack.review_message(ERIN, stage=REVIEW_1A)

    again, refusal = await run_cli(temporal_env, reassign_command(workflow_id, payload))

    assert again != 0
    assert f"{ERIN} already holds Review1.a: pick someone else." in refusal
    await bot_stack.handle(workflow_id).terminate("test finished")
