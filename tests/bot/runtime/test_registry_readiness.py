"""With a schema registry set, `/readyz` counts it among the parts (ready while it answers), and
every registry call is counted on `/metrics` by operation and answer."""

from __future__ import annotations

import json

import pytest
from prometheus_client import REGISTRY

from bot.runtime.readiness import RegistryAnswers
from bot.runtime.registry_health import RegistryHealth
from registry_sandbox import RegistrySandbox
from schemas.registry_access import RegistryAccess
from schemas.registry_client import RegistryClient, RegistrySchema
from schemas.registry_errors import RegistryError
from tests.fixtures.registry import RegistryFaults

GLOBAL_CONFIG = "GET /config"
AVRO = json.dumps({"type": "record", "name": "Order", "fields": [{"name": "id", "type": "long"}]})


def _calls(operation: str, code: str) -> float:
    value = REGISTRY.get_sample_value(
        "schema_approval_registry_calls_total", {"operation": operation, "code": code}
    )
    return value or 0.0


async def test_the_registry_is_ready_while_it_answers(schema_registry: RegistrySandbox) -> None:
    check = RegistryAnswers(RegistryHealth(RegistryAccess(schema_registry.url)))

    assert check.name == "registry"
    assert await check.problem() is None


async def test_a_registry_that_does_not_answer_is_named_with_its_address(
    schema_registry: RegistrySandbox, registry_faults: RegistryFaults
) -> None:
    registry_faults.fail(GLOBAL_CONFIG, status=503)
    check = RegistryAnswers(RegistryHealth(RegistryAccess(schema_registry.url)))

    problem = await check.problem()

    assert problem is not None and "is not answering" in problem
    assert schema_registry.url.rstrip("/") in problem


async def test_registry_calls_are_counted_by_operation_and_answer(
    schema_registry: RegistrySandbox, registry_faults: RegistryFaults
) -> None:
    client = RegistryClient(RegistryAccess(schema_registry.url))
    registered_before = _calls("register", "ok")
    refused_before = sum(_calls("check", code) for code in ("unavailable", "50001", "500"))
    try:
        await client.register("orders-value", RegistrySchema(AVRO, "AVRO"))
        registry_faults.fail(GLOBAL_CONFIG, status=500)
        with pytest.raises(RegistryError):
            await client.check()
    finally:
        await client.aclose()

    assert _calls("register", "ok") == registered_before + 1
    refused_after = sum(_calls("check", code) for code in ("unavailable", "50001", "500"))
    assert refused_after == refused_before + 1
