"""Reading a schema document: parse it as JSON, recognise its format, say what changed.

The change summary is for reviewers reading a Slack message, so it names properties and fields
in plain lines and stops after a handful.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

FORMAT_JSON_SCHEMA = "JSON Schema"
FORMAT_AVRO = "Avro"
FORMAT_OPENAPI = "OpenAPI"
FORMAT_ASYNCAPI = "AsyncAPI"
FORMAT_JSON = "JSON"
FORMAT_PROTOBUF = "Protobuf"

MAX_CHANGE_LINES = 10
# Real schemas nest a few dozen levels at most; the limit keeps every recursive walk over a
# document far from Python's recursion limit.
MAX_NESTING_DEPTH = 100

_JSON_SCHEMA_TYPES = {"object", "array", "string", "number", "integer", "boolean", "null"}
_JSON_SCHEMA_KEYWORDS = {"properties", "items", "$defs", "definitions", "allOf", "anyOf", "oneOf"}


class SchemaFormatError(ValueError):
    """The document is not JSON; the message says where and why."""


class SchemaShapeError(SchemaFormatError):
    """The document is JSON but not a schema this reader can make sense of; the message says
    what is wrong in plain words."""


def parse_document(content: bytes) -> Any:
    """The document as JSON, or SchemaFormatError naming the line and column at fault
    (SchemaShapeError when it nests deeper than MAX_NESTING_DEPTH)."""
    try:
        # utf-8-sig: editors on Windows like to prepend a byte-order mark.
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SchemaFormatError(
            f"it is not UTF-8 text (invalid byte at offset {error.start})"
        ) from None
    if not text.strip():
        raise SchemaFormatError("it is empty")
    try:
        document = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise SchemaFormatError(
            f"it is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    except RecursionError:
        # The decoder gives up near Python's recursion limit, far beyond MAX_NESTING_DEPTH.
        raise _too_deep() from None
    if _nesting_depth(document) > MAX_NESTING_DEPTH:
        raise _too_deep()
    return document


def _too_deep() -> SchemaShapeError:
    return SchemaShapeError(
        f"it is nested deeper than {MAX_NESTING_DEPTH} levels of objects and arrays"
    )


def _nesting_depth(document: Any) -> int:
    # A loop rather than recursion: this is what makes the recursive walks below safe.
    deepest = 0
    pending: list[tuple[Any, int]] = [(document, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_NESTING_DEPTH:
                break
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth) for child in children)
    return deepest


def _reject_constant(name: str) -> Any:
    # Python accepts NaN and Infinity, other JSON parsers (and schema registries) do not.
    raise json.JSONDecodeError(f"{name} is not allowed in JSON", name, 0)


def recognise_format(document: Any) -> str:
    if not isinstance(document, dict):
        return FORMAT_JSON
    if "openapi" in document or "swagger" in document:
        return FORMAT_OPENAPI
    if "asyncapi" in document:
        return FORMAT_ASYNCAPI
    if (
        document.get("type") == "record"
        and isinstance(document.get("name"), str)
        and isinstance(document.get("fields"), list)
    ):
        return FORMAT_AVRO
    if "$schema" in document:
        return FORMAT_JSON_SCHEMA
    declared = document.get("type")
    # A list of types is JSON Schema's own idiom, whatever it holds; a malformed one is then
    # reported by `schema_shapes` instead of the document passing as plain JSON.
    declares_types = isinstance(declared, list) or (
        isinstance(declared, str) and declared in _JSON_SCHEMA_TYPES
    )
    if declares_types and _JSON_SCHEMA_KEYWORDS & document.keys():
        return FORMAT_JSON_SCHEMA
    return FORMAT_JSON


def describe_changes(previous: Any, current: Any, fmt: str) -> list[str]:
    """Short lines saying what changed from `previous` to `current` (both parsed documents)."""
    lines: list[str] = []
    previous_fmt = recognise_format(previous)
    if previous_fmt != fmt:
        lines.append(f"Format changed from {previous_fmt} to {fmt}.")
        lines.extend(_json_changes(previous, current))
    elif fmt == FORMAT_JSON_SCHEMA:
        lines.extend(_json_schema_changes(previous, current))
    elif fmt == FORMAT_AVRO:
        lines.extend(_avro_changes(previous, current))
    else:
        lines.extend(_json_changes(previous, current))
    if not lines and previous != current:
        lines.append("No property or field was added, removed or retyped; other details changed.")
    if len(lines) > MAX_CHANGE_LINES:
        hidden = len(lines) - MAX_CHANGE_LINES
        lines = [*lines[:MAX_CHANGE_LINES], f"And {hidden} more change{'s' if hidden > 1 else ''}."]
    return lines


# JSON Schema: each property path maps to (type, required).


def _json_schema_changes(previous: Any, current: Any) -> list[str]:
    before = dict(_json_schema_properties(previous, ""))
    after = dict(_json_schema_properties(current, ""))
    lines: list[str] = []
    for path, (kind, required) in after.items():
        if path not in before:
            lines.append(f"Property `{path}` added ({kind}{', required' if required else ''}).")
    for path in before:
        if path not in after:
            lines.append(f"Property `{path}` removed.")
    for path, (kind, required) in after.items():
        if path not in before:
            continue
        old_kind, old_required = before[path]
        if kind != old_kind:
            lines.append(f"Property `{path}` type changed from {old_kind} to {kind}.")
        if required != old_required:
            lines.append(f"Property `{path}` is {'now' if required else 'no longer'} required.")
    return lines


def _json_schema_properties(schema: Any, prefix: str) -> Iterator[tuple[str, tuple[str, bool]]]:
    if not isinstance(schema, dict):
        return
    # Stored versions predate shape checks, so anything may be found here.
    required = schema.get("required")
    required_names = (
        {name for name in required if isinstance(name, str)}
        if isinstance(required, list)
        else set()
    )
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for name, sub in properties.items():
            path = f"{prefix}{name}"
            yield path, (_json_schema_type(sub), name in required_names)
            yield from _json_schema_properties(sub, f"{path}.")
    items = schema.get("items")
    if isinstance(items, dict):
        yield from _json_schema_properties(items, f"{prefix.rstrip('.')}[].")
    for defs_key in ("$defs", "definitions"):
        definitions = schema.get(defs_key)
        if isinstance(definitions, dict):
            for name, sub in definitions.items():
                yield from _json_schema_properties(sub, f"{prefix}{defs_key}/{name}.")


def _json_schema_type(schema: Any) -> str:
    if not isinstance(schema, dict):
        return "any"
    declared = schema.get("type")
    if isinstance(declared, str):
        return declared
    if isinstance(declared, list):
        return " | ".join(str(t) for t in declared)
    if isinstance(schema.get("$ref"), str):
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for combinator in ("oneOf", "anyOf", "allOf"):
        if combinator in schema:
            return combinator
    return "enum" if "enum" in schema else "any"


# Avro: each field path maps to (type, has default).


def _avro_changes(previous: Any, current: Any) -> list[str]:
    lines: list[str] = []
    if previous.get("name") != current.get("name"):
        lines.append(f"Record renamed from {previous.get('name')} to {current.get('name')}.")
    before = dict(_avro_fields(previous, ""))
    after = dict(_avro_fields(current, ""))
    for path, (kind, has_default) in after.items():
        if path not in before:
            # Readers of old data need a default to fill in a new field (Avro compatibility).
            note = "" if has_default else ", no default"
            lines.append(f"Field `{path}` added ({kind}{note}).")
    for path in before:
        if path not in after:
            lines.append(f"Field `{path}` removed.")
    for path, (kind, _) in after.items():
        if path in before and before[path][0] != kind:
            lines.append(f"Field `{path}` type changed from {before[path][0]} to {kind}.")
    return lines


def _avro_fields(schema: Any, prefix: str) -> Iterator[tuple[str, tuple[str, bool]]]:
    if not isinstance(schema, dict) or schema.get("type") != "record":
        return
    fields = schema.get("fields")
    for field in fields if isinstance(fields, list) else []:
        if not isinstance(field, dict) or not isinstance(field.get("name"), str):
            continue
        path = f"{prefix}{field['name']}"
        yield path, (_avro_type(field.get("type")), "default" in field)
        for record in avro_nested_records(field.get("type")):
            yield from _avro_fields(record, f"{path}.")


def avro_nested_records(avro_type: Any) -> Iterator[dict[str, Any]]:
    """The records an Avro type declares inline, through unions, arrays and maps."""
    if isinstance(avro_type, list):
        for member in avro_type:
            yield from avro_nested_records(member)
    elif isinstance(avro_type, dict):
        if avro_type.get("type") == "record":
            yield avro_type
        elif avro_type.get("type") == "array":
            yield from avro_nested_records(avro_type.get("items"))
        elif avro_type.get("type") == "map":
            yield from avro_nested_records(avro_type.get("values"))


def avro_type_name(avro_type: Any) -> str:
    """An Avro type (its JSON form) as reviewers read it: `int`, `array<string>`, `null | long`."""
    return _avro_type(avro_type)


def _avro_type(avro_type: Any) -> str:
    if isinstance(avro_type, str):
        return avro_type
    if isinstance(avro_type, list):
        return " | ".join(_avro_type(member) for member in avro_type)
    if isinstance(avro_type, dict):
        kind = avro_type.get("type")
        if kind in ("record", "enum", "fixed"):
            return str(avro_type.get("name", kind))
        if kind == "array":
            return f"array<{_avro_type(avro_type.get('items'))}>"
        if kind == "map":
            return f"map<{_avro_type(avro_type.get('values'))}>"
        if "logicalType" in avro_type:
            return f"{kind} ({avro_type['logicalType']})"
        return _avro_type(kind)
    return "unknown"


# Any other JSON: compare the tree of keys; arrays and scalars are leaves.


def _json_changes(previous: Any, current: Any) -> list[str]:
    before = dict(_json_leaves(previous, ""))
    after = dict(_json_leaves(current, ""))
    lines = [f"Key `{path}` added." for path in after if path not in before]
    lines += [f"Key `{path}` removed." for path in before if path not in after]
    lines += [
        f"Key `{path}` changed."
        for path, value in after.items()
        if path in before and before[path] != value
    ]
    return lines


def _json_leaves(document: Any, prefix: str, depth: int = 0) -> Iterator[tuple[str, Any]]:
    if isinstance(document, dict) and document and depth < 8:
        for key, value in document.items():
            yield from _json_leaves(value, f"{prefix}{key}.", depth + 1)
    elif prefix:
        yield prefix.rstrip("."), document
    else:
        yield "(document)", document
