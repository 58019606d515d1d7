"""`schemas.registry_client` against the local registry over HTTP: what it reads of a subject,
the registry's verdict with its messages, lookup and registration, and each failure as its
typed error carrying Confluent's code."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest

from registry_sandbox import RegistrySandbox
from schemas.registry_client import RegistryAccess, RegistryClient, RegistrySchema
from schemas.registry_errors import (
    RegistryConflict,
    RegistryRejected,
    RegistryUnauthorized,
    RegistryUnavailable,
)
from tests.fixtures.registry import RegistryFaults
from tests.registry_sandbox.examples import FORMATS

SUBJECT = "order-placed-value"


def schema_of(fmt: str, which: int) -> RegistrySchema:
    made = FORMATS[fmt][which]()
    return RegistrySchema(made.schema_str or "", made.schema_type or "AVRO")


@pytest.fixture
async def client(schema_registry: RegistrySandbox) -> AsyncIterator[RegistryClient]:
    client = RegistryClient(RegistryAccess(schema_registry.url, timeout_seconds=5.0))
    try:
        yield client
    finally:
        await client.aclose()


@pytest.mark.parametrize("fmt", FORMATS)
async def test_registered_versions_are_read_back_with_their_type_and_found_by_lookup(
    client: RegistryClient, fmt: str
) -> None:
    first, compatible = schema_of(fmt, 0), schema_of(fmt, 1)
    first_id = await client.register(SUBJECT, first)
    await client.register(SUBJECT, compatible)

    registered = await client.registered(SUBJECT)

    assert [(v.version, v.schema.schema_type) for v in registered] == [
        (1, first.schema_type),
        (2, first.schema_type),
    ]
    assert registered[0].id == first_id
    # Registries may keep a JSON document compacted; it is the same document.
    same = json.loads if fmt != "protobuf" else str.strip
    assert same(registered[0].schema.text) == same(first.text)
    found = await client.lookup(SUBJECT, first)
    assert found is not None and (found.version, found.id) == (1, first_id)


async def test_an_unknown_subject_has_no_versions_no_verdict_and_nothing_to_look_up(
    client: RegistryClient,
) -> None:
    assert await client.versions("nobody-value") == []
    assert await client.registered("nobody-value") == []
    # Confluent answers "compatible" here (nothing to be incompatible with); older ones 40401.
    verdict = await client.verdict("nobody-value", schema_of("avro", 0))
    assert verdict is None or (verdict.compatible, verdict.messages) == (True, [])
    assert await client.lookup("nobody-value", schema_of("avro", 0)) is None


async def test_a_schema_not_under_the_subject_is_not_found(client: RegistryClient) -> None:
    await client.register(SUBJECT, schema_of("avro", 0))
    assert await client.lookup(SUBJECT, schema_of("avro", 1)) is None


async def test_the_level_is_the_subjects_own_else_the_global_one(client: RegistryClient) -> None:
    await client.register(SUBJECT, schema_of("avro", 0))
    assert await client.level(SUBJECT) == "BACKWARD"
    assert await client.level("nobody-value") == "BACKWARD"

    await client.set_level(SUBJECT, "FULL_TRANSITIVE")

    assert await client.level(SUBJECT) == "FULL_TRANSITIVE"
    assert await client.level("other-value") == "BACKWARD"


@pytest.mark.parametrize("fmt", FORMATS)
async def test_the_registry_verdict_carries_its_messages(client: RegistryClient, fmt: str) -> None:
    await client.register(SUBJECT, schema_of(fmt, 0))

    fine = await client.verdict(SUBJECT, schema_of(fmt, 1))
    refused = await client.verdict(SUBJECT, schema_of(fmt, 2))

    assert fine is not None and (fine.compatible, fine.messages) == (True, [])
    assert refused is not None and not refused.compatible
    assert refused.messages, "the registry's reasons reach the caller"


async def test_an_incompatible_registration_is_a_conflict_with_confluents_code(
    client: RegistryClient,
) -> None:
    await client.register(SUBJECT, schema_of("avro", 0))
    with pytest.raises(RegistryConflict) as refused:
        await client.register(SUBJECT, schema_of("avro", 2))
    assert (refused.value.status, refused.value.error_code) == (409, 409)
    assert "incompatible with an earlier schema" in str(refused.value.registry_message)
    assert await client.versions(SUBJECT) == [1]


async def test_a_document_the_registry_cannot_read_is_rejected(client: RegistryClient) -> None:
    with pytest.raises(RegistryRejected) as refused:
        await client.register(SUBJECT, RegistrySchema('{"type": "record"}', "AVRO"))
    assert (refused.value.status, refused.value.error_code) == (422, 42201)
    assert str(refused.value).startswith("The schema registry could not accept it: ")


async def test_a_5xx_and_a_closed_port_are_unavailable(
    schema_registry: RegistrySandbox, registry_faults: RegistryFaults, client: RegistryClient
) -> None:
    registry_faults.fail("GET /config", status=503)
    with pytest.raises(RegistryUnavailable) as failing:
        await client.check()
    assert (failing.value.status, failing.value.error_code) == (503, 50001)
    registry_faults.fail("GET /config/{subject}", status=500)
    with pytest.raises(RegistryUnavailable):
        await client.level(SUBJECT)
    # The client does not retry by itself: each fault was one call.
    assert registry_faults.calls["GET /config"] == 1

    url = schema_registry.url
    await schema_registry.stop()
    closed = RegistryClient(RegistryAccess(url, timeout_seconds=2.0))
    try:
        with pytest.raises(RegistryUnavailable) as silent:
            await closed.check()
        with pytest.raises(RegistryUnavailable):
            await closed.level(SUBJECT)
    finally:
        await closed.aclose()
    assert str(silent.value).startswith(f"The schema registry at {url} is not answering")


async def test_wrong_credentials_are_unauthorized_and_never_shown() -> None:
    async with RegistrySandbox(port=0, basic_auth="ci:right-secret") as registry:
        url_with_path = registry.url + "/"
        wrong = RegistryAccess(url_with_path, "ci:wrong-secret", timeout_seconds=5.0)
        assert "wrong-secret" not in repr(wrong)
        client = RegistryClient(wrong)
        try:
            with pytest.raises(RegistryUnauthorized) as refused:
                await client.check()
            with pytest.raises(RegistryUnauthorized):
                await client.level(SUBJECT)
        finally:
            await client.aclose()
        right = RegistryClient(RegistryAccess(registry.url, "ci:right-secret"))
        try:
            await right.check()
            assert await right.level(SUBJECT) == "BACKWARD"
        finally:
            await right.aclose()
    assert refused.value.status == 401
    assert "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO" in str(refused.value)
    assert "wrong-secret" not in str(refused.value)
