"""The worker and the web process check the namespace's search attributes at start, against a
real dev server started without them."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from bot.processes.namespace_check import (
    NamespaceNotReady,
    create_command,
    ensure_search_attributes,
)
from workflow.models import SA_SCHEMA_ID, SEARCH_ATTRIBUTES

REPO = Path(__file__).resolve().parents[3]
NAMES = [key.name for key in SEARCH_ATTRIBUTES]


@pytest.fixture
async def bare_server() -> AsyncIterator[WorkflowEnvironment]:
    """A dev server as an operator might bring one: no search attributes of ours."""
    temporal = shutil.which("temporal", path=str(Path(sys.executable).parent))
    assert temporal, "the temporal CLI comes with the dev dependencies: run `uv sync`"
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=temporal, dev_server_log_level="error"
    )
    try:
        yield env
    finally:
        await env.shutdown()


async def custom_attributes(client: Client) -> dict[str, int]:
    listed = await client.operator_service.list_search_attributes(
        ListSearchAttributesRequest(namespace=client.namespace)
    )
    return dict(listed.custom_attributes)


async def test_missing_search_attributes_are_registered_where_the_server_allows(
    bare_server: WorkflowEnvironment,
) -> None:
    client = bare_server.client
    assert not set(NAMES) & set(await custom_attributes(client))

    added = await ensure_search_attributes(client, "localhost:7233")

    assert added == NAMES
    registered = await custom_attributes(client)
    assert {name: registered[name] for name in NAMES} == {
        key.name: key.indexed_value_type.value for key in SEARCH_ATTRIBUTES
    }
    assert await ensure_search_attributes(client, "localhost:7233") == []


async def test_an_attribute_of_another_type_stops_the_start_with_the_reason(
    bare_server: WorkflowEnvironment,
) -> None:
    client = bare_server.client
    await client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=client.namespace,
            search_attributes={SA_SCHEMA_ID.name: IndexedValueType.INDEXED_VALUE_TYPE_TEXT},
        )
    )

    with pytest.raises(NamespaceNotReady) as refused:
        await ensure_search_attributes(client, "localhost:7233")

    assert str(refused.value).startswith(
        "The search attributes of Temporal namespace default have the wrong type (SchemaId is"
        " TEXT instead of KEYWORD)"
    )


async def test_the_worker_stops_at_once_in_a_namespace_that_does_not_exist(
    bare_server: WorkflowEnvironment,
) -> None:
    address = bare_server.client.service_client.config.target_host
    env = {
        **os.environ,
        "TEMPORAL_ADDRESS": address,
        "TEMPORAL_NAMESPACE": "reviews-nowhere",
        "SLACK_BOT_TOKEN": "xoxb-not-used",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "worker",
        cwd=REPO,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)

    assert process.returncode == 1
    assert stderr.decode().strip().splitlines()[-1] == (
        f"Cannot start: Temporal at {address} has no namespace reviews-nowhere: create it with"
        f" `temporal operator namespace create --address {address} reviews-nowhere`, or set"
        " TEMPORAL_NAMESPACE to one that exists."
    )


def test_the_command_that_registers_them_is_given_in_full() -> None:
    assert create_command("reviews", "temporal.internal:7233", list(SEARCH_ATTRIBUTES)) == (
        "temporal operator search-attribute create --address temporal.internal:7233"
        " --namespace reviews --name SchemaId --type Keyword --name SchemaReviewState"
        " --type Keyword --name SchemaPendingReviewers --type KeywordList"
        " --name SchemaSubmittedBy --type Keyword"
    )
