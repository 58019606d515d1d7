"""Reading a submitted document as the schema it is, checked by the library made for its format.

JSON Schema is checked by `jsonschema` against the metaschema of the draft it declares (2020-12
when it declares none), Avro by the Apache `avro` package (names, types, unions; field defaults
against their types), Protobuf by `buf build`. An invalid document raises SchemaInvalid with
the library's own words about what is wrong, and where.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from typing import Any

import avro.errors
import avro.io
import avro.schema
import jsonschema
import jsonschema.exceptions
import jsonschema.validators
from yarl import URL

from schemas import buf_cli
from schemas.formats import (
    FORMAT_AVRO,
    FORMAT_JSON_SCHEMA,
    FORMAT_PROTOBUF,
    SchemaFormatError,
    SchemaShapeError,
    avro_type_name,
    parse_document,
    recognise_format,
)
from schemas.shapes import check_shape

# A `.proto` document opens (after comments) with one of these statements.
_PROTO_START = re.compile(
    r"^\s*(syntax\s*=|edition\s*=|package\s+[\w.]+\s*;|import\s+\"|option\s+\w|"
    r"message\s+\w+\s*\{|enum\s+\w+\s*\{|service\s+\w+\s*\{)",
    re.MULTILINE,
)
_PROTO_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)


class SchemaInvalid(SchemaShapeError):
    """The document is in a known format but that format's library refuses it; the message
    holds the library's words and the place."""


@dataclass(frozen=True)
class SchemaDocument:
    fmt: str
    content: bytes
    # The parsed JSON value, or the `.proto` text for Protobuf.
    parsed: Any


def document_name(content_uri: str) -> str:
    """The last segment of the URL's path: its extension may decide the format."""
    try:
        return URL(content_uri).path.rsplit("/", 1)[-1].lower()
    except (ValueError, TypeError):
        return ""


def is_protobuf(content: bytes, name: str) -> bool:
    if name.endswith(".proto"):
        return True
    head = content[:4096].decode("utf-8", "replace").lstrip("\ufeff")
    if head.lstrip().startswith(("{", "[")):
        return False
    return _PROTO_START.match(_PROTO_COMMENT.sub("", head)) is not None


async def read_schema(content: bytes, name: str = "", *, build: bool = True) -> SchemaDocument:
    """The document, its format recognised and checked; SchemaFormatError (or SchemaInvalid)
    saying what is wrong otherwise. `build=False` leaves a `.proto` document unbuilt: the
    caller compiles it with `buf breaking` (or `check_protobuf`) itself."""
    if is_protobuf(content, name):
        text = await check_protobuf(content) if build else _proto_text(content)
        return SchemaDocument(FORMAT_PROTOBUF, content, text)
    document = parse_document(content)
    fmt = FORMAT_AVRO if name.endswith(".avsc") else recognise_format(document)
    if fmt == FORMAT_AVRO:
        check_avro(document)
    else:
        check_shape(document, fmt)
        if fmt == FORMAT_JSON_SCHEMA:
            check_json_schema(document)
    return SchemaDocument(fmt, content, document)


def check_json_schema(document: Any) -> None:
    """Against the metaschema of the draft the document declares in `$schema`."""
    validator = jsonschema.validators.validator_for(
        document, default=jsonschema.Draft202012Validator
    )
    error = jsonschema.exceptions.best_match(_metaschema_validator(validator).iter_errors(document))
    if error is not None:
        where = error.json_path if error.json_path != "$" else "the top level"
        draft = validator.META_SCHEMA.get("$id", validator.__name__)
        raise SchemaInvalid(
            f"jsonschema says {error.message} (at {where}; checked against {draft})"
        )


@functools.cache
def _metaschema_validator(validator: Any) -> Any:
    # Built once per draft: its metaschema's references are resolved on first use, then kept.
    return validator(validator.META_SCHEMA)


def check_avro(document: Any) -> avro.schema.Schema:
    """Parsed by the Apache `avro` package; defaults checked against their field's type."""
    try:
        parsed = avro.schema.make_avsc_object(document, avro.schema.Names())
    except (avro.errors.AvroException, TypeError, ValueError, AttributeError, KeyError) as error:
        raise SchemaInvalid(f"avro says {_avro_words(error)}{_avro_place(document)}") from None
    for path, field in _record_fields(parsed, ""):
        if field.has_default and not _default_fits(field.type, field.default):
            expected = field.type
            note = ""
            if isinstance(expected, avro.schema.UnionSchema):
                expected = expected.schemas[0]
                note = " (a union's default must match the union's first type)"
            raise SchemaInvalid(
                f"the default {json.dumps(field.default)} of field `{path}` is not a valid"
                f" {avro_type_name(expected.to_json())}{note}, as avro reads it"
            )
    return parsed


def _proto_text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SchemaFormatError(
            f"it is not UTF-8 text (invalid byte at offset {error.start})"
        ) from None


async def check_protobuf(content: bytes) -> str:
    text = _proto_text(content)
    findings = await buf_cli.build(text)
    if findings:
        shown = "; ".join(f.located() for f in findings[:3])
        raise SchemaInvalid(f"buf build says {shown}")
    return text


def _avro_words(error: Exception) -> str:
    return str(error).strip().rstrip(".") or type(error).__name__


def _avro_place(document: Any) -> str:
    """Which field of the top record the parser stops at: the fields are parsed in order (a
    named type is defined before use), so the first prefix that fails ends at the culprit."""
    if not isinstance(document, dict) or not isinstance(document.get("fields"), list):
        return ""
    fields = document["fields"]
    for count in range(1, len(fields) + 1):
        try:
            avro.schema.make_avsc_object(
                {**document, "fields": fields[:count]}, avro.schema.Names()
            )
        except Exception:
            culprit = fields[count - 1]
            name = culprit.get("name") if isinstance(culprit, dict) else None
            return f" (in field `{name}`)" if isinstance(name, str) else f" (in field {count})"
    return ""


def _record_fields(schema: avro.schema.Schema, prefix: str) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    seen: set[int] = set()

    def walk(node: avro.schema.Schema, path: str) -> None:
        if id(node) in seen:
            return
        seen.add(id(node))
        if isinstance(node, avro.schema.RecordSchema):
            for field in node.fields:
                found.append((f"{path}{field.name}", field))
                walk(field.type, f"{path}{field.name}.")
        elif isinstance(node, avro.schema.UnionSchema):
            for member in node.schemas:
                walk(member, path)
        elif isinstance(node, avro.schema.ArraySchema):
            walk(node.items, path)
        elif isinstance(node, avro.schema.MapSchema):
            walk(node.values, path)

    walk(schema, prefix)
    return found


def _default_fits(field_type: avro.schema.Schema, default: Any) -> bool:
    if isinstance(field_type, avro.schema.UnionSchema):
        # The Avro specification: a union's default corresponds to its first type.
        return _default_fits(field_type.schemas[0], default)
    if field_type.type in ("bytes", "fixed"):
        # Defaults of byte types are written as JSON strings of code points.
        return isinstance(default, str)
    if isinstance(field_type, avro.schema.RecordSchema | avro.schema.MapSchema):
        return isinstance(default, dict)
    if isinstance(field_type, avro.schema.ArraySchema):
        return isinstance(default, list)
    if field_type.type in ("float", "double"):
        return isinstance(default, int | float) and not isinstance(default, bool)
    return bool(avro.io.validate(field_type, default))
