"""The `upload_schema` activity against a real local HTTP server and a real schema store."""

from __future__ import annotations

import hashlib
import json
import logging
import socket
from pathlib import Path
from typing import Any

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities import upload
from activities.upload import SchemaUploadActivities
from schemas import validation as schema_validation
from schemas.error_kinds import PERMANENT_UPLOAD_ERRORS
from schemas.fetch import FetchPolicy
from schemas.formats import MAX_NESTING_DEPTH
from schemas.store import SchemaStore
from tests.fixtures.schema_server import SchemaServer
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


async def upload_version(
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
        await upload_version(store, uri, policy=policy)
    return caught.value


async def test_a_json_schema_is_stored_with_its_digest(
    server: SchemaServer, store: SchemaStore
) -> None:
    uri = publish(server, "inventory-v1.json", INVENTORY_V1)
    content = server.documents["inventory-v1.json"]

    result = await upload_version(store, uri)

    assert result == UploadResult(
        schema_id="inventory-service",
        version=1,
        digest=f"sha256:{hashlib.sha256(content).hexdigest()}",
        format="JSON Schema",
        size_bytes=len(content),
        changes=[],
        previous_version=None,
        compatibility=None,
        breaking_change_policy="require_compliance",
    )
    assert store.load("inventory-service", 1) == content


async def test_an_avro_schema_is_recognised(server: SchemaServer, store: SchemaStore) -> None:
    result = await upload_version(store, publish(server, "order.avsc", ORDER_AVRO))
    assert result.format == "Avro"
    assert store.load("inventory-service", 1) == server.documents["order.avsc"]


async def test_a_new_version_reports_what_changed_since_the_previous_one(
    server: SchemaServer, store: SchemaStore
) -> None:
    await upload_version(store, publish(server, "v1.json", INVENTORY_V1), version=1)
    result = await upload_version(store, publish(server, "v2.json", INVENTORY_V2), version=2)

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
    first = await upload_version(store, uri)
    stored_at = store.get("inventory-service", 1)
    assert await upload_version(store, uri) == first
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


async def test_json_that_is_not_a_readable_schema_asks_for_a_fix(
    server: SchemaServer, store: SchemaStore
) -> None:
    uri = publish(server, "odd.json", {"type": [{}], "properties": {}})
    error = await upload_error(store, uri)

    assert error.type == "SchemaNotParseable"
    assert error.non_retryable
    assert error.message == (
        f'The schema document at {uri} is not a schema we can read: "type" at the top level'
        ' must list type names such as "string", but its list holds an object. Fix the'
        " document and submit a new version."
    )
    assert store.versions("inventory-service") == []


@pytest.mark.parametrize("depth", [MAX_NESTING_DEPTH + 1, 3_000])
async def test_a_document_nested_too_deep_asks_for_a_fix(
    server: SchemaServer, store: SchemaStore, depth: int
) -> None:
    server.documents["deep.json"] = b"[" * depth + b"]" * depth
    error = await upload_error(store, server.url("/schemas/deep.json"))

    assert error.type == "SchemaNotParseable"
    assert error.non_retryable
    assert f"nested deeper than {MAX_NESTING_DEPTH} levels" in error.message
    assert store.versions("inventory-service") == []


async def test_an_unforeseen_reading_failure_is_permanent_and_plain(
    server: SchemaServer,
    store: SchemaStore,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Stands for whatever document no one thought of: the same bytes would fail every retry.
    def reader_bug(document: object) -> str:
        raise KeyError("fields")

    monkeypatch.setattr(schema_validation, "recognise_format", reader_bug)
    uri = publish(server, "v1.json", INVENTORY_V1)
    with caplog.at_level(logging.ERROR):
        error = await upload_error(store, uri)

    assert error.type == "SchemaNotParseable"
    assert error.non_retryable
    assert error.message.startswith(f"The schema document at {uri} is not a schema we can read:")
    assert "KeyError" not in error.message and "fields" not in error.message
    assert "KeyError: 'fields'" in caplog.text
    assert store.versions("inventory-service") == []


async def test_a_stored_version_of_odd_shape_does_not_block_the_next(
    server: SchemaServer, store: SchemaStore
) -> None:
    # Stored before shape checks existed: `required` holding an object.
    odd = json.dumps({**INVENTORY_V1, "required": [{"name": "sku"}]}).encode()
    store.save(
        "inventory-service", 1, odd, "JSON Schema", f"sha256:{hashlib.sha256(odd).hexdigest()}"
    )

    result = await upload_version(store, publish(server, "v2.json", INVENTORY_V2), version=2)

    assert result.previous_version == 1
    assert "Property `site` added (string)." in result.changes


async def test_a_failing_change_summary_does_not_block_the_review(
    server: SchemaServer, store: SchemaStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    await upload_version(store, publish(server, "v1.json", INVENTORY_V1), version=1)

    def summary_bug(previous: object, current: object, fmt: str) -> list[str]:
        raise TypeError("unhashable type: 'dict'")

    monkeypatch.setattr(upload, "describe_changes", summary_bug)
    result = await upload_version(store, publish(server, "v2.json", INVENTORY_V2), version=2)

    assert result.changes == ["The changes since version 1 could not be summarised."]
    assert store.versions("inventory-service") == [1, 2]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    "case",
    [
        "missing",
        "not json",
        "not a schema",
        "too deep",
        "too large",
        "server error",
        "refused",
        "forbidden",
        "invalid",
        "conflict",
    ],
)
async def test_every_message_is_one_sentence_or_more_ending_in_a_single_period(
    server: SchemaServer, store: SchemaStore, case: str
) -> None:
    # The workflow quotes these messages to the owner and must know how they end.
    server.documents["broken.json"] = b'{"type": '
    server.documents["odd.json"] = b'{"type": [{}], "properties": {}}'
    server.documents["deep.json"] = b"[" * 200 + b"]" * 200
    server.documents["big.json"] = b" " * 20_000
    uris = {
        "missing": server.url("/schemas/missing.json"),
        "not json": server.url("/schemas/broken.json"),
        "not a schema": server.url("/schemas/odd.json"),
        "too deep": server.url("/schemas/deep.json"),
        "too large": server.url("/schemas/big.json"),
        "server error": server.url("/status/502"),
        "refused": f"http://127.0.0.1:{closed_port()}/schema.json",
        "forbidden": "http://[2002:a9fe:a9fe::1]/latest/meta-data/",
        "invalid": "ftp://example.com/schema.json",
    }
    if case == "conflict":
        uri = publish(server, "v1.json", INVENTORY_V1)
        await upload_version(store, uri)
        stored = store.get("inventory-service", 1)
        assert stored is not None
        store.mark_approved("inventory-service", 1, stored.digest)
        uris[case] = publish(server, "v2.json", INVENTORY_V2)

    error = await upload_error(store, uris[case])

    assert error.message.endswith(".")
    assert not error.message.endswith("..")
    assert "Error" not in error.message
