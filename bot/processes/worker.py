"""The Temporal worker: runs the `schema_approval` workflow and its activities."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import aiohttp
from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.registration import RegistrationActivities
from activities.registry_upload import RegistrySide
from activities.review_messages import ReviewMessageActivities
from activities.upload import SchemaUploadActivities
from bot.processes.namespace_check import ensure_search_attributes
from bot.processes.registry_check import check_registry_at_start
from bot.runtime.settings import Settings, connect_temporal
from schemas.fetch import FetchPolicy
from schemas.registry_client import RegistryClient
from schemas.store import SchemaStore
from schemas.version_checks import CompatibilityPolicy
from slack_api.worker_retries import build_slack_client
from workflow.schema_approval import SchemaApprovalWorkflow

log = logging.getLogger(__name__)

# The workflow's own modules are deterministic and hold no state of their own (constants and
# pure functions only; every review's state lives in its instance), so the sandbox may share
# one import of them between reviews instead of re-importing them for each one, which cost a
# third of the worker's CPU while reviews opened and most of each cached review's memory.
# The tests' workers keep the full re-import (tests/helpers.py), so a module that grew state or
# called something non-deterministic at import would still be caught there.
PASSED_THROUGH = ("workflow",)


def workflow_runner() -> SandboxedWorkflowRunner:
    """The sandbox every review runs in: Temporal's default restrictions, with the workflow
    package imported once per process."""
    restrictions = SandboxRestrictions.default.with_passthrough_modules(*PASSED_THROUGH)
    return SandboxedWorkflowRunner(restrictions=restrictions)


def build_activities(
    settings: Settings,
    session: aiohttp.ClientSession | None = None,
    registry: RegistryClient | None = None,
) -> list[Callable[..., Any]]:
    """The activities, wired to the schema store, the schema registry (`registry`, None
    without one) and the Slack Web API from settings; `session` carries every Slack call
    (None: a session per call)."""
    settings.require("slack_bot_token")
    assert settings.slack_bot_token is not None
    store_dir = settings.schema_store_path() if registry is not None else settings.schema_store_dir
    store = SchemaStore(store_dir) if store_dir is not None else None
    policy = FetchPolicy(
        max_bytes=settings.schema_fetch_max_bytes,
        timeout_seconds=settings.schema_fetch_timeout_seconds,
        allow_private=settings.schema_fetch_allow_private,
    )
    slack = build_slack_client(
        settings.slack_bot_token.get_secret_value(), settings.slack_api_url, session
    )
    compatibility = CompatibilityPolicy(
        default_mode=settings.default_compatibility,
        breaking_change=settings.breaking_change_policy,
    )
    side = (
        RegistrySide(
            registry,
            settings.schema_registry_subject_template,
            settings.schema_registry_retry_hours,
        )
        if registry is not None
        else None
    )
    upload = SchemaUploadActivities(store, policy, compatibility, side)
    messages = ReviewMessageActivities(slack, store)
    registration = RegistrationActivities(registry, policy)
    return [upload.upload_schema, *messages.all(), registration.register_approved_schema]


class ReviewWorker(Worker):
    """The worker, closing the activities' shared Slack HTTP session (and the registry's
    client) once it has stopped (`run` ended, `shutdown`, or `async with` left); closing twice
    is harmless."""

    def __init__(
        self,
        *args: Any,
        session: aiohttp.ClientSession,
        registry: RegistryClient | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._session = session
        self._registry = registry

    async def run(self) -> None:
        try:
            await super().run()
        finally:
            await self._close()

    async def shutdown(self) -> None:
        try:
            await super().shutdown()
        finally:
            await self._close()

    async def _close(self) -> None:
        await self._session.close()
        if self._registry is not None:
            await self._registry.aclose()


def build_worker(client: Client, settings: Settings) -> Worker:
    """Call with an event loop running: the Slack session belongs to it."""
    session = aiohttp.ClientSession()
    access = settings.registry_access()
    registry = RegistryClient(access) if access is not None else None
    return ReviewWorker(
        client,
        session=session,
        registry=registry,
        task_queue=settings.temporal_task_queue,
        workflows=[SchemaApprovalWorkflow],
        activities=build_activities(settings, session, registry),
        workflow_runner=workflow_runner(),
        max_cached_workflows=settings.worker_max_cached_workflows,
        max_concurrent_workflow_tasks=settings.worker_max_concurrent_workflow_tasks,
        max_concurrent_activities=settings.worker_max_concurrent_activities,
        max_concurrent_workflow_task_polls=settings.worker_workflow_task_pollers,
        max_concurrent_activity_task_polls=settings.worker_activity_task_pollers,
    )


async def run_worker(settings: Settings, client: Client | None = None) -> None:
    """Run until cancelled (Ctrl-C), finishing in-flight activities on the way out."""
    # Refused credentials stop the start before anything connects; silence is a warning.
    await check_registry_at_start(settings)
    client = client or await connect_temporal(settings)
    await ensure_search_attributes(client, settings.temporal_address)
    worker = build_worker(client, settings)
    log.info(
        "Worker polling task queue %s on %s (namespace %s)",
        settings.temporal_task_queue,
        settings.temporal_address,
        settings.temporal_namespace,
    )
    await worker.run()
