"""`register_approved_schema` against the local registry over HTTP: exactly one version per
approval whatever fails between the registry and the activity, the registry's refusals as the
contract's non-retryable types, and a large document fetched again and checked."""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.registration import RegistrationActivities
from registry_sandbox import RegistrySandbox
from schemas.fetch import FetchPolicy
from schemas.registry_client import RegistryAccess, RegistryClient
from tests.activities.registry_documents import (
    SCHEMA_ID,
    SUBJECT,
    order_placed,
    register_versions,
    text_of,
)
from tests.fixtures.registry import RegistryFaults
from tests.fixtures.schema_server import SchemaServer
from workflow.registry_contract import (
    REGISTRY_CONFLICT,
    REGISTRY_DOCUMENT_CHANGED,
    REGISTRY_REJECTED,
    REGISTRY_UNAUTHORIZED,
    REGISTRY_UNAVAILABLE,
    Registration,
    RegistrationRequest,
)

POLICY = FetchPolicy(max_bytes=200_000, timeout_seconds=5.0, allow_private=True)
REGISTER = "POST /subjects/{subject}/versions"


@pytest.fixture
async def client(schema_registry: RegistrySandbox) -> AsyncIterator[RegistryClient]:
    client = RegistryClient(RegistryAccess(schema_registry.url, timeout_seconds=5.0))
    try:
        yield client
    finally:
        await client.aclose()


def approved(text: str, version: int = 3, **fields: object) -> RegistrationRequest:
    digest = f"sha256:{hashlib.sha256(text.encode()).hexdigest()}"
    values: dict[str, object] = {
        "workflow_id": f"schema-approval-{SCHEMA_ID}",
        "schema_id": SCHEMA_ID,
        "version": version,
        "digest": digest,
        "content_uri": "https://schemas.example.com/order-placed.avsc",
        "subject": SUBJECT,
        "schema_type": "AVRO",
        "document": text,
        **fields,
    }
    return RegistrationRequest(**values)  # type: ignore[arg-type]


async def register(client: RegistryClient | None, request: RegistrationRequest) -> Registration:
    activities = RegistrationActivities(client, POLICY)
    return await ActivityEnvironment().run(activities.register_approved_schema, request)


async def failure(client: RegistryClient | None, request: RegistrationRequest) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        await register(client, request)
    return caught.value


async def test_an_approved_version_is_registered_above_the_subjects_versions(
    schema_registry: RegistrySandbox, client: RegistryClient
) -> None:
    await register_versions(schema_registry.url, 2)

    registration = await register(client, approved(text_of(order_placed(3))))

    assert (registration.subject, registration.version) == (SUBJECT, 3)
    assert await client.versions(SUBJECT) == [1, 2, 3]
    assert (await client.version(SUBJECT, 3)).id == registration.id


async def test_a_registry_that_registered_then_answered_500_ends_with_one_version(
    schema_registry: RegistrySandbox, client: RegistryClient, registry_faults: RegistryFaults
) -> None:
    await register_versions(schema_registry.url, 2)
    registry_faults.fail_after_effect(REGISTER, status=500)
    request = approved(text_of(order_placed(3)))

    first = await failure(client, request)
    # Temporal retries the activity: a new attempt, here on another worker.
    other_worker = RegistryClient(RegistryAccess(schema_registry.url))
    try:
        retried = await register(other_worker, request)
    finally:
        await other_worker.aclose()

    assert (first.type, first.non_retryable) == (REGISTRY_UNAVAILABLE, False)
    assert retried.version == 3
    assert await client.versions(SUBJECT) == [1, 2, 3]
    # Two by `register_versions`, one by the first attempt; the retry found it registered.
    assert registry_faults.calls[REGISTER] == 3


async def test_a_version_already_registered_is_answered_without_registering_again(
    schema_registry: RegistrySandbox, client: RegistryClient, registry_faults: RegistryFaults
) -> None:
    await register_versions(schema_registry.url, 3)
    already = await client.version(SUBJECT, 3)

    registration = await register(client, approved(text_of(order_placed(3))))

    assert (registration.version, registration.id) == (3, already.id)
    assert registry_faults.calls[REGISTER] == 3  # the three of `register_versions` only
    assert await client.versions(SUBJECT) == [1, 2, 3]


async def test_a_version_incompatible_with_one_registered_since_is_a_permanent_conflict(
    schema_registry: RegistrySandbox, client: RegistryClient
) -> None:
    await register_versions(schema_registry.url, 2)
    breaking = order_placed(2)
    breaking["fields"].append({"name": "channel", "type": "string"})

    error = await failure(client, approved(text_of(breaking)))

    assert (error.type, error.non_retryable) == (REGISTRY_CONFLICT, True)
    assert error.message.startswith("The schema registry refused the registration: ")
    assert "incompatible with an earlier schema" in error.message
    assert await client.versions(SUBJECT) == [1, 2]


async def test_a_level_changed_by_the_review_is_written_before_registering(
    schema_registry: RegistrySandbox, client: RegistryClient
) -> None:
    await register_versions(schema_registry.url, 2)
    breaking = order_placed(2)
    breaking["fields"].append({"name": "channel", "type": "string"})

    registration = await register(client, approved(text_of(breaking), set_compatibility="NONE"))

    assert registration.version == 3
    assert await client.level(SUBJECT) == "NONE"


async def test_a_document_the_registry_cannot_read_is_permanently_rejected(
    client: RegistryClient,
) -> None:
    error = await failure(client, approved(json.dumps({"type": "record"})))

    assert (error.type, error.non_retryable) == (REGISTRY_REJECTED, True)
    assert "The registry cannot read it" in error.message
    assert await client.versions(SUBJECT) == []


async def test_a_large_document_is_fetched_again_and_registered_when_unchanged(
    client: RegistryClient, server: SchemaServer
) -> None:
    text = text_of(order_placed(1))
    server.documents["order-placed.avsc"] = text.encode()
    uri = server.url("/schemas/order-placed.avsc")

    registration = await register(client, approved(text, document=None, content_uri=uri))

    assert registration.version == 1
    assert server.requests == ["/schemas/order-placed.avsc"]


async def test_a_large_document_changed_since_its_approval_is_not_registered(
    client: RegistryClient, server: SchemaServer
) -> None:
    text = text_of(order_placed(1))
    server.documents["order-placed.avsc"] = text_of(order_placed(2)).encode()
    uri = server.url("/schemas/order-placed.avsc")

    error = await failure(client, approved(text, document=None, content_uri=uri))

    assert (error.type, error.non_retryable) == (REGISTRY_DOCUMENT_CHANGED, True)
    assert "changed since version 3 was approved" in error.message
    assert await client.versions(SUBJECT) == []


async def test_refused_credentials_are_retried_and_name_the_setting() -> None:
    async with RegistrySandbox(port=0, basic_auth="ci:right-secret") as registry:
        client = RegistryClient(RegistryAccess(registry.url, "ci:wrong-secret"))
        try:
            error = await failure(client, approved(text_of(order_placed(1))))
        finally:
            await client.aclose()
    assert (error.type, error.non_retryable) == (REGISTRY_UNAUTHORIZED, False)
    assert "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO" in error.message
    assert "wrong-secret" not in error.message


async def test_a_worker_without_a_registry_says_so_and_leaves_it_to_a_retry() -> None:
    error = await failure(None, approved(text_of(order_placed(1))))
    assert (error.type, error.non_retryable) == (REGISTRY_UNAVAILABLE, False)
    assert "SCHEMA_REGISTRY_URL" in error.message
