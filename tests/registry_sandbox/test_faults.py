"""The fault controller in front of the local registry: the failures a client of a real
registry meets (a 5xx before or after the registry acted, no answer at all), and the count of
calls per route that shows how often a client asked."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from confluent_kafka.schema_registry import AsyncSchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

from registry_sandbox import RegistrySandbox
from tests.fixtures.registry import RegistryFaults
from tests.registry_sandbox.examples import avro_v1

REGISTER = "POST /subjects/{subject}/versions"


@pytest.fixture
async def client(schema_registry: RegistrySandbox) -> AsyncIterator[AsyncSchemaRegistryClient]:
    # Retries come fast here, so that a test of a retry takes milliseconds.
    async with AsyncSchemaRegistryClient(
        {"url": schema_registry.url, "max.retries": 2, "retries.wait.ms": 1}
    ) as client:
        yield client


async def test_a_5xx_after_effect_registered_the_schema_though_the_caller_saw_a_failure(
    schema_registry: RegistrySandbox,
    registry_faults: RegistryFaults,
    client: AsyncSchemaRegistryClient,
) -> None:
    registry_faults.fail_after_effect(REGISTER, times=3)
    with pytest.raises(SchemaRegistryError) as failed:
        await client.register_schema("orders", avro_v1())
    assert (failed.value.http_status_code, failed.value.error_code) == (500, 50001)

    # The client tried three times; the first try registered, the others found it there.
    assert registry_faults.calls[REGISTER] == 3
    latest = await client.get_latest_version("orders")
    assert (latest.version, latest.schema_id) == (1, 1)
    assert await client.get_versions("orders") == [1]
    assert await client.register_schema("orders", avro_v1()) == 1


async def test_a_5xx_before_the_registry_acts_changes_nothing_and_a_retry_succeeds(
    registry_faults: RegistryFaults, client: AsyncSchemaRegistryClient
) -> None:
    registry_faults.fail(REGISTER, status=503, times=2)

    # Two 503s, then the client's third try is answered.
    assert await client.register_schema("orders", avro_v1()) == 1
    assert registry_faults.calls[REGISTER] == 3
    assert await client.get_versions("orders") == [1]


async def test_a_failure_that_outlasts_the_retries_reaches_the_caller_and_nothing_is_kept(
    registry_faults: RegistryFaults, client: AsyncSchemaRegistryClient
) -> None:
    registry_faults.fail(REGISTER, times=5)
    with pytest.raises(SchemaRegistryError) as failed:
        await client.register_schema("orders", avro_v1())
    assert failed.value.http_status_code == 500
    assert await client.get_subjects() == []
    assert registry_faults.calls == {REGISTER: 3, "GET /subjects": 1}


async def test_a_held_answer_times_the_caller_out_and_the_registry_then_answers_again(
    schema_registry: RegistrySandbox, registry_faults: RegistryFaults
) -> None:
    registry_faults.hang("GET /subjects")
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=0.3)) as http:
        with pytest.raises(TimeoutError):
            async with http.get(f"{schema_registry.url}/subjects"):
                pass
        registry_faults.release()
        async with http.get(f"{schema_registry.url}/subjects") as response:
            assert (response.status, await response.json(content_type=None)) == (200, [])
    assert registry_faults.calls["GET /subjects"] == 2


def test_a_fault_must_be_planned_for_at_least_one_call() -> None:
    with pytest.raises(ValueError, match="times must be at least 1"):
        RegistryFaults().fail(REGISTER, times=0)
