"""The compatibility verdict of a version against the schema's approved versions.

The mode says which approved versions count and in which direction, as in Confluent Schema
Registry: BACKWARD (the default) checks that readers using the new version read data written
with the last approved one; BACKWARD_TRANSITIVE the same against every approved version;
FORWARD that readers still using the last approved version read data written with the new one;
FULL both; NONE checks nothing. A registry's FORWARD_TRANSITIVE and FULL_TRANSITIVE check
FORWARD and FULL against every approved version. Each format is judged by its reference tool.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from schemas.compat_avro import avro_problems
from schemas.compat_json_schema import json_schema_problems
from schemas.compat_protobuf import protobuf_problems
from schemas.formats import FORMAT_AVRO, FORMAT_JSON_SCHEMA, FORMAT_PROTOBUF
from workflow.models import Compatibility

# Formats with a compatibility checker; other JSON documents get no verdict.
CHECKED_FORMATS = (FORMAT_JSON_SCHEMA, FORMAT_AVRO, FORMAT_PROTOBUF)


@dataclass(frozen=True)
class ApprovedVersion:
    version: int
    fmt: str
    # The parsed JSON value, or the `.proto` text.
    parsed: Any


async def verdict(
    fmt: str, version: int, parsed: Any, approved: list[ApprovedVersion], mode: str
) -> Compatibility | None:
    """The verdict on `version` (already read as `fmt`) against the approved versions, oldest
    first; None when nothing approved precedes it or the format has no checker."""
    earlier = [a for a in approved if a.version < version]
    if not earlier or fmt not in CHECKED_FORMATS:
        return None
    last = earlier[-1]
    if mode == "NONE":
        return Compatibility(mode, last.version, True, [])
    if last.fmt != fmt:
        problem = (
            f"The format changed from {last.fmt} (v{last.version}) to {fmt} (v{version}); no"
            f" reader of v{last.version} can read data written with v{version}, or the other"
            " way round."
        )
        return Compatibility(mode, last.version, False, [problem])
    # A schema registry's subject may also be FORWARD_TRANSITIVE or FULL_TRANSITIVE.
    against = earlier if mode.endswith("_TRANSITIVE") else [last]
    problems: list[str] = []
    for old in against:
        if old.fmt != fmt:
            continue
        if mode.startswith(("BACKWARD", "FULL")):
            problems += await _problems(fmt, old, version, parsed, backward=True)
        if mode.startswith(("FORWARD", "FULL")):
            problems += await _problems(fmt, old, version, parsed, backward=False)
    return Compatibility(mode, last.version, not problems, problems)


async def _problems(
    fmt: str, old: ApprovedVersion, version: int, parsed: Any, *, backward: bool
) -> list[str]:
    if fmt == FORMAT_AVRO:
        if backward:
            return avro_problems(parsed, old.parsed, version, old.version)
        return avro_problems(old.parsed, parsed, old.version, version)
    if fmt == FORMAT_JSON_SCHEMA:
        return json_schema_problems(old.parsed, parsed, old.version, version, backward=backward)
    return await protobuf_problems(old.parsed, parsed, old.version, version, backward=backward)
