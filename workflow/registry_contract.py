"""The schema registry in the review's contract: what the upload learns of the subject, what an
approval registers, and what the registry answered.

A registry is set on the worker (`SCHEMA_REGISTRY_URL`); the workflow learns of it from the
upload's result (`UploadResult.registry`, None without one), so its history records whether
and where the version is registered. The registry (Confluent's REST API: Confluent Platform and
Cloud, Redpanda, Apicurio's ccompat API…) holds the approved versions that producers and
consumers read; the review registers a version exactly once, after its approval
(docs/workflow.md, "The schema registry").
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Confluent's `schemaType` of each document format the registry can hold; a format missing
# here (plain JSON data) is refused at submission while a registry is set.
SCHEMA_TYPES: dict[str, str] = {"Avro": "AVRO", "JSON Schema": "JSON", "Protobuf": "PROTOBUF"}

# The `ApplicationError` types `register_approved_schema` raises. Retryable: the registry may
# recover, or an operator may fix its credentials; the workflow keeps trying for
# `RegistryView.retry_hours`, having told the owner once why it waits.
REGISTRY_UNAVAILABLE = "RegistryUnavailable"
REGISTRY_UNAUTHORIZED = "RegistryUnauthorized"
# Non-retryable: the registry refused this document under this subject, for good. 409: a
# version registered there directly since the review started is incompatible with it; 422:
# the registry cannot read it (or a reference it names). The review stays open,
# `approved_not_registered`, until an admin asks again (`retry_registration`) or withdraws.
REGISTRY_CONFLICT = "RegistryConflict"
REGISTRY_REJECTED = "RegistryRejected"
# Non-retryable: the document to register, fetched again because it was too large to travel
# with the review, no longer has the digest the reviewers approved.
REGISTRY_DOCUMENT_CHANGED = "RegistryDocumentChanged"
PERMANENT_REGISTRY_ERRORS = (REGISTRY_CONFLICT, REGISTRY_REJECTED, REGISTRY_DOCUMENT_CHANGED)

# The largest document that travels with the review (in the upload's result, so any worker
# can register it without a shared directory). Larger ones are fetched again at registration
# and checked against the approved digest: 10,000 open reviews must fit in one worker.
DOCUMENT_CARRIED_MAX_BYTES = 32 * 1024


@dataclass
class SchemaReference:
    """An import of another subject's schema (Confluent's `references` entry)."""

    name: str
    subject: str
    version: int


@dataclass
class RegistryView:
    """The registry's side of one uploaded version (`UploadResult.registry`)."""

    subject: str
    # Confluent's schemaType of the document ("AVRO", "JSON", "PROTOBUF").
    schema_type: str
    # The subject's latest registered version when the version was uploaded (None: no
    # versions yet); the review's versions start above it.
    latest_version: int | None
    # The subject's compatibility level (`GET /config/{subject}?defaultToGlobal=true`), or the
    # worker's DEFAULT_COMPATIBILITY when the registry has none to say.
    compatibility_level: str
    # The registry's own verdict on the document (`POST /compatibility/…?verbose=true`):
    # None when it was not asked (an empty subject, or a submission that changes the level,
    # which the registry checks in the new level at registration).
    registry_compatible: bool | None = None
    registry_messages: list[str] = field(default_factory=list)
    # The document itself, when at most DOCUMENT_CARRIED_MAX_BYTES.
    document: str | None = None
    # How long the approval's registration is retried (SCHEMA_REGISTRY_RETRY_HOURS).
    retry_hours: float = 24.0


@dataclass
class RegistrationRequest:
    """What `register_approved_schema` registers: the approved version's document."""

    workflow_id: str
    schema_id: str
    # The review's version number (the registry assigns its own at registration).
    version: int
    digest: str
    content_uri: str
    subject: str
    schema_type: str
    # The document (RegistryView.document), or None: fetch `content_uri` again and check it
    # has `digest`.
    document: str | None = None
    references: list[SchemaReference] = field(default_factory=list)
    # A compatibility level the approved review changed: written to the subject
    # (`PUT /config/{subject}`) just before registering. None: leave the subject's level.
    set_compatibility: str | None = None


@dataclass
class Registration:
    """Where the registry holds the approved version: the `status` query's `registry`."""

    subject: str
    version: int
    id: int
