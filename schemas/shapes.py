"""Whether a parsed document is shaped like the schema its format promises.

Any JSON is accepted as plain JSON, but a document recognised as JSON Schema or Avro is read
as one: the change summary relies on `type`, `required`, `properties` and Avro's `fields`
having the shapes those formats define. A document that gets them wrong is refused with a
plain sentence naming the place, rather than crashing the reader or being summarised wrongly.
Only what this reader relies on is checked; this is not a full validator.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from schemas.formats import (
    FORMAT_AVRO,
    FORMAT_JSON_SCHEMA,
    SchemaShapeError,
    avro_nested_records,
)


def check_shape(document: Any, fmt: str) -> None:
    """Raise SchemaShapeError saying what is wrong when `document` is not a readable `fmt`."""
    if fmt == FORMAT_JSON_SCHEMA:
        problems = _json_schema_problems(document, "")
    elif fmt == FORMAT_AVRO:
        problems = _avro_problems(document)
    else:
        return
    if (problem := next(problems, None)) is not None:
        raise SchemaShapeError(problem)


def describe_value(value: Any) -> str:
    """A JSON value as a reader would name it: "an object", "the number 5", ..."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else f"{value[:40]}…"
        return f'the text "{shown}"'
    return f"the number {value}"


# JSON Schema. Paths use the change summary's notation: `address.city`, `tags[]`, `$defs/Id`.


def _json_schema_problems(schema: Any, path: str) -> Iterator[str]:
    if not isinstance(schema, dict):
        return
    where = f"in `{path.rstrip('.')}`" if path else "at the top level"
    declared = schema.get("type")
    if isinstance(declared, list):
        for member in declared:
            if not isinstance(member, str):
                yield (
                    f'"type" {where} must list type names such as "string", but its list'
                    f" holds {describe_value(member)}"
                )
                return
    elif "type" in schema and not isinstance(declared, str):
        yield (
            f'"type" {where} must be a type name such as "string" or a list of them,'
            f" not {describe_value(declared)}"
        )
        return
    required = schema.get("required")
    if isinstance(required, list):
        for name in required:
            if not isinstance(name, str):
                yield (
                    f'"required" {where} must list property names, but it holds'
                    f" {describe_value(name)}"
                )
                return
    yield from _subschemas_problems(schema, path, where)


def _subschemas_problems(schema: dict[str, Any], path: str, where: str) -> Iterator[str]:
    properties = schema.get("properties")
    if "properties" in schema and not isinstance(properties, dict):
        yield f'"properties" {where} must be an object, not {describe_value(properties)}'
        return
    for name, sub in (properties or {}).items():
        # Booleans are schemas too (true accepts anything, false nothing).
        if not isinstance(sub, dict | bool):
            yield (
                f"the property `{path}{name}` must be described by an object such as"
                f' {{"type": "string"}}, not {describe_value(sub)}'
            )
            return
        yield from _json_schema_problems(sub, f"{path}{name}.")
    items = schema.get("items")
    if isinstance(items, dict):
        yield from _json_schema_problems(items, f"{path.rstrip('.')}[].")
    for defs_key in ("$defs", "definitions"):
        definitions = schema.get(defs_key)
        if defs_key in schema and not isinstance(definitions, dict):
            yield f'"{defs_key}" {where} must be an object, not {describe_value(definitions)}'
            return
        for name, sub in (definitions or {}).items():
            yield from _json_schema_problems(sub, f"{path}{defs_key}/{name}.")


# Avro: every record, the top one and those nested in field types, lists named fields.


def _avro_problems(record: dict[str, Any]) -> Iterator[str]:
    name = record.get("name")
    shown = f"the record `{name}`" if isinstance(name, str) else "a record without a name"
    fields = record.get("fields")
    if not isinstance(fields, list):
        yield f'{shown} must list its fields in a "fields" array, not {describe_value(fields)}'
        return
    for field in fields:
        if not isinstance(field, dict):
            yield f"the fields of {shown} must be objects, but one is {describe_value(field)}"
            return
        if not isinstance(field.get("name"), str):
            yield f'a field of {shown} has no "name"; every field needs one'
            return
        for nested in avro_nested_records(field.get("type")):
            yield from _avro_problems(nested)
