"""Confluent's compatibility levels judged by the project's own checkers.

The verdicts are `schemas.compatibility`'s, the same the review uses: BACKWARD,
FORWARD and FULL against the newest of the versions given, BACKWARD_TRANSITIVE against all of
them; FORWARD_TRANSITIVE and FULL_TRANSITIVE as FORWARD and FULL against each version in turn;
NONE always compatible. The messages follow Confluent's verbose answer: the problems found,
then which version was compared and under which level.
"""

from __future__ import annotations

from registry_sandbox.documents import FORMAT_OF, SchemaText, checker_errors
from schemas.compatibility import ApprovedVersion, verdict

_EACH_VERSION = {"FORWARD_TRANSITIVE": "FORWARD", "FULL_TRANSITIVE": "FULL"}


async def incompatibilities(
    candidate: SchemaText, previous: list[tuple[int, SchemaText]], level: str, new_version: int
) -> list[str]:
    """Why `candidate` (to become `new_version`) breaks `level` against `previous` ((version,
    schema), oldest first); empty when it is compatible or there is nothing to compare with."""
    if level == "NONE" or not previous:
        return []
    stored = [ApprovedVersion(v, FORMAT_OF[s.schema_type], s.parsed()) for v, s in previous]
    if level in _EACH_VERSION:
        rounds = [([old], _EACH_VERSION[level]) for old in stored]
    elif level == "BACKWARD_TRANSITIVE":
        rounds = [(stored, level)]
    else:
        rounds = [([stored[-1]], level)]
    fmt = FORMAT_OF[candidate.schema_type]
    messages: list[str] = []
    with checker_errors(candidate.schema_type):
        for against, mode in rounds:
            found = await verdict(fmt, new_version, candidate.parsed(), against, mode)
            if found is not None and not found.compatible:
                messages += found.problems
                messages.append(f"{{oldSchemaVersion: {found.against_version}}}")
    if messages:
        messages.append(f"{{compatibility: '{level}'}}")
    return messages
