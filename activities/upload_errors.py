"""The `ApplicationError` types `upload_schema` raises, importable inside the workflow sandbox.

Kept free of aiohttp and file I/O so that workflow code can import it: the workflow turns a
permanent upload error into a revision request carrying the error's message.
"""

from __future__ import annotations

SCHEMA_NOT_FOUND = "SchemaNotFound"
SCHEMA_TOO_LARGE = "SchemaTooLarge"
SCHEMA_NOT_PARSEABLE = "SchemaNotParseable"
SCHEMA_ADDRESS_FORBIDDEN = "SchemaAddressForbidden"
SCHEMA_URI_INVALID = "SchemaUriInvalid"
# The store already holds an approved, different document under this version number (a new
# review for a schema that restarted its numbering).
SCHEMA_VERSION_CONFLICT = "SchemaVersionConflict"

# Retryable: the server or the network may recover.
SCHEMA_FETCH_UNAVAILABLE = "SchemaFetchUnavailable"
SCHEMA_FETCH_TIMED_OUT = "SchemaFetchTimedOut"

PERMANENT_UPLOAD_ERRORS: tuple[str, ...] = (
    SCHEMA_NOT_FOUND,
    SCHEMA_TOO_LARGE,
    SCHEMA_NOT_PARSEABLE,
    SCHEMA_ADDRESS_FORBIDDEN,
    SCHEMA_URI_INVALID,
    SCHEMA_VERSION_CONFLICT,
)
TRANSIENT_UPLOAD_ERRORS: tuple[str, ...] = (SCHEMA_FETCH_UNAVAILABLE, SCHEMA_FETCH_TIMED_OUT)
