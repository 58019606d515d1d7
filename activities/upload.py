"""The `upload_schema` activity: fetch, check, fingerprint and store one submitted version.

Problems the schema owner must fix (not found, too large, not JSON, not a readable schema,
forbidden address) are raised as non-retryable `ApplicationError`s whose message is shown to
them in the revision request; the types are listed in `activities.upload_errors`. Network
trouble is raised retryable. Every message is a plain sentence ending in one period; technical
detail goes to the worker's log only.
"""

from __future__ import annotations

import asyncio
import hashlib
from typing import Any

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities import upload_errors as kinds
from activities.heartbeats import heartbeating
from activities.schema_fetch import FetchPolicy, SchemaFetchError, display_uri, fetch_document
from activities.schema_formats import (
    SchemaFormatError,
    SchemaShapeError,
    describe_changes,
    parse_document,
    recognise_format,
)
from activities.schema_shapes import check_shape
from activities.schema_store import SchemaStore, StoredVersion, VersionConflict
from workflow.models import UploadRequest, UploadResult, schema_id_problem


def sha256_digest(content: bytes) -> str:
    return f"sha256:{hashlib.sha256(content).hexdigest()}"


def _read_document(content: bytes, shown: str) -> tuple[Any, str]:
    """The parsed document and its format, or a non-retryable SchemaNotParseable error."""
    fix = "Fix the document and submit a new version."
    try:
        document = parse_document(content)
        fmt = recognise_format(document)
        check_shape(document, fmt)
    except SchemaShapeError as error:
        raise _not_parseable(
            f"The schema document at {shown} is not a schema we can read: {error}. {fix}"
        ) from None
    except SchemaFormatError as error:
        raise _not_parseable(
            f"The schema document at {shown} could not be read: {error}. {fix}"
        ) from None
    except Exception:
        # Reading the same bytes again fails the same way, so retrying cannot help; the owner
        # gets a plain sentence, operators the traceback.
        activity.logger.exception("Reading the schema document at %s failed unexpectedly", shown)
        raise _not_parseable(
            f"The schema document at {shown} is not a schema we can read: something in it is"
            " not what this reader expects. Check the document and submit a new version; if it"
            " is valid, ask the bot's operators to look at the worker's log."
        ) from None
    return document, fmt


def _not_parseable(message: str) -> ApplicationError:
    return ApplicationError(message, type=kinds.SCHEMA_NOT_PARSEABLE, non_retryable=True)


class SchemaUploadActivities:
    def __init__(self, store: SchemaStore, policy: FetchPolicy) -> None:
        self._store = store
        self._policy = policy

    @activity.defn(name="upload_schema")
    async def upload_schema(self, request: UploadRequest) -> UploadResult:
        # Heartbeats: a worker killed mid-fetch costs the heartbeat timeout, not the whole
        # start-to-close timeout, before another worker retries.
        async with heartbeating():
            return await self._upload(request)

    async def _upload(self, request: UploadRequest) -> UploadResult:
        submission = request.submission
        schema_id, version = submission.schema_id, submission.version
        problem = schema_id_problem(schema_id)
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            problem = f"version must be a whole number of 1 or more, not {version!r}"
        if problem:
            raise ApplicationError(
                f"The submission cannot be stored: {problem}.",
                type=kinds.SCHEMA_URI_INVALID,
                non_retryable=True,
            )
        shown = display_uri(submission.content_uri)
        try:
            content = await fetch_document(submission.content_uri, self._policy)
        except SchemaFetchError as error:
            raise ApplicationError(
                error.message, type=error.kind, non_retryable=error.permanent
            ) from None
        document, fmt = _read_document(content, shown)
        digest = sha256_digest(content)

        previous = await asyncio.to_thread(self._store.latest_before, schema_id, version)
        changes = await self._changes_since(previous, document, fmt, digest)
        try:
            stored = await asyncio.to_thread(
                self._store.save, schema_id, version, content, fmt, digest
            )
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
        return UploadResult(
            schema_id=schema_id,
            version=version,
            digest=digest,
            format=fmt,
            size_bytes=len(content),
            changes=changes,
            previous_version=previous.version if previous else None,
        )

    async def _changes_since(
        self, previous: StoredVersion | None, document: object, fmt: str, digest: str
    ) -> list[str]:
        if previous is None or previous.digest == digest:
            return []
        old_content = await asyncio.to_thread(
            self._store.load, previous.schema_id, previous.version
        )
        try:
            old_document = parse_document(old_content)
        except SchemaFormatError:
            # Stored versions were checked on the way in; a damaged file should not block review.
            return [f"Version {previous.version} could not be read back, so no changes are shown."]
        try:
            return describe_changes(old_document, document, fmt)
        except Exception:
            # Both documents were read; a summary that fails should not hold up their review.
            activity.logger.exception(
                "Summarising the changes from version %s of %s failed",
                previous.version,
                previous.schema_id,
            )
            return [f"The changes since version {previous.version} could not be summarised."]
