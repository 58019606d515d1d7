"""Schema documents the sandbox serves itself, so that a review can start with no other server.

Each comes with the `/submit-schema` line that submits it; the bot fetches the document from
the sandbox (which needs SCHEMA_FETCH_ALLOW_PRIVATE, as the sandbox runs on localhost).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

EXAMPLES_DIR = Path(__file__).parent / "examples"
EXAMPLES_PATH = "/examples/"


@dataclass(frozen=True)
class Example:
    file: str
    title: str
    schema_id: str
    version: int
    description: str

    @property
    def path(self) -> str:
        return EXAMPLES_PATH + self.file

    def command(self, base_url: str) -> str:
        """The slash command that submits this document, ready to paste into the message box."""
        return (
            f"/submit-schema {self.schema_id} {self.version} {base_url}{self.path}"
            f" {self.description}"
        )

    def as_listing(self, base_url: str) -> dict[str, Any]:
        return {
            "file": self.file,
            "title": self.title,
            "schema_id": self.schema_id,
            "version": self.version,
            "description": self.description,
            "url": base_url + self.path,
            "command": self.command(base_url),
        }


EXAMPLES = (
    Example(
        "inventory-item-v1.json",
        "Inventory item (JSON Schema), version 1",
        "inventory-item",
        1,
        "First version of the inventory item",
    ),
    Example(
        "inventory-item-v2.json",
        "Inventory item, version 2: adds the warehouse, quantity becomes a number",
        "inventory-item",
        2,
        "Adds the warehouse and reorder level; quantity becomes a number",
    ),
    Example(
        "order-placed-avro.json",
        "Order placed (Avro record)",
        "order-placed",
        1,
        "Order event for the fulfilment pipeline",
    ),
    Example(
        "customer-profile.json",
        "Customer profile (JSON Schema)",
        "customer-profile",
        1,
        "Customer profile with consent and address",
    ),
    # Second versions that break their consumers: once the first is approved, the review
    # request of the second shows the compatibility verdict.
    Example(
        "order-placed-avro-v2.json",
        "Order placed (Avro), v2: a currency without default, quantity as text (breaking)",
        "order-placed",
        2,
        "Adds the currency; quantities become text",
    ),
    Example(
        "shipment-v1.proto",
        "Shipment (Protobuf), v1",
        "shipment",
        1,
        "Shipments leaving the warehouse",
    ),
    Example(
        "shipment-v2.proto",
        "Shipment (Protobuf), v2: the carrier removed, parcel count as text (breaking)",
        "shipment",
        2,
        "Drops the carrier; parcel count becomes text",
    ),
)


def find_example(file: str) -> Example | None:
    return next((e for e in EXAMPLES if e.file == file), None)


def example_text(example: Example) -> str:
    return (EXAMPLES_DIR / example.file).read_text(encoding="utf-8")
