"""JSON Schema compatibility: `jsoncompat`'s verdict, explained property by property.

`jsoncompat.check_compat(old, new, role)` decides: in the deserializer role (BACKWARD) every
document the old schema accepts must be accepted by the new one; in the serializer role
(FORWARD) every document the new one accepts must be accepted by the old. It answers yes or
no, so the sentences come from comparing the two schemas' properties: a property removed where
no other is allowed, newly required, retyped, or typed where anything was allowed before.

`jsoncompat` follows only local references (`#/...`) and reads a document's own `$id` as a
remote one it cannot follow, so it could not compare any schema that declares where it is
published. Both versions are compared as local documents: their `$id` removed, and a `$ref`
into the document through its `$id` made local.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, Literal

import jsoncompat


def json_schema_problems(
    old_document: Any, new_document: Any, old_version: int, new_version: int, *, backward: bool
) -> list[str]:
    """BACKWARD (`backward=True`): why readers using the new version refuse documents written
    with the old; FORWARD: why readers still using the old refuse documents written with the
    new. None when `jsoncompat` finds the versions compatible in that direction."""
    role: Literal["deserializer", "serializer"] = "deserializer" if backward else "serializer"
    try:
        compatible = jsoncompat.check_compat(
            json.dumps(as_local(old_document)), json.dumps(as_local(new_document)), role
        )
    except ValueError as error:
        return [
            f"jsoncompat could not compare v{old_version} with v{new_version}: {error}; review"
            " the change by hand."
        ]
    if compatible:
        return []
    if backward:
        writer, reader = _Version(old_document, old_version), _Version(new_document, new_version)
    else:
        writer, reader = _Version(new_document, new_version), _Version(old_document, old_version)
    found = list(_explain(writer, reader, backward))
    if not found:
        found = [
            f"Readers {_using(backward)} v{reader.number} refuse some documents written with"
            f" v{writer.number}: a constraint (an enum, a format, a length, a pattern, a bound)"
            " is stricter for them."
        ]
    return found


def as_local(document: Any) -> Any:
    """The schema without its top-level `$id`, its references through that `$id` made local
    (`https://x/item.json#/$defs/a` becomes `#/$defs/a`); any other document unchanged."""
    if not isinstance(document, dict) or not isinstance(document.get("$id"), str):
        return document
    own = document["$id"].split("#", 1)[0]
    local = {key: value for key, value in document.items() if key != "$id"}
    return _local_refs(local, own)


def _local_refs(node: Any, own: str) -> Any:
    if isinstance(node, list):
        return [_local_refs(item, own) for item in node]
    if not isinstance(node, dict):
        return node
    found = {key: _local_refs(value, own) for key, value in node.items()}
    ref = found.get("$ref")
    if isinstance(ref, str) and own and (ref == own or ref.startswith(own + "#")):
        found["$ref"] = "#" + ref[len(own) :].removeprefix("#")
    return found


class _Version:
    def __init__(self, document: Any, number: int) -> None:
        self.number = number
        self.properties = dict(_properties(document, ""))
        # The objects (by path, "" for the top) that allow no properties but their own.
        self.closed = {path for path in ("", *self.properties) if _closed(document, path)}


def _using(backward: bool) -> str:
    return "using" if backward else "still using"


def _explain(writer: _Version, reader: _Version, backward: bool) -> Iterator[str]:
    readers = f"readers {_using(backward)} v{reader.number}"
    written = f"documents written with v{writer.number}"
    for path, seen in writer.properties.items():
        read = reader.properties.get(path)
        if read is None:
            if path.rpartition(".")[0] in reader.closed:
                action = "was removed" if backward else "was added"
                yield (
                    f"Property `{path}` {action}, and v{reader.number} allows no other"
                    f" properties there; {readers} refuse {written} that have it."
                )
            continue
        if read.required and not seen.required:
            now = "is now required" if backward else "is no longer required"
            yield f"Property `{path}` {now}; {readers} refuse {written} without it."
        if not _types_fit(seen.types, read.types):
            yield (
                f"Property `{path}` is {read.shown()} for v{reader.number} but {seen.shown()}"
                f" for v{writer.number}; {readers} refuse {written} where it is"
                f" {seen.shown()}."
            )
    for path, read in reader.properties.items():
        if path in writer.properties:
            continue
        parent = writer.properties.get(path.rpartition(".")[0]) if "." in path else None
        if "." in path and parent is None:
            continue
        # Where the writer's version allows no other properties, it never writes this one.
        if read.types and path.rpartition(".")[0] not in writer.closed:
            action = "was added as" if backward else "was removed; v{0} still types it as"
            yield (
                f"Property `{path}` {action.format(reader.number)} {read.shown()}, and"
                f" v{writer.number} allows any value there; {readers} refuse {written} that"
                f" have another kind of value in it."
            )
        if read.required:
            yield (
                f"Property `{path}` is required by v{reader.number}; {readers} refuse"
                f" {written} without it."
            )


class _Property:
    def __init__(self, types: frozenset[str], required: bool) -> None:
        self.types = types
        self.required = required

    def shown(self) -> str:
        return " or ".join(sorted(self.types)) if self.types else "any value"


def _types_fit(written: frozenset[str], read: frozenset[str]) -> bool:
    if not read:
        return True
    if not written:
        return False
    widened = set(read) | ({"integer"} if "number" in read else set())
    return written <= widened


def _properties(schema: Any, prefix: str) -> Iterator[tuple[str, _Property]]:
    if not isinstance(schema, dict):
        return
    required = schema.get("required")
    names = {n for n in required if isinstance(n, str)} if isinstance(required, list) else set()
    properties = schema.get("properties")
    if isinstance(properties, dict):
        for name, sub in properties.items():
            path = f"{prefix}{name}"
            yield path, _Property(_types(sub), name in names)
            yield from _properties(sub, f"{path}.")


def _types(schema: Any) -> frozenset[str]:
    if not isinstance(schema, dict):
        return frozenset()
    declared = schema.get("type")
    if isinstance(declared, str):
        return frozenset({declared})
    if isinstance(declared, list):
        return frozenset(t for t in declared if isinstance(t, str))
    return frozenset()


def _closed(document: Any, path: str) -> bool:
    node = document
    for name in path.split(".") if path else []:
        properties = node.get("properties") if isinstance(node, dict) else None
        node = properties.get(name) if isinstance(properties, dict) else None
    return isinstance(node, dict) and node.get("additionalProperties") is False
