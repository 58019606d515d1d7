"""Reviews whose uploads are real: the `upload_schema` activity on a store holding the schema's
approved versions, fetching from a local HTTP server; Slack activities stand in."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from temporalio.client import Client, WorkflowHandle
from temporalio.worker import Worker

from activities.upload import SchemaUploadActivities
from schemas.fetch import FetchPolicy
from schemas.store import SchemaStore
from schemas.version_checks import CompatibilityPolicy
from tests.fixtures.schema_server import SchemaServer
from tests.workflow.review_harness import REVIEWERS, StandInActivities
from workflow.models import ReviewInput, ReviewResult, Submission
from workflow.schema_approval import SchemaApprovalWorkflow

FORMATS = {".avsc": "Avro", ".json": "JSON Schema", ".proto": "Protobuf"}


@dataclass
class UploadStack:
    client: Client
    store: SchemaStore
    server: SchemaServer
    stand_in: StandInActivities
    task_queue: str

    def approve_earlier(self, schema_id: str, extension: str, documents: tuple[str, ...]) -> None:
        """The versions an earlier, completed review approved, as the store keeps them."""
        for version, text in enumerate(documents, start=1):
            content = text.encode()
            digest = f"sha256:{hashlib.sha256(content).hexdigest()}"
            self.store.save(schema_id, version, content, FORMATS[extension], digest)
            self.store.mark_approved(schema_id, version, digest)

    async def submit(
        self, schema_id: str, version: int, text: str, extension: str, mode: str | None = None
    ) -> WorkflowHandle[SchemaApprovalWorkflow, ReviewResult]:
        name = f"{schema_id}-v{version}{extension}"
        self.server.documents[name] = text.encode()
        submission = Submission(
            schema_id=schema_id,
            version=version,
            description=f"Version {version}",
            content_uri=self.server.url(f"/schemas/{name}"),
            submitted_by="owner@example.com",
            compatibility_mode=mode,
        )
        return await self.client.start_workflow(
            SchemaApprovalWorkflow.run,
            ReviewInput(submission=submission, reviewers=REVIEWERS),
            id=f"schema-approval-{schema_id}-{uuid.uuid4().hex[:8]}",
            task_queue=self.task_queue,
        )


@asynccontextmanager
async def upload_stack(
    client: Client, root: Path, policy: str = "require_compliance"
) -> AsyncIterator[UploadStack]:
    server = SchemaServer()
    await server.start()
    store = SchemaStore(root / "schemas")
    uploads = SchemaUploadActivities(
        store, FetchPolicy(allow_private=True), CompatibilityPolicy(breaking_change=policy)
    )
    stand_in = StandInActivities()
    activities = [uploads.upload_schema, *stand_in.activities()[1:]]
    task_queue = f"tq-{uuid.uuid4()}"
    try:
        async with Worker(
            client,
            task_queue=task_queue,
            workflows=[SchemaApprovalWorkflow],
            activities=activities,
            max_concurrent_activities=50,
        ):
            yield UploadStack(client, store, server, stand_in, task_queue)
    finally:
        await server.stop()
