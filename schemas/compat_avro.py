"""Avro compatibility: the Apache `avro` package's reader/writer checker, in plain sentences.

The verdict is `avro.compatibility`'s. To name fields, the top record's fields are also checked
one by one with the same checker: a sentence per field that a reader cannot fill in or convert.
"""

from __future__ import annotations

from typing import Any

import avro.schema
from avro.compatibility import (
    ReaderWriterCompatibilityChecker,
    SchemaCompatibilityType,
    SchemaIncompatibilityType,
    lookup_writer_field,
)

from schemas.formats import avro_type_name
from schemas.validation import check_avro


def avro_problems(
    reader_document: Any, writer_document: Any, reader_version: int, writer_version: int
) -> list[str]:
    """Why readers using `reader_version` cannot read data written with `writer_version`; none
    when they can."""
    reader, writer = check_avro(reader_document), check_avro(writer_document)
    result = ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
    if result.compatibility is not SchemaCompatibilityType.incompatible:
        return []
    sides = _Sides(reader_version, writer_version)
    problems = _record_problems(reader, writer, sides)
    if not problems:
        details = "; ".join(sorted(result.messages)) or "the types differ"
        problems = [
            f"Readers using v{reader_version} cannot read data written with v{writer_version}"
            f" ({details}, at {', '.join(sorted(result.locations))})."
        ]
    return problems


class _Sides:
    def __init__(self, reader_version: int, writer_version: int) -> None:
        self.reader = reader_version
        self.writer = writer_version
        # The newer version reading older data is the BACKWARD direction.
        self.new_reads_old = reader_version > writer_version

    def readers(self) -> str:
        verb = "using" if self.new_reads_old else "still using"
        return f"readers {verb} v{self.reader}"


def _record_problems(
    reader: avro.schema.Schema, writer: avro.schema.Schema, sides: _Sides, prefix: str = ""
) -> list[str]:
    if not isinstance(reader, avro.schema.RecordSchema) or not isinstance(
        writer, avro.schema.RecordSchema
    ):
        return []
    if prefix:
        # A nested record: its fields, named by their path from the top record.
        return _field_problems(reader, writer, sides, prefix)
    problems: list[str] = []
    if reader.fullname != writer.fullname and writer.fullname not in _aliases(reader):
        problems.append(
            f"The record is named `{reader.fullname}` in v{sides.reader} and"
            f" `{writer.fullname}` in v{sides.writer} without an alias; {sides.readers()}"
            f" cannot read data written with v{sides.writer}."
        )
    return problems + _field_problems(reader, writer, sides, prefix)


def _field_problems(
    reader: avro.schema.RecordSchema, writer: avro.schema.RecordSchema, sides: _Sides, prefix: str
) -> list[str]:
    problems: list[str] = []
    for field in reader.fields:
        name = f"{prefix}{field.name}"
        written = lookup_writer_field(writer_schema=writer, reader_field=field)
        if written is None:
            if not field.has_default:
                problems.append(_missing(name, sides))
            continue
        check = ReaderWriterCompatibilityChecker().get_compatibility(field.type, written.type)
        if check.compatibility is not SchemaCompatibilityType.incompatible:
            continue
        nested = _nested(field.type), _nested(written.type)
        if nested[0] is not None and nested[1] is not None:
            inner = _record_problems(nested[0][0], nested[1][0], sides, f"{name}{nested[0][1]}.")
            if inner:
                problems += inner
                continue
        if SchemaIncompatibilityType.missing_enum_symbols in check.incompatibilities:
            problems.append(_symbols_missing(name, field.type, written.type, sides))
        else:
            problems.append(_retyped(name, field.type, written.type, sides, check.messages))
    return problems


def _nested(schema: avro.schema.Schema) -> tuple[avro.schema.RecordSchema, str] | None:
    """The record a field's type holds directly or as array items / map values, with the
    path suffix that names its fields (`lines[].sku`)."""
    if isinstance(schema, avro.schema.RecordSchema):
        return schema, ""
    if isinstance(schema, avro.schema.ArraySchema) and isinstance(
        schema.items, avro.schema.RecordSchema
    ):
        return schema.items, "[]"
    if isinstance(schema, avro.schema.MapSchema) and isinstance(
        schema.values, avro.schema.RecordSchema
    ):
        return schema.values, "{}"
    return None


def _missing(name: str, sides: _Sides) -> str:
    if sides.new_reads_old:
        return (
            f"Field `{name}` was added without a default; data written with v{sides.writer}"
            f" does not have it, so {sides.readers()} cannot read that data."
        )
    return (
        f"Field `{name}` was removed, and v{sides.reader} gives it no default; data written"
        f" with v{sides.writer} no longer has it, so {sides.readers()} cannot read that data."
    )


def _symbols_missing(
    name: str, reader_type: avro.schema.Schema, writer_type: avro.schema.Schema, sides: _Sides
) -> str:
    reader_symbols = set(getattr(reader_type, "symbols", []))
    missing = [s for s in getattr(writer_type, "symbols", []) if s not in reader_symbols]
    shown = ", ".join(missing) or "some symbols"
    return (
        f"Field `{name}`: the enum of v{sides.reader} lacks {shown}, which data written with"
        f" v{sides.writer} may hold; {sides.readers()} cannot read that data."
    )


def _retyped(
    name: str,
    reader_type: avro.schema.Schema,
    writer_type: avro.schema.Schema,
    sides: _Sides,
    messages: set[str],
) -> str:
    reader_shown = avro_type_name(reader_type.to_json())
    writer_shown = avro_type_name(writer_type.to_json())
    old, new = (writer_shown, reader_shown) if sides.new_reads_old else (reader_shown, writer_shown)
    old_v, new_v = sorted((sides.reader, sides.writer))
    if reader_shown == writer_shown:
        change = f"changed inside ({'; '.join(sorted(messages))})"
    else:
        change = f"changed from {old} (v{old_v}) to {new} (v{new_v})"
    return (
        f"Field `{name}` {change}; {sides.readers()} cannot read the {writer_shown} written"
        f" with v{sides.writer}."
    )


def _aliases(record: avro.schema.RecordSchema) -> set[str]:
    aliases = record.props.get("aliases")
    if not isinstance(aliases, list):
        return set()
    namespace = record.namespace
    return {
        alias if "." in alias or not namespace else f"{namespace}.{alias}"
        for alias in aliases
        if isinstance(alias, str)
    }
