"""Recording an approval in the schema store, before anyone is told of it.

The store is a directory (`SCHEMA_STORE_DIR`): `upload_schema` wrote the version there, and
`finalize_review` must find it there. A worker with its own or an ephemeral directory does not,
and the failure then says so in words the workflow's history can show after "Version N was
approved, but …".
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from temporalio.exceptions import ApplicationError

from schemas.store import SchemaStoreError, VersionNotStored
from workflow.activity_calls import SCHEMA_NOT_APPROVABLE, SCHEMA_STORE_MISSING
from workflow.models import UploadResult


class ApprovalRecord(Protocol):
    """What finalizing needs from the schema store (`schemas.store.SchemaStore`);
    it raises `SchemaStoreError` when the reviewed document cannot be marked approved."""

    def mark_approved(self, schema_id: str, version: int, digest: str) -> None: ...


async def record_approval(store: ApprovalRecord | None, upload: UploadResult) -> None:
    """Mark exactly the reviewed document approved; raise a non-retryable ApplicationError
    (SchemaStoreMissing, SchemaNotApprovable) saying why when the store cannot."""
    if store is None:
        raise ApplicationError(
            "the worker that finalized it has no schema store (SCHEMA_STORE_DIR), so it is not"
            " marked approved there, and only the submitter was told.",
            type=SCHEMA_STORE_MISSING,
            non_retryable=True,
        )
    try:
        # The store does file I/O; keep it off the event loop the other activities share.
        await asyncio.to_thread(
            store.mark_approved, upload.schema_id, upload.version, upload.digest
        )
    except VersionNotStored as error:
        raise ApplicationError(
            f"the schema store on the worker that finalized it does not hold version"
            f" {upload.version} of {upload.schema_id}, so it is not marked approved there, and"
            " only the submitter was told. SCHEMA_STORE_DIR must be one persistent volume that"
            " every worker shares.",
            type=SCHEMA_NOT_APPROVABLE,
            non_retryable=True,
        ) from error
    except SchemaStoreError as error:
        raise ApplicationError(
            f"the schema store refused it: {error} Only the submitter was told.",
            type=SCHEMA_NOT_APPROVABLE,
            non_retryable=True,
        ) from error
