"""Fixtures for the workflow tests."""

from __future__ import annotations

import pytest
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode
from temporalio.testing import WorkflowEnvironment

from workflow.models import SEARCH_ATTRIBUTES


@pytest.fixture(scope="session")
async def time_skipping_client(time_skipping_env: WorkflowEnvironment) -> Client:
    """The time-skipping server's client, with our search attributes registered.

    That server rejects a workflow task that upserts an unknown search attribute (unlike a
    production cluster set up per the README, it starts with none), so register them as the dev
    server fixture does.
    """
    client = time_skipping_env.client
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
    return client
