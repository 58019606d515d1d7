"""A review of a `file://` document, through the real worker and the starter: a file outside
SCHEMA_FETCH_FILE_ROOT (a credentials file next to it) is refused with the reason and nothing is
stored; a document below the root is reviewed as any other."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from temporalio.client import Client

from bot.reviews.lookup import find_review
from schemas.store import SchemaStore
from tests.bot.processes.run_command import STARTER_PEOPLE, clean_env, spawn_bot
from tests.fixtures.bot_stack import INVENTORY_V1, OWNER, ROSTER, BotStack
from tests.helpers import eventually
from workflow.models import WORKFLOW_TYPE, ReviewInput, Submission, workflow_id_for

SECRET = "wJalrXUtnFEMI-not-for-reviewers"
OUTSIDE = "it lies outside the directory SCHEMA_FETCH_FILE_ROOT allows"


@pytest.fixture
def credentials(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JSON credentials file in a directory of its own, outside every test's root."""
    path = tmp_path_factory.mktemp("home") / "credentials.json"
    path.write_text(json.dumps({"aws_access_key_id": "AKIA0000", "aws_secret": SECRET}))
    return path


async def start(stack: BotStack, uri: str) -> tuple[str, str]:
    schema_id = f"inventory-{uuid.uuid4().hex[:10]}"
    review = ReviewInput(
        submission=Submission(schema_id, 1, "Initial schema", uri, OWNER), reviewers=ROSTER
    )
    workflow_id = workflow_id_for(schema_id)
    await stack.temporal.start_workflow(
        WORKFLOW_TYPE, review, id=workflow_id, task_queue=stack.settings.temporal_task_queue
    )
    return schema_id, workflow_id


async def test_a_review_of_a_file_outside_the_root_is_refused_and_nothing_stored(
    bot_stack: BotStack, credentials: Path
) -> None:
    schema_id, workflow_id = await start(bot_stack, credentials.as_uri())

    async def refused() -> str:
        status = await bot_stack.status(workflow_id)
        assert status.state == "awaiting_revision", status.state
        return status.revision_reason or ""

    reason = await eventually(refused, within=30)
    assert "Version 1 could not be uploaded." in reason
    assert OUTSIDE in reason
    assert SchemaStore(bot_stack.settings.schema_store_dir).versions(schema_id) == []
    owner_dm = bot_stack.standin.messages_in(bot_stack.user_id(OWNER))
    assert any(OUTSIDE in m.text for m in owner_dm), [m.text for m in owner_dm]
    everything_said = [m.text for m in bot_stack.standin.state.messages]
    assert not any(SECRET in text for text in everything_said)
    assert bot_stack.standin.messages_in(bot_stack.user_id("alice@example.com")) == []


async def test_a_review_of_a_file_below_the_root_goes_to_the_reviewers(
    bot_stack: BotStack,
) -> None:
    root = bot_stack.settings.schema_fetch_file_root
    assert root is not None
    document = root / "inventory.json"
    document.write_text(json.dumps(INVENTORY_V1))

    schema_id, workflow_id = await start(bot_stack, document.as_uri())

    await bot_stack.review_message("alice@example.com", within=30)
    status = await bot_stack.status(workflow_id)
    assert status.digest is not None
    assert SchemaStore(bot_stack.settings.schema_store_dir).versions(schema_id) == [1]


async def test_the_cli_start_refuses_a_file_outside_the_root(
    temporal_client: Client, tmp_path: Path, credentials: Path
) -> None:
    schema_id = f"inventory-{uuid.uuid4().hex[:8]}"
    env = clean_env() | {
        "TEMPORAL_ADDRESS": temporal_client.service_client.config.target_host,
        "SCHEMA_FETCH_FILE_ROOT": str(tmp_path),
    }

    starter = await spawn_bot(
        tmp_path,
        "start",
        schema_id,
        "--content-uri",
        credentials.as_uri(),
        *STARTER_PEOPLE,
        env=env,
    )
    out, _ = await starter.communicate()

    text = out.decode()
    assert starter.returncode == 2, text
    assert f"Not started: the schema document at {credentials.as_uri()} was not read" in text
    assert OUTSIDE in text
    assert SECRET not in text
    assert await find_review(temporal_client, schema_id) is None
