"""Every call the bot and the worker make to the schema registry, counted by operation and by
what the registry answered (`docs/operations.md`, "Schema registry calls")."""

from __future__ import annotations

from prometheus_client import Counter

REGISTRY_CALLS = Counter(
    "schema_approval_registry_calls",
    "Schema registry calls, by operation and answer (ok, the registry's error code, or"
    " unavailable when no answer came)",
    ["operation", "code"],
)

# The operations `schemas.registry_client.RegistryClient` makes: a fixed set of labels.
OPERATIONS = ("check", "versions", "version", "level", "verdict", "lookup", "register", "set_level")


def counted(operation: str, code: str) -> None:
    REGISTRY_CALLS.labels(operation, code).inc()
