"""The schema store: versions on disk, idempotent saves, approvals."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from schemas.store import SchemaStore, SchemaStoreError, VersionConflict, VersionNotStored

V1 = b'{"type": "object", "properties": {"id": {"type": "string"}}}'
V2 = b'{"type": "object", "properties": {"id": {"type": "integer"}}}'


def digest(content: bytes) -> str:
    return f"sha256:{hashlib.sha256(content).hexdigest()}"


def save(store: SchemaStore, version: int, content: bytes) -> None:
    store.save("inventory-service", version, content, "JSON Schema", digest(content))


def leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp")]


def test_a_saved_version_is_kept_as_fetched_with_its_metadata(tmp_path: Path) -> None:
    store = SchemaStore(tmp_path)
    stored = store.save("inventory-service", 1, V1, "JSON Schema", digest(V1))

    assert (tmp_path / "inventory-service" / "v1.json").read_bytes() == V1
    assert store.load("inventory-service", 1) == V1
    meta = json.loads((tmp_path / "inventory-service" / "v1.meta.json").read_text())
    assert meta["digest"] == digest(V1) == stored.digest
    assert meta["format"] == "JSON Schema"
    assert meta["size_bytes"] == len(V1)
    assert meta["approved"] is False
    assert meta["stored_at"]


def test_saving_the_same_version_again_changes_nothing(tmp_path: Path) -> None:
    store = SchemaStore(tmp_path)
    first = store.save("inventory-service", 1, V1, "JSON Schema", digest(V1))
    again = store.save("inventory-service", 1, V1, "JSON Schema", digest(V1))

    assert again == first
    assert sorted(p.name for p in (tmp_path / "inventory-service").iterdir()) == [
        "v1.json",
        "v1.meta.json",
    ]


def test_a_different_document_under_the_same_version_replaces_it_and_is_noted(
    tmp_path: Path,
) -> None:
    store = SchemaStore(tmp_path)
    save(store, 1, V1)
    stored = store.save("inventory-service", 1, V2, "JSON Schema", digest(V2))

    assert store.load("inventory-service", 1) == V2
    assert [r.digest for r in stored.replaced] == [digest(V1)]
    reread = store.get("inventory-service", 1)
    assert reread is not None
    assert reread.digest == digest(V2)
    assert [r.digest for r in reread.replaced] == [digest(V1)]


def test_an_approved_version_keeps_its_document(tmp_path: Path) -> None:
    store = SchemaStore(tmp_path)
    save(store, 1, V1)
    store.mark_approved("inventory-service", 1, digest(V1))

    with pytest.raises(VersionConflict, match="higher version"):
        save(store, 1, V2)
    assert store.load("inventory-service", 1) == V1


def test_latest_before_is_the_highest_lower_version(tmp_path: Path) -> None:
    store = SchemaStore(tmp_path)
    assert store.latest_before("inventory-service", 1) is None
    for version in (1, 3, 10):
        save(store, version, V1)

    assert store.latest_before("inventory-service", 1) is None
    found = store.latest_before("inventory-service", 10)
    assert found is not None and found.version == 3
    found = store.latest_before("inventory-service", 11)
    assert found is not None and found.version == 10


def test_mark_approved_is_idempotent_and_checks_the_digest(tmp_path: Path) -> None:
    store = SchemaStore(tmp_path)
    save(store, 1, V1)
    save(store, 2, V2)
    assert store.approved("inventory-service") is None

    with pytest.raises(VersionConflict, match="not marked approved"):
        store.mark_approved("inventory-service", 2, digest(V1))
    assert store.approved("inventory-service") is None

    store.mark_approved("inventory-service", 1, digest(V1))
    first = store.get("inventory-service", 1)
    store.mark_approved("inventory-service", 1, digest(V1))
    assert store.get("inventory-service", 1) == first

    store.mark_approved("inventory-service", 2, digest(V2))
    approved = store.approved("inventory-service")
    assert approved is not None and approved.version == 2 and approved.approved


def test_approving_an_unknown_version_is_refused(tmp_path: Path) -> None:
    with pytest.raises(VersionNotStored):
        SchemaStore(tmp_path).mark_approved("inventory-service", 4, digest(V1))
    with pytest.raises(VersionNotStored):
        SchemaStore(tmp_path).load("inventory-service", 4)


@pytest.mark.parametrize("schema_id", ["../escape", "Inventory", "a/b", ""])
def test_schema_ids_that_are_not_safe_names_are_refused(tmp_path: Path, schema_id: str) -> None:
    store = SchemaStore(tmp_path / "store")
    with pytest.raises(SchemaStoreError, match="schema id"):
        store.save(schema_id, 1, V1, "JSON", digest(V1))
    assert list(tmp_path.rglob("*.json")) == []


def test_a_failed_write_leaves_the_previous_document_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SchemaStore(tmp_path)
    save(store, 1, V1)

    def crash(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        save(store, 1, V2)
    monkeypatch.undo()

    assert store.load("inventory-service", 1) == V1
    stored = store.get("inventory-service", 1)
    assert stored is not None and stored.digest == digest(V1)
    assert leftovers(tmp_path) == []
