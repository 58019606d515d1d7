"""The `ApplicationError` types `upload_schema` raises.

Permanent errors are raised non-retryable under the names the workflow knows
(`workflow.activity_calls`); their message is a sentence ending in one period, shown to the
schema owner in the revision request.
"""

from __future__ import annotations

from workflow.activity_calls import (
    PERMANENT_UPLOAD_ERRORS,
    SCHEMA_ADDRESS_FORBIDDEN,
    SCHEMA_NOT_FOUND,
    SCHEMA_NOT_PARSEABLE,
    SCHEMA_TOO_LARGE,
    SCHEMA_URI_INVALID,
    SCHEMA_VERSION_CONFLICT,
)

# Raised non-retryable too (so the workflow tells the owner at once), after the checks that
# compare the document with the versions already reviewed.
SCHEMA_UNCHANGED = "SchemaUnchanged"
SCHEMA_INCOMPATIBLE = "SchemaIncompatible"
# With a schema registry: a format it cannot hold (plain JSON data), or a version number at or
# below the subject's latest registered one.
SCHEMA_NOT_REGISTRABLE = "SchemaNotRegistrable"
SCHEMA_VERSION_BEHIND_REGISTRY = "SchemaVersionBehindRegistry"

# Raised retryable: the server or the network may recover.
SCHEMA_FETCH_UNAVAILABLE = "SchemaFetchUnavailable"
SCHEMA_FETCH_TIMED_OUT = "SchemaFetchTimedOut"

__all__ = [
    "PERMANENT_UPLOAD_ERRORS",
    "SCHEMA_ADDRESS_FORBIDDEN",
    "SCHEMA_FETCH_TIMED_OUT",
    "SCHEMA_FETCH_UNAVAILABLE",
    "SCHEMA_INCOMPATIBLE",
    "SCHEMA_NOT_FOUND",
    "SCHEMA_NOT_PARSEABLE",
    "SCHEMA_NOT_REGISTRABLE",
    "SCHEMA_TOO_LARGE",
    "SCHEMA_UNCHANGED",
    "SCHEMA_URI_INVALID",
    "SCHEMA_VERSION_BEHIND_REGISTRY",
    "SCHEMA_VERSION_CONFLICT",
]
