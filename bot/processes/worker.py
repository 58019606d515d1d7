"""The Temporal worker: runs the `schema_approval` workflow and its activities.

SIGTERM (a deploy) or SIGINT stops it gracefully: it polls for no new tasks, the activities
running get `GRACEFUL_SHUTDOWN` to finish (those still running after
`activities.worker_shutdown.FINISH_AFTER_SHUTDOWN` fail over to another worker at once), and the
process exits 0, within a platform's 30 s between SIGTERM and SIGKILL.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import aiohttp
from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from activities.away_seats import AwaySeatActivities
from activities.policy_notices import PolicyNoticeActivities
from activities.registration import RegistrationActivities
from activities.registration_notices import RegistrationNoticeActivities
from activities.registry_upload import RegistrySide
from activities.review_messages import ReviewMessageActivities
from activities.upload import SchemaUploadActivities
from activities.worker_shutdown import FINISH_AFTER_SHUTDOWN
from bot.processes.log_setup import core_logging
from bot.processes.namespace_check import ensure_search_attributes
from bot.processes.ops_endpoints import ops_endpoints, serve_ops
from bot.processes.registry_check import check_registry_at_start
from bot.runtime.settings import Settings, connect_temporal
from bot.runtime.temporal_metrics import TemporalMetrics
from schemas.fetch import FetchPolicy
from schemas.registry_client import RegistryClient
from schemas.store import SchemaStore
from schemas.version_checks import CompatibilityPolicy
from slack_api.client import WORKER, build_slack_client
from workflow.people_away import PeopleAwayWorkflow
from workflow.schema_approval import SchemaApprovalWorkflow

log = logging.getLogger(__name__)

# The workflow's own modules are deterministic and hold no state of their own (constants and
# pure functions only; every review's state lives in its instance), so the sandbox may share
# one import of them between reviews instead of re-importing them for each one, which cost a
# third of the worker's CPU while reviews opened and most of each cached review's memory.
# The tests' workers keep the full re-import (tests/helpers.py), so a module that grew state or
# called something non-deterministic at import would still be caught there.
PASSED_THROUGH = ("workflow",)

# After this the SDK cancels what still runs. The activities hand over at
# FINISH_AFTER_SHUTDOWN, well before, so this is the bound for the unforeseen; it stays under
# the 30 s platforms (Heroku, Kubernetes' default) allow between SIGTERM and SIGKILL.
GRACEFUL_SHUTDOWN = timedelta(seconds=20)
assert FINISH_AFTER_SHUTDOWN < GRACEFUL_SHUTDOWN
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


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
        file_root=settings.schema_fetch_file_root,
    )
    slack = build_slack_client(
        settings.slack_bot_token.get_secret_value(),
        settings.slack_api_url,
        profile=WORKER,
        session=session,
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
    notices = RegistrationNoticeActivities(slack)
    registration = RegistrationActivities(registry, policy)
    policy_notices = PolicyNoticeActivities(slack)
    return [
        upload.upload_schema,
        *messages.all(),
        *notices.all(),
        *policy_notices.all(),
        registration.register_approved_schema,
        *AwaySeatActivities().all(),
    ]


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
        workflows=[SchemaApprovalWorkflow, PeopleAwayWorkflow],
        activities=build_activities(settings, session, registry),
        workflow_runner=workflow_runner(),
        max_cached_workflows=settings.worker_max_cached_workflows,
        max_concurrent_workflow_tasks=settings.worker_max_concurrent_workflow_tasks,
        max_concurrent_activities=settings.worker_max_concurrent_activities,
        max_concurrent_workflow_task_polls=settings.worker_workflow_task_pollers,
        max_concurrent_activity_task_polls=settings.worker_activity_task_pollers,
        graceful_shutdown_timeout=GRACEFUL_SHUTDOWN,
    )


async def run_worker(settings: Settings) -> None:
    """Run until SIGTERM or SIGINT, then stop gracefully (see the module's docstring); its
    metrics and probes on `METRICS_PORT` meanwhile."""
    settings.require("slack_bot_token")
    assert settings.slack_bot_token is not None
    # Refused credentials stop the start before anything connects; silence is a warning.
    registry = await check_registry_at_start(settings)
    metrics = TemporalMetrics.start(core_logging(settings.log_level))
    client = await connect_temporal(settings, metrics.runtime)
    await ensure_search_attributes(client, settings.temporal_address)
    worker = build_worker(client, settings)
    stopping = stop_on_signals(worker)
    # A client of its own for the probe's auth.test: the activities' keeps its session for them.
    slack = build_slack_client(
        settings.slack_bot_token.get_secret_value(), settings.slack_api_url, profile=WORKER
    )
    ops = ops_endpoints(client, settings.temporal_address, slack, metrics, registry)
    probes = await serve_ops(ops, "0.0.0.0", settings.metrics_port)
    log.info(
        "Worker polling task queue %s on %s (namespace %s); metrics and probes on port %d",
        settings.temporal_task_queue,
        settings.temporal_address,
        settings.temporal_namespace,
        settings.metrics_port,
    )
    try:
        await worker.run()
        if stopping:
            await stopping[0]
    finally:
        await probes.cleanup()
    log.info("Worker stopped")


def stop_on_signals(worker: Worker) -> list[asyncio.Task[None]]:
    """Shut `worker` down on the first SIGTERM or SIGINT; a repeated signal changes nothing
    (the shutdown already has its deadline). The list receives the shutdown's task."""
    loop = asyncio.get_running_loop()
    stopping: list[asyncio.Task[None]] = []

    def stop(signum: signal.Signals) -> None:
        if stopping:
            log.info("%s again: the worker is already stopping", signum.name)
            return
        log.info(
            "%s: stopping the worker; no new tasks are taken, running activities have %.0f s"
            " to finish before another worker takes them over",
            signum.name,
            FINISH_AFTER_SHUTDOWN.total_seconds(),
        )
        stopping.append(asyncio.create_task(worker.shutdown()))

    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop, signum)
    return stopping
