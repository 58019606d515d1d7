"""Parsing schema documents, recognising their format, and describing changes."""

from __future__ import annotations

from typing import Any

import pytest

from schemas.formats import (
    MAX_CHANGE_LINES,
    MAX_NESTING_DEPTH,
    SchemaFormatError,
    SchemaShapeError,
    describe_changes,
    parse_document,
    recognise_format,
)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"type": "object",\n  "properties": }', "line 2, column 17"),
        (b"", "empty"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"limit": NaN}', "NaN is not allowed"),
        (b"type: object\n", "line 1, column 1"),
    ],
)
def test_documents_that_are_not_json_are_refused_with_the_place(
    content: bytes, message: str
) -> None:
    with pytest.raises(SchemaFormatError, match=message):
        parse_document(content)


def test_a_byte_order_mark_is_tolerated() -> None:
    assert parse_document(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}


def nested(depth: int) -> bytes:
    return b'{"a": ' * (depth - 1) + b"[]" + b"}" * (depth - 1)


def test_documents_nested_up_to_the_limit_are_read() -> None:
    document = parse_document(nested(MAX_NESTING_DEPTH))
    assert isinstance(document, dict) and "a" in document


@pytest.mark.parametrize("depth", [MAX_NESTING_DEPTH + 1, 5_000])
def test_documents_nested_deeper_than_the_limit_are_refused(depth: int) -> None:
    # 5,000 levels is past what Python's JSON decoder itself can take.
    with pytest.raises(SchemaShapeError, match=f"nested deeper than {MAX_NESTING_DEPTH} levels"):
        parse_document(nested(depth))


@pytest.mark.parametrize(
    ("document", "fmt"),
    [
        ({"$schema": "https://json-schema.org/draft/2020-12/schema"}, "JSON Schema"),
        ({"type": "object", "properties": {}}, "JSON Schema"),
        ({"type": "record", "name": "Item", "fields": []}, "Avro"),
        ({"openapi": "3.1.0", "paths": {}}, "OpenAPI"),
        ({"asyncapi": "3.0.0"}, "AsyncAPI"),
        ({"type": "object"}, "JSON"),
        ([1, 2], "JSON"),
        # A list of types is JSON Schema's, even a malformed one: its shape is checked later.
        ({"type": [{}], "properties": {}}, "JSON Schema"),
        ({"type": {"kind": "object"}, "properties": {}}, "JSON"),
    ],
)
def test_formats_are_recognised(document: Any, fmt: str) -> None:
    assert recognise_format(document) == fmt


def test_json_schema_changes_name_properties() -> None:
    before = {
        "type": "object",
        "required": ["id"],
        "properties": {
            "id": {"type": "string"},
            "count": {"type": "integer"},
            "address": {"type": "object", "properties": {"city": {"type": "string"}}},
        },
    }
    after = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "string"},
            "count": {"type": "number"},
            "name": {"type": "string"},
            "address": {"type": "object", "properties": {"zip": {"type": "string"}}},
        },
    }
    assert describe_changes(before, after, "JSON Schema") == [
        "Property `name` added (string, required).",
        "Property `address.zip` added (string).",
        "Property `address.city` removed.",
        "Property `count` type changed from integer to number.",
    ]


def test_required_changes_are_reported() -> None:
    before = {"type": "object", "properties": {"id": {"type": "string"}}}
    after = {**before, "required": ["id"]}
    assert describe_changes(before, after, "JSON Schema") == ["Property `id` is now required."]
    assert describe_changes(after, before, "JSON Schema") == [
        "Property `id` is no longer required."
    ]


def test_avro_changes_name_fields_and_missing_defaults() -> None:
    address = {"type": "record", "name": "Address", "fields": [{"name": "city", "type": "string"}]}
    before = {
        "type": "record",
        "name": "Item",
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "qty", "type": "int"},
            {"name": "address", "type": ["null", address]},
        ],
    }
    new_address = {**address, "fields": [{"name": "city", "type": ["null", "string"]}]}
    after = {
        "type": "record",
        "name": "Item",
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "qty", "type": "long"},
            {"name": "sku", "type": "string"},
            {"name": "note", "type": ["null", "string"], "default": None},
            {"name": "address", "type": ["null", new_address]},
        ],
    }
    assert describe_changes(before, after, "Avro") == [
        "Field `sku` added (string, no default).",
        "Field `note` added (null | string).",
        "Field `qty` type changed from int to long.",
        "Field `address.city` type changed from string to null | string.",
    ]


def test_a_format_change_is_said_first() -> None:
    avro = {"type": "record", "name": "Item", "fields": []}
    lines = describe_changes(avro, {"$schema": "x"}, "JSON Schema")
    assert lines[0] == "Format changed from Avro to JSON Schema."


def test_changes_beyond_the_cap_are_counted() -> None:
    before = {"type": "object", "properties": {}}
    after = {"type": "object", "properties": {f"p{i}": {"type": "string"} for i in range(15)}}
    lines = describe_changes(before, after, "JSON Schema")
    assert len(lines) == MAX_CHANGE_LINES + 1
    assert lines[-1] == "And 5 more changes."


def test_changes_outside_properties_are_still_mentioned() -> None:
    before = {"type": "object", "properties": {"id": {"type": "string"}}}
    after = {"type": "object", "properties": {"id": {"type": "string", "maxLength": 5}}}
    assert describe_changes(before, after, "JSON Schema") == [
        "No property or field was added, removed or retyped; other details changed."
    ]


def test_plain_json_changes_name_keys() -> None:
    assert describe_changes({"a": {"b": 1}, "c": 2}, {"a": {"b": 2}, "d": 3}, "JSON") == [
        "Key `d` added.",
        "Key `c` removed.",
        "Key `a.b` changed.",
    ]


def test_stored_versions_of_any_shape_are_compared_without_failing() -> None:
    # Versions stored before shape checks existed may hold anything the format allows in JSON.
    odd_json_schema = {
        "type": "object",
        "required": [{"name": "id"}, "id"],
        "properties": {"id": {"type": "string"}, "tags": {"type": [{}]}},
    }
    fixed = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
    assert describe_changes(odd_json_schema, fixed, "JSON Schema") == ["Property `tags` removed."]

    odd_avro = {
        "type": "record",
        "name": "Item",
        "fields": [{"name": "site", "type": {"type": "record", "name": "Site", "fields": 5}}],
    }
    fixed_avro = {"type": "record", "name": "Item", "fields": [{"name": "site", "type": "string"}]}
    assert describe_changes(odd_avro, fixed_avro, "Avro") == [
        "Field `site` type changed from Site to string."
    ]
