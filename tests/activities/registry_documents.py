"""Avro documents of the `order-placed` schema for the registry tests: version N adds an
optional field to version N-1, so each is compatible with every earlier one."""

from __future__ import annotations

import json
from typing import Any

from schemas.registry_client import RegistryAccess, RegistryClient, RegistrySchema
from tests.registry_sandbox.examples import example

SCHEMA_ID = "order-placed"
SUBJECT = "order-placed-value"


def order_placed(version: int) -> dict[str, Any]:
    document = json.loads(example("order-placed-avro.json"))
    for n in range(2, version + 1):
        document["fields"].append({"name": f"note_{n}", "type": "string", "default": ""})
    return dict(document)


def text_of(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2)


async def register_versions(url: str, count: int, subject: str = SUBJECT) -> None:
    """The subject with versions 1..count registered directly (not through a review)."""
    client = RegistryClient(RegistryAccess(url))
    try:
        for version in range(1, count + 1):
            await client.register(subject, RegistrySchema(text_of(order_placed(version)), "AVRO"))
    finally:
        await client.aclose()
