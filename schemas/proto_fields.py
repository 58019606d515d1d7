"""The field list of a `.proto` document, for the change summary reviewers read.

`buf build` has already accepted the document, so a light reading is enough: messages (nested
ones by their dotted name) and their fields as `type name = number`.
"""

from __future__ import annotations

import re

_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_TOKEN = re.compile(
    r"(?P<open>\b(?:message|enum|oneof|service|extend)\s+(?P<name>[\w.]+)\s*\{)"
    r"|(?P<field>(?:(?:optional|required|repeated)\s+)?(?P<type>map\s*<[^>]+>|[\w.]+)\s+"
    r"(?P<field_name>\w+)\s*=\s*(?P<number>\d+))"
    r"|(?P<block>\{)|(?P<close>\})"
)


def proto_fields(text: str) -> dict[str, str]:
    """`Message.field` -> `type = number` for every field of every message."""
    fields: dict[str, str] = {}
    scopes: list[tuple[str, str | None]] = []
    for match in _TOKEN.finditer(_COMMENT.sub("", text)):
        if match["open"]:
            kind = match["open"].split()[0]
            scopes.append((kind, match["name"]))
        elif match["block"]:
            scopes.append(("block", None))
        elif match["close"]:
            if scopes:
                scopes.pop()
        elif match["field"]:
            messages = [name for kind, name in scopes if kind == "message" and name]
            if not messages or scopes[-1][0] not in ("message", "oneof"):
                continue
            kind = re.sub(r"\s+", "", match["type"])
            label = match["field"].split()[0]
            shown = f"{label} {kind}" if label in ("optional", "required", "repeated") else kind
            fields[f"{'.'.join(messages)}.{match['field_name']}"] = f"{shown} = {match['number']}"
    return fields


def proto_changes(previous: str, current: str) -> list[str]:
    before, after = proto_fields(previous), proto_fields(current)
    lines = [f"Field `{path}` added ({after[path]})." for path in after if path not in before]
    lines += [
        f"Field `{path}` removed (was {before[path]})." for path in before if path not in after
    ]
    lines += [
        f"Field `{path}` changed from {before[path]} to {after[path]}."
        for path in after
        if path in before and before[path] != after[path]
    ]
    return lines
