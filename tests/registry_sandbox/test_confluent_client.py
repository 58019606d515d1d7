"""The local registry as `confluent-kafka`'s schema registry client sees it: what the product
will do against any Confluent-compatible registry works the same here, for Avro, JSON Schema
and Protobuf."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest
from confluent_kafka.schema_registry import AsyncSchemaRegistryClient, Schema
from confluent_kafka.schema_registry.error import SchemaRegistryError

from registry_sandbox import RegistrySandbox
from tests.registry_sandbox.examples import FORMATS, avro_v1, json_v1, protobuf_v1

Maker = Callable[[], Schema]


@pytest.fixture
async def client(schema_registry: RegistrySandbox) -> AsyncIterator[AsyncSchemaRegistryClient]:
    async with AsyncSchemaRegistryClient({"url": schema_registry.url}) as client:
        yield client


@pytest.mark.parametrize("fmt", FORMATS)
async def test_a_registered_schema_is_found_by_id_latest_version_and_lookup(
    client: AsyncSchemaRegistryClient, fmt: str
) -> None:
    first, compatible, _ = FORMATS[fmt]
    subject = f"orders-{fmt}-value"

    first_id = await client.register_schema(subject, first())
    second_id = await client.register_schema(subject, compatible())

    assert second_id != first_id
    assert await client.get_versions(subject) == [1, 2]
    latest = await client.get_latest_version(subject)
    assert (latest.subject, latest.version, latest.schema_id) == (subject, 2, second_id)
    assert latest.schema.schema_type == first().schema_type
    found = await client.lookup_schema(subject, first())
    assert (found.version, found.schema_id) == (1, first_id)
    by_id = await client.get_schema(first_id)
    assert by_id.schema_type == first().schema_type
    assert await client.get_subjects() == [subject]


@pytest.mark.parametrize("fmt", FORMATS)
async def test_registering_the_same_schema_again_answers_its_id_and_adds_no_version(
    schema_registry: RegistrySandbox, client: AsyncSchemaRegistryClient, fmt: str
) -> None:
    first = FORMATS[fmt][0]
    schema_id = await client.register_schema("shipments", first())
    # A second client: the first one would answer from its cache without asking.
    async with AsyncSchemaRegistryClient({"url": schema_registry.url}) as other:
        assert await other.register_schema("shipments", first()) == schema_id
        assert await other.register_schema("shipments-copy", first()) == schema_id
        assert await other.get_versions("shipments") == [1]
        assert await other.get_versions("shipments-copy") == [1]


@pytest.mark.parametrize("fmt", FORMATS)
async def test_an_incompatible_version_is_refused_with_409_and_not_registered(
    client: AsyncSchemaRegistryClient, fmt: str
) -> None:
    first, _, incompatible = FORMATS[fmt]
    await client.register_schema("events", first())

    assert not await client.test_compatibility("events", incompatible())
    assert not await client.test_compatibility_all_versions("events", incompatible())
    with pytest.raises(SchemaRegistryError) as refused:
        await client.register_schema("events", incompatible())

    assert (refused.value.http_status_code, refused.value.error_code) == (409, 409)
    assert 'incompatible with an earlier schema for subject "events"' in str(
        refused.value.error_message
    )
    assert await client.get_versions("events") == [1]


@pytest.mark.parametrize("fmt", FORMATS)
async def test_level_none_lets_an_incompatible_version_in(
    client: AsyncSchemaRegistryClient, fmt: str
) -> None:
    first, _, incompatible = FORMATS[fmt]
    await client.register_schema("events", first())

    assert await client.set_compatibility("events", "NONE") == {"compatibility": "NONE"}
    assert await client.get_compatibility("events") == "NONE"
    assert await client.test_compatibility("events", incompatible())
    await client.register_schema("events", incompatible())

    assert await client.get_versions("events") == [1, 2]
    assert await client.get_compatibility() == "BACKWARD"


async def test_the_global_level_applies_to_subjects_without_their_own(
    client: AsyncSchemaRegistryClient,
) -> None:
    _, compatible, _ = FORMATS["avro"]
    await client.register_schema("orders", avro_v1())
    await client.set_compatibility(level="FULL_TRANSITIVE")

    assert await client.get_compatibility() == "FULL_TRANSITIVE"
    # Adding a field with a default keeps old and new readers working both ways.
    assert await client.test_compatibility("orders", compatible())


@pytest.mark.parametrize(
    ("call", "status", "code"),
    [
        (lambda c: c.get_latest_version("nobody"), 404, 40401),
        (lambda c: c.get_versions("nobody"), 404, 40401),
        (lambda c: c.get_schema(999), 404, 40403),
        (lambda c: c.lookup_schema("nobody", json_v1()), 404, 40401),
        (lambda c: c.register_schema("bad", Schema('{"type": "record"}', "AVRO")), 422, 42201),
        (lambda c: c.register_schema("bad", Schema("message {", "PROTOBUF")), 422, 42201),
        (lambda c: c.register_schema("bad", Schema("{}", "XML")), 422, 42201),
        (lambda c: c.set_compatibility("orders", "SIDEWAYS"), 422, 42203),
    ],
    ids=[
        "latest-of-unknown",
        "versions-of-unknown",
        "unknown-id",
        "lookup-in-unknown",
        "invalid-avro",
        "invalid-protobuf",
        "unknown-type",
        "unknown-level",
    ],
)
async def test_errors_reach_the_client_with_confluents_codes(
    client: AsyncSchemaRegistryClient, call: Callable[..., object], status: int, code: int
) -> None:
    with pytest.raises(SchemaRegistryError) as refused:
        await call(client)  # type: ignore[misc]
    assert (refused.value.http_status_code, refused.value.error_code) == (status, code)
    assert await client.get_subjects() == []


async def test_lookup_of_a_schema_not_under_the_subject_is_40403(
    client: AsyncSchemaRegistryClient,
) -> None:
    await client.register_schema("shipments", protobuf_v1())
    with pytest.raises(SchemaRegistryError) as refused:
        await client.lookup_schema("shipments", avro_v1())
    assert refused.value.error_code == 40403


async def test_a_deleted_subject_leaves_the_listings_and_its_ids_stay_readable(
    client: AsyncSchemaRegistryClient,
) -> None:
    schema_id = await client.register_schema("orders", avro_v1())

    assert await client.delete_subject("orders") == [1]

    assert await client.get_subjects() == []
    with pytest.raises(SchemaRegistryError) as refused:
        await client.get_versions("orders")
    assert refused.value.error_code == 40401
    assert (await client.get_schema(schema_id)).schema_type == "AVRO"
    assert await client.delete_subject("orders", permanent=True) == [1]
