"""A JSON Schema that declares where it is published (`$id`) is compared like any other: the
sandbox's inventory item example, v1 then v2, gets a verdict naming the breaking property
instead of "review the change by hand"."""

from __future__ import annotations

import json
from typing import Any

from schemas.compatibility import ApprovedVersion, verdict
from schemas.formats import FORMAT_JSON_SCHEMA
from slack_sandbox.examples import EXAMPLES_DIR


def example(name: str) -> Any:
    return json.loads((EXAMPLES_DIR / name).read_text(encoding="utf-8"))


async def test_v2_of_the_inventory_item_breaks_readers_because_warehouse_became_required() -> None:
    v1, v2 = example("inventory-item-v1.json"), example("inventory-item-v2.json")
    assert v1["$id"] == v2["$id"]

    found = await verdict(
        FORMAT_JSON_SCHEMA, 2, v2, [ApprovedVersion(1, FORMAT_JSON_SCHEMA, v1)], "BACKWARD"
    )

    assert found is not None and not found.compatible
    assert found.problems == [
        "Property `warehouse` is required by v2; readers using v2 refuse documents written"
        " with v1 without it."
    ]


async def test_a_compatible_change_to_a_schema_with_an_id_is_compatible() -> None:
    v1 = example("inventory-item-v1.json")
    v2 = json.loads(json.dumps(v1))
    v2["properties"]["note"] = {"type": "string"}

    found = await verdict(
        FORMAT_JSON_SCHEMA, 2, v2, [ApprovedVersion(1, FORMAT_JSON_SCHEMA, v1)], "BACKWARD"
    )

    assert found is not None and (found.compatible, found.problems) == (True, [])


async def test_a_reference_through_the_schemas_own_id_is_followed() -> None:
    def with_sku(kind: str) -> dict[str, Any]:
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://schemas.example.com/item.json",
            "$defs": {"sku": {"type": kind}},
            "type": "object",
            "properties": {"sku": {"$ref": "https://schemas.example.com/item.json#/$defs/sku"}},
        }

    approved = [ApprovedVersion(1, FORMAT_JSON_SCHEMA, with_sku("string"))]
    same = await verdict(FORMAT_JSON_SCHEMA, 2, with_sku("string"), approved, "BACKWARD")
    narrowed = await verdict(FORMAT_JSON_SCHEMA, 2, with_sku("integer"), approved, "BACKWARD")

    assert same is not None and same.compatible
    assert narrowed is not None and not narrowed.compatible
    assert not any("by hand" in p for p in narrowed.problems)
