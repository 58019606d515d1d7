"""Schema documents for the registry's tests: the sandbox's examples, and compatible next
versions of them made by adding an optional field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from confluent_kafka.schema_registry import Schema

EXAMPLES = Path(__file__).parent.parent.parent / "slack_sandbox" / "examples"


def example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def avro_v1() -> Schema:
    return Schema(example("order-placed-avro.json"), "AVRO")


def avro_v2_incompatible() -> Schema:
    """A field added without a default, a field retyped: new readers cannot read old data."""
    return Schema(example("order-placed-avro-v2.json"), "AVRO")


def avro_v2_compatible() -> Schema:
    document = json.loads(example("order-placed-avro.json"))
    document["fields"].append({"name": "channel", "type": "string", "default": "web"})
    return Schema(json.dumps(document), "AVRO")


def _inventory_item(name: str) -> dict[str, Any]:
    document = json.loads(example(name))
    # `jsoncompat` (the project's JSON Schema checker) reads `$id` as a remote reference it
    # cannot follow and so cannot compare such documents at all; without it, it judges them.
    document.pop("$id")
    return dict(document)


def json_v1() -> Schema:
    return Schema(json.dumps(_inventory_item("inventory-item-v1.json")), "JSON")


def json_v2_incompatible() -> Schema:
    """`warehouse` becomes required: documents written with v1 lack it."""
    return Schema(json.dumps(_inventory_item("inventory-item-v2.json")), "JSON")


def json_v2_compatible() -> Schema:
    document = _inventory_item("inventory-item-v1.json")
    document["properties"]["note"] = {"type": "string"}
    return Schema(json.dumps(document), "JSON")


def protobuf_v1() -> Schema:
    return Schema(example("shipment-v1.proto"), "PROTOBUF")


def protobuf_v2_incompatible() -> Schema:
    """A field deleted without reserving its number, another retyped."""
    return Schema(example("shipment-v2.proto"), "PROTOBUF")


def protobuf_v2_compatible() -> Schema:
    text = example("shipment-v1.proto").replace(
        "  Address destination = 5;\n", "  Address destination = 5;\n  string note = 6;\n"
    )
    return Schema(text, "PROTOBUF")


# Each format: its first version, a compatible next one, a BACKWARD-incompatible next one.
FORMATS = {
    "avro": (avro_v1, avro_v2_compatible, avro_v2_incompatible),
    "json": (json_v1, json_v2_compatible, json_v2_incompatible),
    "protobuf": (protobuf_v1, protobuf_v2_compatible, protobuf_v2_incompatible),
}
