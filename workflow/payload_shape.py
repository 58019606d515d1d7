"""Payloads read strictly, by the dataclass they stand for: the one reader behind every signal,
update and the start input (`workflow.payloads`, `workflow.review_input`).

The fields, their types and which are required come from the dataclass itself, so a payload
class and its check cannot drift apart. Strict: a field the class does not have is refused by
name, a value of another JSON kind is refused, never coerced ("2" and 2.0 are not 2, 1 is not
true); a number of seconds may be written 5 as well as 5.0, which JSON does not tell apart.
What the values mean (an email, a stage that exists) is each payload's own check, made after.
Once a payload reads, Temporal's converter builds the dataclass from it, so a review builds
the very objects it built before and recorded histories replay unchanged.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from temporalio.converter import value_to_type

from workflow.payload_values import as_written, version_problem

T = TypeVar("T")

_READ_AS = "read_as"
# The field holds a schema version: read by `version_problem`, as every version is.
VERSION_FIELD: Mapping[str, str] = types.MappingProxyType({_READ_AS: "version"})
# The field is written only by the workflow itself (state carried across continue-as-new),
# never by a sender: its payloads from earlier builds keep fields since retired, which the
# converter has always ignored, so it is left to the converter.
WRITTEN_BY_WORKFLOW: Mapping[str, str] = types.MappingProxyType({_READ_AS: "converter"})

_KINDS: dict[type, str] = {
    str: "a string",
    bool: "true or false",
    int: "a whole number",
    float: "a number",
}


def required_fields(cls: type) -> list[str]:
    return [
        f.name
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]


def field_names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def structure_problems(cls: type, value: Mapping[str, Any], subject: str) -> list[str]:
    """The fields `value` lacks, then those `cls` does not have, as fragments about `subject`
    ("the payload", "submission")."""
    problems: list[str] = []
    if missing := [name for name in required_fields(cls) if name not in value]:
        problems.append(f"{subject} lacks {', '.join(missing)}")
    known = set(field_names(cls))
    if unknown := sorted(str(name) for name in value if name not in known):
        fields = "an unknown field" if len(unknown) == 1 else "unknown fields"
        problems.append(f"{subject} has {fields} ({', '.join(unknown)})")
    return problems


def value_problems(cls: type, value: Mapping[str, Any], prefix: str = "") -> list[str]:
    """What is wrong with the values `value` holds for `cls`'s fields, named `prefix` + field
    ("submission.version"); nested objects are read whole, structure included."""
    problems: list[str] = []
    hints = _hints(cls)
    for f in dataclasses.fields(cls):
        if f.name not in value:
            continue
        reading = f.metadata.get(_READ_AS)
        name = prefix + f.name
        if reading == "converter":
            continue
        if reading == "version":
            if problem := version_problem(value[f.name], name):
                problems.append(problem)
            continue
        problems += _problems_of(hints[f.name], value[f.name], name)
    return problems


def object_problems(cls: type, value: Mapping[str, Any], subject: str, prefix: str) -> list[str]:
    """Everything wrong with `value` as a `cls`: its structure, then its values."""
    return structure_problems(cls, value, subject) + value_problems(cls, value, prefix)


def loosened(cls: type, value: Mapping[str, Any]) -> dict[str, Any]:
    """`value` as reviews started before strict reading took it (patch `strict-payloads`):
    fields `cls` does not have were ignored, and null stood for a field's default. Nested
    objects alike."""
    hints = _hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kept: dict[str, Any] = {}
    for name, item in value.items():
        f = fields.get(name)
        if f is None:
            continue
        has_default = (
            f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
        )
        if item is None and has_default:
            continue
        nested = [a for a in (hints[name], *typing.get_args(hints[name])) if _is_dataclass(a)]
        if nested and isinstance(item, dict) and f.metadata.get(_READ_AS) != "converter":
            item = loosened(nested[0], item)
        kept[name] = item
    return kept


def _is_dataclass(hint: Any) -> bool:
    return dataclasses.is_dataclass(hint) and isinstance(hint, type)


def built(cls: type[T], value: Mapping[str, Any]) -> T:
    """The dataclass of a payload that reads, built as Temporal's converter builds it."""
    return value_to_type(cls, value)


def json_kind(value: object) -> str:
    """What a value that should have been a JSON object is instead."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the string {value!r}"
    return as_written(value)


def _problems_of(hint: Any, value: Any, name: str) -> list[str]:
    args = typing.get_args(hint)
    optional = type(None) in args
    if optional:
        if value is None:
            return []
        (hint,) = [arg for arg in args if arg is not type(None)]
    or_null = " or null" if optional else ""
    if typing.get_origin(hint) is list:
        if not isinstance(value, list):
            return [f"{name} must be a JSON list{or_null}, not {json_kind(value)}"]
        (item,) = typing.get_args(hint)
        return [p for i, v in enumerate(value) for p in _problems_of(item, v, f"{name}[{i}]")]
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        if not isinstance(value, dict):
            return [f"{name} must be a JSON object{or_null}, not {json_kind(value)}"]
        return object_problems(hint, value, name, f"{name}.")
    if hint not in _KINDS:
        # A payload class grew a field of a kind this reader cannot judge: a bug, not input.
        raise TypeError(f"{name}: no strict reading for {hint!r}")
    if not _is_kind(hint, value):
        return [f"{name} must be {_KINDS[hint]}{or_null}, not {as_written(value)}"]
    return []


def _is_kind(kind: type, value: object) -> bool:
    if kind is bool:
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind is float:
        return isinstance(value, int | float)
    return isinstance(value, kind)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    # Derived from the class alone, so the same in every run and replay.
    return typing.get_type_hints(cls)
