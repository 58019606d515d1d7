"""Documents that cannot be reviewed are refused before anything starts: by `/submit-schema`
and by `python -m bot start`, with the reason, and no review is left running."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from temporalio.client import Client

from bot.reviews.lookup import find_review
from tests.bot.processes.run_command import STARTER_PEOPLE, clean_env, spawn_bot
from tests.bot.reviews.invalid_documents import INVALID_DOCUMENTS
from tests.bot.slack_app.command_runs import run_command
from tests.fixtures.bot_stack import INVENTORY_V1, OWNER, BotStack
from tests.helpers import eventually


@pytest.mark.parametrize("kind", sorted(INVALID_DOCUMENTS))
async def test_submit_schema_refuses_an_invalid_document_with_the_librarys_words(
    bot_stack: BotStack, kind: str
) -> None:
    name, document, words = INVALID_DOCUMENTS[kind]
    schema_id = f"orders-{uuid.uuid4().hex[:8]}"
    url = bot_stack.put_schema(f"{schema_id}-{name}", document)

    reply = await run_command(bot_stack, OWNER, "/submit-schema", f"{schema_id} 1 {url}")

    assert reply.text.startswith("Not submitted: the schema document at")
    for phrase in words:
        assert phrase in reply.text
    assert await find_review(bot_stack.temporal, schema_id) is None
    assert bot_stack.standin.messages_in(bot_stack.user_id("alice@example.com")) == []


async def test_submit_schema_refuses_an_unreachable_document(bot_stack: BotStack) -> None:
    schema_id = f"orders-{uuid.uuid4().hex[:8]}"
    url = bot_stack.schema_url("nowhere.json")

    reply = await run_command(bot_stack, OWNER, "/submit-schema", f"{schema_id} 1 {url}")

    assert reply.text.startswith("Not submitted: the schema document at")
    assert "could not be fetched: the server answered 404 Not Found" in reply.text
    assert await find_review(bot_stack.temporal, schema_id) is None


async def test_submit_schema_refuses_a_copy_of_the_version_under_review(
    bot_stack: BotStack,
) -> None:
    workflow_id = await bot_stack.submit()
    status = await bot_stack.status(workflow_id)
    url = bot_stack.put_schema(f"{status.schema_id}-copy.json", INVENTORY_V1)

    async def uploaded() -> None:
        assert (await bot_stack.status(workflow_id)).digest is not None

    await eventually(uploaded)
    reply = await run_command(
        bot_stack, OWNER, "/submit-schema", f"{status.schema_id} 2 {url} Same again"
    )

    assert "identical to the version under review, version 1" in reply.text
    assert (await bot_stack.status(workflow_id)).version == 1


@pytest.mark.parametrize("kind", sorted(INVALID_DOCUMENTS))
async def test_the_cli_start_refuses_an_invalid_document(
    temporal_client: Client, tmp_path: Path, kind: str
) -> None:
    name, document, words = INVALID_DOCUMENTS[kind]
    path = tmp_path / name
    path.write_text(document)
    schema_id = f"orders-{uuid.uuid4().hex[:8]}"
    env = clean_env() | {
        "TEMPORAL_ADDRESS": temporal_client.service_client.config.target_host,
        "SCHEMA_FETCH_FILE_ROOT": str(tmp_path),
    }

    starter = await spawn_bot(
        tmp_path,
        "start",
        schema_id,
        "--content-uri",
        path.as_uri(),
        *STARTER_PEOPLE,
        env=env,
    )
    out, _ = await starter.communicate()

    text = out.decode()
    assert starter.returncode == 2, text
    assert "Not started: the schema document at" in text
    for phrase in words:
        assert phrase in text
    assert await find_review(temporal_client, schema_id) is None
