"""`upload_schema` with a schema registry set, against the local registry over HTTP: the
subject's registered versions are the approved ones, whether or not the bot ever saw them."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.registry_upload import REGISTRY_SAYS, RegistrySide
from activities.upload import SchemaUploadActivities
from registry_sandbox import RegistrySandbox
from schemas import error_kinds as kinds
from schemas.fetch import FetchPolicy
from schemas.registry_client import RegistryAccess, RegistryClient
from schemas.store import SchemaStore
from tests.activities.registry_documents import (
    SCHEMA_ID,
    SUBJECT,
    order_placed,
    register_versions,
    text_of,
)
from tests.fixtures.registry import RegistryFaults
from tests.fixtures.schema_server import SchemaServer
from workflow.models import Submission, UploadRequest, UploadResult
from workflow.registry_contract import (
    DOCUMENT_CARRIED_MAX_BYTES,
    REGISTRY_UNAUTHORIZED,
    REGISTRY_UNAVAILABLE,
)

POLICY = FetchPolicy(max_bytes=200_000, timeout_seconds=5.0, allow_private=True)


@pytest.fixture
async def registry(schema_registry: RegistrySandbox) -> AsyncIterator[RegistrySide]:
    client = RegistryClient(RegistryAccess(schema_registry.url, timeout_seconds=5.0))
    try:
        yield RegistrySide(client, retry_hours=6.0)
    finally:
        await client.aclose()


async def upload(
    side: RegistrySide,
    server: SchemaServer,
    text: str,
    version: int,
    *,
    store: SchemaStore | None = None,
    mode: str | None = None,
) -> UploadResult:
    name = f"order-placed-{version}.json"
    server.documents[name] = text.encode()
    submission = Submission(
        schema_id=SCHEMA_ID,
        version=version,
        description="Order placed",
        content_uri=server.url(f"/schemas/{name}"),
        submitted_by="owner@example.com",
        compatibility_mode=mode,
    )
    activities = SchemaUploadActivities(store, POLICY, registry=side)
    return await ActivityEnvironment().run(activities.upload_schema, UploadRequest(submission))


async def refused(
    side: RegistrySide, server: SchemaServer, text: str, version: int
) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        await upload(side, server, text, version)
    return caught.value


async def test_a_subject_with_fourteen_versions_takes_version_15_compared_with_its_14th(
    schema_registry: RegistrySandbox, registry: RegistrySide, server: SchemaServer
) -> None:
    await register_versions(schema_registry.url, 14)

    result = await upload(registry, server, text_of(order_placed(15)), 15)

    assert result.previous_version == 14
    assert result.changes == ["Field `note_15` added (string)."]
    assert result.compatibility is not None
    assert (result.compatibility.mode, result.compatibility.against_version) == ("BACKWARD", 14)
    assert result.compatibility.compatible
    view = result.registry
    assert view is not None
    assert (view.subject, view.schema_type, view.latest_version) == (SUBJECT, "AVRO", 14)
    assert (view.compatibility_level, view.registry_compatible, view.retry_hours) == (
        "BACKWARD",
        True,
        6.0,
    )
    assert view.document == text_of(order_placed(15))


async def test_a_version_at_or_below_the_registered_ones_is_refused_with_the_next_free_one(
    schema_registry: RegistrySandbox, registry: RegistrySide, server: SchemaServer
) -> None:
    await register_versions(schema_registry.url, 14)

    error = await refused(registry, server, text_of(order_placed(15)), 3)

    assert error.non_retryable and error.type == kinds.SCHEMA_VERSION_BEHIND_REGISTRY
    assert error.message == (
        "order-placed-value holds versions up to 14 in the schema registry: submit version 15"
        " or higher."
    )


async def test_a_breaking_change_against_the_14th_version_is_found_by_both_checkers(
    schema_registry: RegistrySandbox, registry: RegistrySide, server: SchemaServer
) -> None:
    await register_versions(schema_registry.url, 14)
    breaking = order_placed(14)
    breaking["fields"].append({"name": "channel", "type": "string"})  # no default

    result = await upload(registry, server, text_of(breaking), 15)

    verdict = result.compatibility
    assert verdict is not None and not verdict.compatible and verdict.against_version == 14
    ours = [p for p in verdict.problems if not p.startswith(REGISTRY_SAYS)]
    theirs = [p for p in verdict.problems if p.startswith(REGISTRY_SAYS)]
    assert any("channel" in p for p in ours)
    assert theirs, "the registry's own reasons reach the reviewers"
    assert result.registry is not None and result.registry.registry_compatible is False
    assert result.registry.registry_messages


async def test_versions_the_bot_never_saw_are_compared_transitively_at_the_subjects_level(
    schema_registry: RegistrySandbox, registry: RegistrySide, server: SchemaServer
) -> None:
    await register_versions(schema_registry.url, 3)
    await registry.client.set_level(SUBJECT, "BACKWARD_TRANSITIVE")
    # v4 drops v3's field and adds it back as a number: fine against v2, not against v3.
    document = order_placed(3)
    document["fields"][-1] = {"name": "note_3", "type": "long", "default": 0}

    result = await upload(registry, server, text_of(document), 4)

    assert result.compatibility is not None
    assert result.compatibility.mode == "BACKWARD_TRANSITIVE"
    assert not result.compatibility.compatible
    assert result.registry is not None and result.registry.compatibility_level == (
        "BACKWARD_TRANSITIVE"
    )


async def test_a_mode_change_is_judged_by_our_checkers_in_the_new_mode_without_asking_the_registry(
    schema_registry: RegistrySandbox,
    registry: RegistrySide,
    server: SchemaServer,
    registry_faults: RegistryFaults,
) -> None:
    await register_versions(schema_registry.url, 2)
    breaking = order_placed(2)
    breaking["fields"].append({"name": "channel", "type": "string"})

    result = await upload(registry, server, text_of(breaking), 3, mode="NONE")

    assert result.compatibility is not None
    assert (result.compatibility.mode, result.compatibility.compatible) == ("NONE", True)
    assert result.registry is not None and result.registry.registry_compatible is None
    assert result.registry.compatibility_level == "BACKWARD"
    assert registry_faults.calls["POST /compatibility/subjects/{subject}/versions"] == 0


async def test_a_first_version_on_an_empty_subject_needs_no_verdict_and_no_store(
    registry: RegistrySide, server: SchemaServer
) -> None:
    result = await upload(registry, server, text_of(order_placed(1)), 1)

    assert (result.previous_version, result.compatibility, result.changes) == (None, None, [])
    assert result.registry is not None
    assert (result.registry.latest_version, result.registry.registry_compatible) == (None, None)


async def test_a_version_identical_to_a_registered_one_is_refused(
    schema_registry: RegistrySandbox, registry: RegistrySide, server: SchemaServer
) -> None:
    await register_versions(schema_registry.url, 2)

    error = await refused(registry, server, text_of(order_placed(2)), 3)

    assert error.non_retryable and error.type == kinds.SCHEMA_UNCHANGED
    assert "identical to version 2 registered as order-placed-value" in error.message


async def test_plain_json_data_cannot_be_registered_and_is_refused_at_submission(
    registry: RegistrySide, server: SchemaServer
) -> None:
    error = await refused(registry, server, json.dumps({"sku": "SKU-1", "qty": 3}), 1)

    assert error.non_retryable and error.type == kinds.SCHEMA_NOT_REGISTRABLE
    assert "is JSON, and the schema registry holds only schemas" in error.message


async def test_a_large_document_does_not_travel_with_the_review(
    registry: RegistrySide, server: SchemaServer, tmp_path: Path
) -> None:
    document = order_placed(1)
    document["doc"] = "x" * (DOCUMENT_CARRIED_MAX_BYTES + 1)
    store = SchemaStore(tmp_path / "schemas")

    result = await upload(registry, server, text_of(document), 1, store=store)

    assert result.registry is not None and result.registry.document is None
    # A store set beside the registry still keeps every uploaded version.
    assert store.load(SCHEMA_ID, 1) == text_of(document).encode()


async def test_a_registry_failing_or_refusing_the_credentials_is_retried(
    schema_registry: RegistrySandbox,
    registry: RegistrySide,
    server: SchemaServer,
    registry_faults: RegistryFaults,
) -> None:
    await register_versions(schema_registry.url, 1)
    registry_faults.fail("GET /config/{subject}", status=503)
    failing = await refused(registry, server, text_of(order_placed(2)), 2)
    registry_faults.fail("GET /subjects/{subject}/versions", status=401)
    unauthorized = await refused(registry, server, text_of(order_placed(2)), 2)

    assert (failing.type, failing.non_retryable) == (REGISTRY_UNAVAILABLE, False)
    assert (unauthorized.type, unauthorized.non_retryable) == (REGISTRY_UNAUTHORIZED, False)
    assert "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO" in unauthorized.message
    # Once the registry answers again, the same upload goes through.
    assert (await upload(registry, server, text_of(order_placed(2)), 2)).previous_version == 1
