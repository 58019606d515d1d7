"""Documents read as their format and checked by its library: what each library says, where."""

from __future__ import annotations

import json

import pytest

from schemas.formats import FORMAT_AVRO, FORMAT_JSON_SCHEMA, FORMAT_PROTOBUF
from schemas.validation import SchemaInvalid, document_name, read_schema


def avro_record(*fields: dict[str, object]) -> bytes:
    return json.dumps({"type": "record", "name": "Order", "fields": list(fields)}).encode()


async def refusal(content: bytes, name: str = "") -> str:
    with pytest.raises(SchemaInvalid) as caught:
        await read_schema(content, name)
    return str(caught.value)


async def test_an_unknown_avro_type_is_named_with_its_field() -> None:
    message = await refusal(
        avro_record({"name": "id", "type": "string"}, {"name": "qty", "type": "strng"})
    )
    assert message.startswith('avro says Type property "strng" not a valid Avro schema')
    assert message.endswith("(in field `qty`)")


@pytest.mark.parametrize(
    ("field", "said"),
    [
        ({"name": "qty", "type": "int", "default": "x"}, 'the default "x" of field `qty`'),
        (
            {"name": "qty", "type": ["null", "int"], "default": 3},
            "is not a valid null (a union's default must match the union's first type)",
        ),
    ],
)
async def test_an_avro_default_must_fit_its_type(field: dict[str, object], said: str) -> None:
    assert said in await refusal(avro_record(field))


async def test_an_avro_union_with_a_type_twice_is_refused() -> None:
    message = await refusal(avro_record({"name": "qty", "type": ["int", "int"]}))
    assert "int type already in Union" in message


async def test_an_avro_document_is_recognised_by_its_name_too() -> None:
    enum = json.dumps({"type": "enum", "name": "Status", "symbols": ["OPEN", "PAID"]}).encode()
    assert (await read_schema(enum, "status.avsc")).fmt == FORMAT_AVRO


async def test_json_schema_is_checked_against_the_draft_it_declares() -> None:
    draft7 = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "type": "object",
        "properties": {"qty": {"minimum": "ten"}},
    }
    message = await refusal(json.dumps(draft7).encode())
    assert message == (
        "jsonschema says 'ten' is not of type 'number' (at $.properties.qty.minimum; checked"
        " against http://json-schema.org/draft-07/schema#)"
    )


async def test_json_schema_without_a_draft_is_checked_as_2020_12() -> None:
    document = {"type": "object", "properties": {"qty": {"type": "strng"}}}
    message = await refusal(json.dumps(document).encode())
    assert "'strng' is not valid under any of the given schemas" in message
    assert "checked against https://json-schema.org/draft/2020-12/schema" in message


async def test_a_valid_json_schema_is_read() -> None:
    document = {"type": "object", "properties": {"qty": {"type": "integer"}}, "required": ["qty"]}
    read = await read_schema(json.dumps(document).encode(), "order.json")
    assert (read.fmt, read.parsed) == (FORMAT_JSON_SCHEMA, document)


@pytest.mark.parametrize("syntax", ["proto2", "proto3"])
async def test_proto_files_are_built_by_buf(syntax: str) -> None:
    label = "optional " if syntax == "proto2" else ""
    text = f'syntax = "{syntax}";\npackage shop;\nmessage Order {{ {label}string id = 1; }}\n'
    read = await read_schema(text.encode(), "order.proto")
    assert (read.fmt, read.parsed) == (FORMAT_PROTOBUF, text)


async def test_a_proto_file_that_does_not_build_is_refused_with_bufs_words() -> None:
    text = b'// Orders\nsyntax = "proto3";\nmessage Order {\n  string id = 1\n}\n'
    message = await refusal(text)
    assert message.startswith("buf build says line 5, column 1:")


def test_the_document_name_is_the_last_path_segment() -> None:
    assert document_name("https://x.test/schemas/Order.PROTO?sig=1") == "order.proto"
    assert document_name("file:///tmp/order.avsc") == "order.avsc"
