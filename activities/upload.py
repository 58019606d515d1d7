"""The `upload_schema` activity: fetch, check, fingerprint and store one submitted version.

The document is validated by its format's library (`schemas.validation`) and judged
against the approved versions (`schemas.version_checks`). Problems the schema owner must fix
(not found, too large, not a valid schema, forbidden address, a copy of a version already
reviewed, a breaking change when those are refused) are raised as non-retryable
`ApplicationError`s whose message is shown to them in the revision request; the types are
listed in `schemas.error_kinds`. Network trouble is raised retryable. Every message is a
plain sentence ending in one period; technical detail goes to the worker's log only.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable
from typing import Any, TypeVar

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.heartbeats import heartbeating
from activities.registry_upload import RegistrySide, SubjectReading, read_subject
from schemas import error_kinds as kinds
from schemas.buf_cli import BufUnavailable
from schemas.fetch import FetchPolicy, SchemaFetchError, display_uri, fetch_document
from schemas.formats import (
    FORMAT_PROTOBUF,
    SchemaFormatError,
    SchemaShapeError,
    describe_changes,
    parse_document,
)
from schemas.proto_fields import proto_changes
from schemas.registry_subject import FORMATS_OF_TYPES
from schemas.store import SchemaStore, StoredVersion, VersionConflict
from schemas.validation import (
    SchemaDocument,
    check_protobuf,
    document_name,
    read_schema,
)
from schemas.version_checks import (
    CompatibilityPolicy,
    breaking_change_refusal,
    check_compatibility,
    copy_of_reviewed,
    resolve_mode,
)
from workflow import activity_contract as contract
from workflow.models import (
    Submission,
    UploadRequest,
    UploadResult,
    schema_id_problem,
    version_problem,
)

# Also used by the bot's check before a review starts, outside any activity.
log = logging.getLogger(__name__)
T = TypeVar("T")


def sha256_digest(content: bytes) -> str:
    return f"sha256:{hashlib.sha256(content).hexdigest()}"


async def read_document(content: bytes, uri: str, *, build: bool = True) -> SchemaDocument:
    """The document read as its format, or a non-retryable SchemaNotParseable error.
    `build=False`: a `.proto` document is compiled later (see `read_schema`)."""
    try:
        return await read_schema(content, document_name(uri), build=build)
    except Exception as error:
        raise unreadable(error, uri) from None


async def checked(work: Awaitable[T], uri: str) -> T:
    """`work`'s result; the document refused by its library (a `.proto` that does not build
    in `buf breaking`) as `read_document` refuses it. Other failures pass: a checker's own
    fault must not read as the document's."""
    try:
        return await work
    except (SchemaFormatError, BufUnavailable) as error:
        raise unreadable(error, uri) from None


def unreadable(error: Exception, uri: str) -> ApplicationError:
    """The sentence for the owner (or, for the checker's trouble, a retryable error)."""
    fix = "Fix the document and submit a new version."
    shown = display_uri(uri)
    if isinstance(error, BufUnavailable):
        # The worker's installation, not the document: retried, and logged for operators.
        log.error("Checking the Protobuf document at %s failed: %s", shown, error)
        return ApplicationError(f"The Protobuf checker could not run: {error}.")
    if isinstance(error, SchemaShapeError):
        return _not_parseable(
            f"The schema document at {shown} is not a schema we can read: {error}. {fix}"
        )
    if isinstance(error, SchemaFormatError):
        return _not_parseable(f"The schema document at {shown} could not be read: {error}. {fix}")
    # Reading the same bytes again fails the same way, so retrying cannot help; the owner gets
    # a plain sentence, operators the traceback.
    log.error("Reading the schema document at %s failed unexpectedly", shown, exc_info=error)
    return _not_parseable(
        f"The schema document at {shown} is not a schema we can read: something in it is"
        " not what this reader expects. Check the document and submit a new version; if it"
        " is valid, ask the bot's operators to look at the worker's log."
    )


def _not_parseable(message: str) -> ApplicationError:
    return ApplicationError(message, type=kinds.SCHEMA_NOT_PARSEABLE, non_retryable=True)


class SchemaUploadActivities:
    """`store`: the directory store (None only with a registry, which then holds the approved
    versions and nothing is kept locally). `registry`: the schema registry, None without."""

    def __init__(
        self,
        store: SchemaStore | None,
        policy: FetchPolicy,
        compatibility: CompatibilityPolicy | None = None,
        registry: RegistrySide | None = None,
    ) -> None:
        if store is None and registry is None:
            raise ValueError("The upload needs a schema store, a schema registry, or both.")
        self._store = store
        self._policy = policy
        self._compatibility = compatibility or CompatibilityPolicy()
        self._registry = registry

    @activity.defn(name=contract.upload_schema.__name__)
    async def upload_schema(self, request: UploadRequest) -> UploadResult:
        # Heartbeats: a worker killed mid-fetch costs the heartbeat timeout, not the whole
        # start-to-close timeout, before another worker retries.
        async with heartbeating():
            return await self._upload(request)

    async def _upload(self, request: UploadRequest) -> UploadResult:
        submission = request.submission
        schema_id, version = submission.schema_id, submission.version
        if problem := schema_id_problem(schema_id) or version_problem(version):
            raise ApplicationError(
                f"The submission cannot be stored: {problem}.",
                type=kinds.SCHEMA_URI_INVALID,
                non_retryable=True,
            )
        try:
            content = await fetch_document(submission.content_uri, self._policy)
        except SchemaFetchError as error:
            raise ApplicationError(
                error.message, type=error.kind, non_retryable=error.permanent
            ) from None
        # A `.proto` document is compiled by the compatibility check's `buf breaking` when there
        # is an approved version to compare with (one process instead of two), else below.
        document = await read_document(content, submission.content_uri, build=False)
        fmt = document.fmt
        digest = sha256_digest(content)

        reading: SubjectReading | None = None
        if self._registry is not None:
            reading = await checked(
                read_subject(
                    self._registry, submission, document, content, self._compatibility.default_mode
                ),
                submission.content_uri,
            )
        store = self._store
        previous = (
            await asyncio.to_thread(store.latest_before, schema_id, version) if store else None
        )
        if store is not None and (
            copy := await asyncio.to_thread(copy_of_reviewed, store, submission, digest, previous)
        ):
            raise ApplicationError(copy, type=kinds.SCHEMA_UNCHANGED, non_retryable=True)
        if reading is not None:
            compatibility = reading.compatibility
        else:
            assert store is not None
            mode = await asyncio.to_thread(resolve_mode, store, submission, self._compatibility)
            compatibility = await checked(
                check_compatibility(store, submission, document, mode),
                submission.content_uri,
            )
        if document.fmt == FORMAT_PROTOBUF:
            # Built already when compared (remembered by `buf_cli`); built now otherwise.
            await checked(check_protobuf(content), submission.content_uri)
        policy = request.breaking_change_policy or self._compatibility.breaking_change
        if compatibility and not compatibility.compatible and policy == "refuse":
            raise ApplicationError(
                breaking_change_refusal(submission, compatibility),
                type=kinds.SCHEMA_INCOMPATIBLE,
                non_retryable=True,
            )
        if reading is not None:
            latest = reading.latest
            changes = (
                await self._changes_from(
                    latest.schema.text.encode("utf-8"),
                    FORMATS_OF_TYPES[latest.schema.schema_type],
                    latest.version,
                    schema_id,
                    document,
                )
                if latest is not None
                else []
            )
            previous_version = latest.version if latest is not None else None
        else:
            changes = await self._changes_since(previous, document, digest)
            previous_version = previous.version if previous else None
        if store is not None:
            await self._store_version(store, submission, content, fmt, digest)
        return UploadResult(
            schema_id=schema_id,
            version=version,
            digest=digest,
            format=fmt,
            size_bytes=len(content),
            changes=changes,
            previous_version=previous_version,
            compatibility=compatibility,
            breaking_change_policy=policy,
            registry=reading.view if reading is not None else None,
        )

    async def _store_version(
        self, store: SchemaStore, submission: Submission, content: bytes, fmt: str, digest: str
    ) -> None:
        schema_id, version = submission.schema_id, submission.version
        try:
            stored = await asyncio.to_thread(store.save, schema_id, version, content, fmt, digest)
        except VersionConflict as error:
            raise ApplicationError(
                str(error), type=kinds.SCHEMA_VERSION_CONFLICT, non_retryable=True
            ) from None
        if stored.replaced:
            activity.logger.warning(
                "Version %s of %s was stored again with a different document (%s replaces %s)",
                version,
                schema_id,
                digest,
                stored.replaced[-1].digest,
            )
        activity.logger.info(
            "Stored version %s of %s: %s, %s bytes, %s",
            version,
            schema_id,
            fmt,
            len(content),
            digest,
        )

    async def _changes_since(
        self, previous: StoredVersion | None, document: SchemaDocument, digest: str
    ) -> list[str]:
        if previous is None or previous.digest == digest or self._store is None:
            return []
        old_content = await asyncio.to_thread(
            self._store.load, previous.schema_id, previous.version
        )
        return await self._changes_from(
            old_content, previous.format, previous.version, previous.schema_id, document
        )

    async def _changes_from(
        self,
        old_content: bytes,
        old_format: str,
        old_version: int,
        schema_id: str,
        document: SchemaDocument,
    ) -> list[str]:
        """What changed since `old_content`, version `old_version` (stored or registered)."""
        fmt = document.fmt
        try:
            if fmt == FORMAT_PROTOBUF and old_format == FORMAT_PROTOBUF:
                return proto_changes(old_content.decode("utf-8-sig"), document.parsed)[:10]
            old_document: Any = (
                old_content.decode("utf-8-sig")
                if old_format == FORMAT_PROTOBUF
                else parse_document(old_content)
            )
        except (SchemaFormatError, UnicodeDecodeError):
            # Stored versions were checked on the way in; a damaged file should not block review.
            return [f"Version {old_version} could not be read back, so no changes are shown."]
        try:
            if fmt == FORMAT_PROTOBUF or old_format == FORMAT_PROTOBUF:
                return [f"Format changed from {old_format} to {fmt}."]
            return describe_changes(old_document, document.parsed, fmt)
        except Exception:
            # Both documents were read; a summary that fails should not hold up their review.
            activity.logger.exception(
                "Summarising the changes from version %s of %s failed", old_version, schema_id
            )
            return [f"The changes since version {old_version} could not be summarised."]
