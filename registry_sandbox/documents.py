"""A submitted schema read as Confluent reads it: its `schemaType`, its canonical text, its
references, and whether the library made for its format accepts it.

The checks are the project's own (`schemas.validation`): Avro by the Apache `avro`
package, JSON Schema by `jsonschema` against its draft's metaschema, Protobuf by `buf build`.
The canonical text decides whether two submissions are the same schema: compact JSON for Avro
and JSON Schema (key order kept, as Confluent keeps it), the text itself for Protobuf.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from registry_sandbox.errors import STORE_ERROR, RegistryError, bad_request, invalid_schema
from schemas.buf_cli import BufUnavailable
from schemas.formats import (
    FORMAT_AVRO,
    FORMAT_JSON_SCHEMA,
    FORMAT_PROTOBUF,
    SchemaFormatError,
    parse_document,
)
from schemas.shapes import check_shape
from schemas.validation import check_avro, check_json_schema, check_protobuf

AVRO, JSON_SCHEMA, PROTOBUF = "AVRO", "JSON", "PROTOBUF"
SCHEMA_TYPES = (JSON_SCHEMA, PROTOBUF, AVRO)
# The project's name of each Confluent schema type.
FORMAT_OF = {AVRO: FORMAT_AVRO, JSON_SCHEMA: FORMAT_JSON_SCHEMA, PROTOBUF: FORMAT_PROTOBUF}


@dataclass(frozen=True)
class Reference:
    name: str
    subject: str
    version: int

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "subject": self.subject, "version": self.version}


@dataclass(frozen=True)
class SchemaText:
    """A schema as stored: what makes it the same schema as another."""

    schema_type: str
    schema: str
    references: tuple[Reference, ...] = ()

    def as_fields(self) -> dict[str, Any]:
        """The fields Confluent answers with: `schemaType` only when not AVRO, `references`
        only when there are some (Confluent leaves out empty values)."""
        fields: dict[str, Any] = {"schema": self.schema}
        if self.schema_type != AVRO:
            fields["schemaType"] = self.schema_type
        if self.references:
            fields["references"] = [r.as_dict() for r in self.references]
        return fields

    def parsed(self) -> Any:
        """As the project's compatibility code takes it: JSON value, or `.proto` text."""
        return self.schema if self.schema_type == PROTOBUF else json.loads(self.schema)


def read_request(body: bytes) -> dict[str, Any]:
    """The JSON object of a request body; 400 (as Confluent answers bad JSON) otherwise."""
    try:
        value = json.loads(body.decode("utf-8")) if body.strip() else None
    except (UnicodeDecodeError, ValueError) as error:
        raise bad_request(
            f"The request body is not valid JSON ({error}); send a JSON object such as"
            ' {"schema": "..."}.'
        ) from None
    if not isinstance(value, dict):
        raise bad_request('The request body must be a JSON object such as {"schema": "..."}.')
    return value


def submitted_text(request: dict[str, Any]) -> SchemaText:
    """The schema, type and references of a register/lookup/compatibility request, not yet
    checked; 42201 when a field is missing or of the wrong kind."""
    schema = request.get("schema")
    if not isinstance(schema, str) or not schema.strip():
        raise invalid_schema(
            'Empty schema: the request needs a "schema" field holding the schema as a string.'
        )
    schema_type = request.get("schemaType") or AVRO
    if not isinstance(schema_type, str) or schema_type.upper() not in SCHEMA_TYPES:
        raise invalid_schema(
            f"Invalid schema type {schema_type}; use one of AVRO, JSON or PROTOBUF."
        )
    schema_type = schema_type.upper()
    return SchemaText(schema_type, _canonical(schema_type, schema), _references(request))


async def check_schema(text: SchemaText) -> None:
    """42201 with the library's words when the schema is not valid for its type."""
    with checker_errors(text.schema_type):
        if text.schema_type == PROTOBUF:
            await check_protobuf(text.schema.encode())
            return
        document = parse_document(text.schema.encode())
        if text.schema_type == AVRO:
            check_avro(document)
        else:
            check_shape(document, FORMAT_JSON_SCHEMA)
            check_json_schema(document)


@contextmanager
def checker_errors(schema_type: str) -> Iterator[None]:
    """The project's checkers' refusals as Confluent's answers: 42201 for an invalid schema,
    50001 when the Protobuf checker cannot run."""
    try:
        yield
    except SchemaFormatError as error:
        raise invalid_schema(f"Invalid schema of type {schema_type}, details: {error}") from None
    except BufUnavailable as error:
        raise RegistryError(
            500, STORE_ERROR, f"The Protobuf checker is unavailable: {error}"
        ) from None


def _canonical(schema_type: str, schema: str) -> str:
    if schema_type == PROTOBUF:
        return schema
    try:
        document = json.loads(schema)
    except ValueError as error:
        raise invalid_schema(
            f"Invalid schema of type {schema_type}, details: it is not valid JSON ({error})"
        ) from None
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def _references(request: dict[str, Any]) -> tuple[Reference, ...]:
    raw = request.get("references") or []
    if not isinstance(raw, list):
        raise invalid_schema('"references" must be a list of {"name", "subject", "version"}.')
    found: list[Reference] = []
    for item in raw:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("name"), str)
            and isinstance(item.get("subject"), str)
            and isinstance(item.get("version"), int)
            and not isinstance(item.get("version"), bool)
        ):
            raise invalid_schema(
                f"Invalid schema reference {json.dumps(item)}: each reference needs a"
                ' "name" and a "subject" (strings) and a "version" (a number).'
            )
        found.append(Reference(item["name"], item["subject"], item["version"]))
    return tuple(found)
