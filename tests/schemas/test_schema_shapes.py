"""Documents that are JSON but not a schema this reader can read are refused, with the place."""

from __future__ import annotations

from typing import Any

import pytest

from schemas.formats import SchemaShapeError, recognise_format
from schemas.shapes import check_shape


def problem(document: Any) -> str:
    with pytest.raises(SchemaShapeError) as caught:
        check_shape(document, recognise_format(document))
    return str(caught.value)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"type": [{}], "properties": {}},
            '"type" at the top level must list type names such as "string", but its list'
            " holds an object",
        ),
        (
            {"$schema": "x", "type": 7},
            '"type" at the top level must be a type name such as "string" or a list of them,'
            " not the number 7",
        ),
        (
            {"type": "object", "required": [{"name": "id"}], "properties": {}},
            '"required" at the top level must list property names, but it holds an object',
        ),
        (
            {"$schema": "x", "properties": ["id", "name"]},
            '"properties" at the top level must be an object, not a list',
        ),
        (
            {"type": "object", "properties": {"name": "string"}},
            'the property `name` must be described by an object such as {"type": "string"},'
            ' not the text "string"',
        ),
        (
            {
                "type": "object",
                "properties": {
                    "address": {"type": "object", "properties": {"zip": {"type": [None]}}}
                },
            },
            '"type" in `address.zip` must list type names such as "string", but its list'
            " holds null",
        ),
        (
            {"type": "array", "items": {"type": "object", "required": [1]}},
            '"required" in `[]` must list property names, but it holds the number 1',
        ),
        (
            {"$schema": "x", "$defs": {"Id": {"type": True}}},
            '"type" in `$defs/Id` must be a type name such as "string" or a list of them, not true',
        ),
        (
            {"$schema": "x", "definitions": "none"},
            '"definitions" at the top level must be an object, not the text "none"',
        ),
    ],
)
def test_malformed_json_schemas_are_refused_with_the_place(document: Any, message: str) -> None:
    assert problem(document) == message


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (
            {"type": "record", "name": "Item", "fields": ["id"]},
            'the fields of the record `Item` must be objects, but one is the text "id"',
        ),
        (
            {"type": "record", "name": "Item", "fields": [{"type": "string"}]},
            'a field of the record `Item` has no "name"; every field needs one',
        ),
        (
            {
                "type": "record",
                "name": "Item",
                "fields": [{"name": "site", "type": ["null", {"type": "record", "name": "Site"}]}],
            },
            'the record `Site` must list its fields in a "fields" array, not null',
        ),
    ],
)
def test_malformed_avro_records_are_refused_with_the_place(document: Any, message: str) -> None:
    assert problem(document) == message


@pytest.mark.parametrize(
    "document",
    [
        {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "type": ["object", "null"],
            "required": ["id"],
            "properties": {
                "id": {"type": "string"},
                "any": True,
                "tags": {"type": "array", "items": {"$ref": "#/$defs/Tag"}},
            },
            "$defs": {"Tag": {"type": "string", "enum": ["a", "b"]}},
        },
        # Draft 3 put `required` on the property itself.
        {"$schema": "x", "properties": {"id": {"type": "string", "required": True}}},
        {
            "type": "record",
            "name": "Item",
            "fields": [
                {"name": "id", "type": "string"},
                {"name": "tags", "type": {"type": "array", "items": "string"}},
            ],
        },
        # Anything is fine as plain JSON.
        {"type": {"kind": "record"}, "fields": 5, "properties": 3},
        [1, [2, [3]]],
    ],
)
def test_well_formed_documents_pass(document: Any) -> None:
    check_shape(document, recognise_format(document))
