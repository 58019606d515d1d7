"""The `upload_schema` activity against a real local HTTP server and a real schema store."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.schema_fetch import FetchPolicy
from activities.schema_store import SchemaStore
from activities.upload import SchemaUploadActivities
from activities.upload_errors import PERMANENT_UPLOAD_ERRORS
from tests.activities.schema_server import SchemaServer
from workflow.models import Submission, UploadRequest, UploadResult

POLICY = FetchPolicy(max_bytes=10_000, timeout_seconds=5.0, allow_private=True)

INVENTORY_V1 = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["sku"],
    "properties": {"sku": {"type": "string"}, "qty": {"type": "integer"}},
}
INVENTORY_V2 = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["sku"],
    "properties": {
        "sku": {"type": "string"},
        "qty": {"type": "number"},
        "site": {"type": "string"},
    },
}
ORDER_AVRO = {
    "type": "record",
    "name": "Order",
    "namespace": "com.example",
    "fields": [{"name": "id", "type": "string"}, {"name": "total", "type": "double"}],
}


@pytest.fixture
def store(tmp_path: Path) -> SchemaStore:
    return SchemaStore(tmp_path / "schemas")


def publish(server: SchemaServer, name: str, document: Any) -> str:
    server.documents[name] = json.dumps(document, indent=2).encode()
    return server.url(f"/schemas/{name}")


async def upload(
    store: SchemaStore, uri: str, version: int = 1, policy: FetchPolicy = POLICY
) -> UploadResult:
    submission = Submission(
        schema_id="inventory-service",
        version=version,
        description="Inventory items",
        content_uri=uri,
        submitted_by="owner@example.com",
    )
    activities = SchemaUploadActivities(store, policy)
    return await ActivityEnvironment().run(activities.upload_schema, UploadRequest(submission))


async def upload_error(
    store: SchemaStore, uri: str, policy: FetchPolicy = POLICY
) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        await upload(store, uri, policy=policy)
    return caught.value


async def test_a_json_schema_is_stored_with_its_digest(
    server: SchemaServer, store: SchemaStore
) -> None:
    uri = publish(server, "inventory-v1.json", INVENTORY_V1)
    content = server.documents["inventory-v1.json"]

    result = await upload(store, uri)

    assert result == UploadResult(
        schema_id="inventory-service",
        version=1,
        digest=f"sha256:{hashlib.sha256(content).hexdigest()}",
        format="JSON Schema",
        size_bytes=len(content),
        changes=[],
        previous_version=None,
    )
    assert store.load("inventory-service", 1) == content


async def test_an_avro_schema_is_recognised(server: SchemaServer, store: SchemaStore) -> None:
    result = await upload(store, publish(server, "order.avsc", ORDER_AVRO))
    assert result.format == "Avro"
    assert store.load("inventory-service", 1) == server.documents["order.avsc"]


async def test_a_new_version_reports_what_changed_since_the_previous_one(
    server: SchemaServer, store: SchemaStore
) -> None:
    await upload(store, publish(server, "v1.json", INVENTORY_V1), version=1)
    result = await upload(store, publish(server, "v2.json", INVENTORY_V2), version=2)

    assert result.previous_version == 1
    assert result.changes == [
        "Property `site` added (string).",
        "Property `qty` type changed from integer to number.",
    ]
    stored = store.get("inventory-service", 2)
    assert stored is not None and stored.digest == result.digest


async def test_a_retried_upload_gives_the_same_result(
    server: SchemaServer, store: SchemaStore
) -> None:
    uri = publish(server, "v1.json", INVENTORY_V1)
    first = await upload(store, uri)
    stored_at = store.get("inventory-service", 1)
    assert await upload(store, uri) == first
    assert store.get("inventory-service", 1) == stored_at


async def test_a_missing_document_asks_the_owner_to_check_the_url(
    server: SchemaServer, store: SchemaStore
) -> None:
    uri = server.url("/schemas/missing.json")
    error = await upload_error(store, uri)

    assert error.type == "SchemaNotFound"
    assert error.non_retryable
    assert error.message == (
        f"The schema document at {uri} could not be fetched: the server answered"
        " 404 Not Found. Check the URL and submit a new version."
    )
    assert store.versions("inventory-service") == []


async def test_a_document_that_is_not_json_names_line_and_column(
    server: SchemaServer, store: SchemaStore
) -> None:
    server.documents["broken.json"] = b'{\n  "type": "object",\n  "properties": {,}\n}'
    error = await upload_error(store, server.url("/schemas/broken.json"))

    assert error.type == "SchemaNotParseable"
    assert error.non_retryable
    assert "line 3, column 18" in error.message
    assert "submit a new version" in error.message
    assert store.versions("inventory-service") == []


async def test_an_oversized_document_is_refused(server: SchemaServer, store: SchemaStore) -> None:
    server.documents["big.json"] = b"[" + b"1," * 6_000 + b"1]"
    error = await upload_error(store, server.url("/schemas/big.json"))
    assert error.type == "SchemaTooLarge"
    assert error.non_retryable
    assert "10,000 bytes" in error.message


async def test_a_server_error_is_retried(server: SchemaServer, store: SchemaStore) -> None:
    error = await upload_error(store, server.url("/status/503"))
    assert not error.non_retryable
    assert error.type not in PERMANENT_UPLOAD_ERRORS
    assert "503" in error.message


async def test_a_slow_server_times_out_and_is_retried(
    server: SchemaServer, store: SchemaStore
) -> None:
    quick = FetchPolicy(max_bytes=10_000, timeout_seconds=0.3, allow_private=True)
    error = await upload_error(store, server.url("/slow"), policy=quick)
    assert not error.non_retryable
    assert "0.3 seconds" in error.message


async def test_a_forbidden_address_is_a_permanent_error(store: SchemaStore) -> None:
    error = await upload_error(store, "http://169.254.169.254/latest/meta-data/")
    assert error.type == "SchemaAddressForbidden"
    assert error.non_retryable
    assert error.type in PERMANENT_UPLOAD_ERRORS


async def test_messages_do_not_repeat_secrets_from_the_url(
    server: SchemaServer, store: SchemaStore
) -> None:
    uri = server.url("/schemas/missing.json?X-Amz-Signature=s3cr3t").replace(
        "http://", "http://user:hunter2@"
    )
    error = await upload_error(store, uri)
    assert error.type == "SchemaNotFound"
    assert "s3cr3t" not in error.message
    assert "hunter2" not in error.message
    assert "/schemas/missing.json" in error.message
