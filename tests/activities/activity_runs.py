"""Running a Slack activity as Temporal schedules it, and reading what reached the stand-in."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from temporalio.testing import ActivityEnvironment

from activities.review_messages import ReviewMessageActivities
from schemas.store import SchemaStore
from slack_api.client import WORKER, build_slack_client
from slack_sandbox.records import Message
from tests.fixtures.slack_standin import SlackStandInForTests

# How the stand-in's people show in a message the activities posted.
ALICE, OWNER, CAROL = "<@U0ALICE001>", "<@U0OWNER001>", "<@U0CAROL001>"


def scheduled_activity() -> ActivityEnvironment:
    """The environment of one activity the workflow scheduled (its retries share the id)."""
    env = ActivityEnvironment()
    now = datetime.now(UTC)
    env.info = replace(
        env.info,
        activity_id=str(uuid.uuid4()),
        workflow_id="schema-approval-inventory-service",
        workflow_run_id=str(uuid.uuid4()),
        # Scheduled and started just now, as Temporal would tell the activity.
        scheduled_time=now,
        current_attempt_scheduled_time=now,
        started_time=now,
    )
    return env


def dm_of(standin: SlackStandInForTests, email: str) -> list[Message]:
    return standin.messages_in(standin.user_by_email(email).id)


def buttons(message: Message) -> list[dict[str, Any]]:
    return [
        element
        for block in message.blocks
        if block.get("type") == "actions"
        for element in block.get("elements", [])
        if element.get("type") == "button"
    ]


def another_worker(standin: SlackStandInForTests, store: SchemaStore) -> ReviewMessageActivities:
    """Activities that have looked nobody up yet, as on a worker that just started."""
    return ReviewMessageActivities(
        build_slack_client(standin.bot_token, standin.api_url, profile=WORKER), store
    )
