"""With a state file, the local registry keeps its subjects, ids and levels between runs; a
file it cannot read is refused with a sentence saying which file, what is wrong and what to do,
and nothing starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from confluent_kafka.schema_registry import AsyncSchemaRegistryClient

from registry_sandbox import RegistrySandbox, RegistryStateFileError
from tests.registry_sandbox.examples import avro_v1, json_v1, protobuf_v1


async def test_subjects_ids_and_levels_outlive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "registry" / "state.json"
    async with (
        RegistrySandbox(state_file=path) as registry,
        AsyncSchemaRegistryClient({"url": registry.url}) as client,
    ):
        avro_id = await client.register_schema("orders", avro_v1())
        await client.register_schema("items", json_v1())
        await client.register_schema("shipments", protobuf_v1())
        await client.delete_subject("items")
        await client.set_compatibility("orders", "FULL")

    assert sorted(p.name for p in path.parent.iterdir()) == ["state.json"]
    async with (
        RegistrySandbox(state_file=path) as registry,
        AsyncSchemaRegistryClient({"url": registry.url}) as client,
    ):
        assert await client.get_subjects() == ["orders", "shipments"]
        assert (await client.get_latest_version("orders")).schema_id == avro_id
        assert await client.get_compatibility("orders") == "FULL"
        # The same schema keeps its id; the deleted version's number is not given again.
        assert await client.register_schema("items", json_v1()) == 2
        assert await client.get_versions("items") == [2]


@pytest.mark.parametrize(
    ("contents", "problem"),
    [
        ("{not json", "it is not valid JSON"),
        (json.dumps({"format": 99}), "it is format 99, and this registry reads format 1"),
        (json.dumps({"format": 1, "global_level": "SIDEWAYS"}), "its contents are damaged"),
    ],
)
async def test_an_unreadable_state_file_is_refused_and_nothing_starts(
    tmp_path: Path, contents: str, problem: str
) -> None:
    path = tmp_path / "state.json"
    path.write_text(contents)
    registry = RegistrySandbox(state_file=path)
    with pytest.raises(RegistryStateFileError) as refused:
        await registry.start()
    assert str(path) in str(refused.value)
    assert problem in str(refused.value)
    assert "Delete the file to start with an empty registry" in str(refused.value)
    with pytest.raises(RuntimeError, match="not running"):
        _ = registry.url
    assert path.read_text() == contents
