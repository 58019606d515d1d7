"""What a schema registry's subject allows a submission, in sentences the owner acts on: the
formats a registry holds, and the version numbers it leaves free.

Asked by the upload (`activities.registry_upload`) and, before anything starts, by the bot's
document check, so that both refuse with the same words.
"""

from __future__ import annotations

from schemas.formats import FORMAT_PROTOBUF, parse_document
from workflow.registry_contract import SCHEMA_TYPES

# The format of each Confluent schemaType (what a registered version is read as).
FORMATS_OF_TYPES: dict[str, str] = {kind: fmt for fmt, kind in SCHEMA_TYPES.items()}


def unregistrable_format(fmt: str, shown_uri: str) -> str | None:
    """Why a document of this format cannot go to the registry (a sentence), or None."""
    if fmt in SCHEMA_TYPES:
        return None
    held = ", ".join(SCHEMA_TYPES)
    return (
        f"The document at {shown_uri} is {fmt}, and the schema registry holds only schemas"
        f" ({held}): submit the schema as one of those."
    )


def version_behind(subject: str, latest: int | None, version: int) -> str | None:
    """Why `version` cannot be reviewed for this subject (a sentence), or None: the
    registry's versions are the approved ones, and a review continues above them."""
    if latest is None or version > latest:
        return None
    return (
        f"{subject} holds versions up to {latest} in the schema registry: submit version"
        f" {latest + 1} or higher."
    )


def parsed_registered(text: str, schema_type: str) -> object:
    """A registered document as the compatibility checkers read it: the `.proto` text, or
    the JSON value."""
    if FORMATS_OF_TYPES.get(schema_type) == FORMAT_PROTOBUF:
        return text
    return parse_document(text.encode("utf-8"))
