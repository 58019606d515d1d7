"""The Temporal worker: runs the `schema_approval` workflow and its activities."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker

from activities.review_messages import ReviewMessageActivities
from activities.schema_fetch import FetchPolicy
from activities.schema_store import SchemaStore
from activities.slack_client import build_slack_client
from activities.upload import SchemaUploadActivities
from activities.upload_checks import CompatibilityPolicy
from bot.namespace_check import ensure_search_attributes
from bot.settings import Settings, connect_temporal
from workflow.schema_approval import SchemaApprovalWorkflow

log = logging.getLogger(__name__)


def build_activities(settings: Settings) -> list[Callable[..., Any]]:
    """The activities, wired to the schema store and the Slack Web API from settings."""
    settings.require("slack_bot_token")
    assert settings.slack_bot_token is not None
    store = SchemaStore(settings.schema_store_dir)
    policy = FetchPolicy(
        max_bytes=settings.schema_fetch_max_bytes,
        timeout_seconds=settings.schema_fetch_timeout_seconds,
        allow_private=settings.schema_fetch_allow_private,
    )
    slack = build_slack_client(settings.slack_bot_token.get_secret_value(), settings.slack_api_url)
    compatibility = CompatibilityPolicy(
        default_mode=settings.default_compatibility,
        breaking_change=settings.breaking_change_policy,
    )
    upload = SchemaUploadActivities(store, policy, compatibility)
    messages = ReviewMessageActivities(slack, store)
    return [upload.upload_schema, *messages.all()]


def build_worker(client: Client, settings: Settings) -> Worker:
    return Worker(
        client,
        task_queue=settings.temporal_task_queue,
        workflows=[SchemaApprovalWorkflow],
        activities=build_activities(settings),
    )


async def run_worker(settings: Settings, client: Client | None = None) -> None:
    """Run until cancelled (Ctrl-C), finishing in-flight activities on the way out."""
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
