"""What the submitter is told: the workflow's own answer to the `submit_schema_version` update,
"being submitted" and then that answer when Temporal is slow, and a sentence (never silence)
for a version sent while a review finishes its approval."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from bot.reviews import submit as submission_send
from bot.reviews.submission_plan import SubmissionRefused, review_input
from bot.slack_app.deps import BotDeps
from bot.slack_app.services.submit_replies import BEING_SUBMITTED, submit_and_tell
from slack_api.people import SlackPeople
from tests.fixtures.bot_stack import INVENTORY_V1, ROSTER, stack_settings
from tests.fixtures.slack_standin import SlackStandInForTests
from tests.helpers import eventually, new_worker
from tests.workflow.review_harness import StandInActivities, decide, until_called
from workflow.models import (
    ReminderPolicy,
    ReviewInput,
    ReviewResult,
    Submission,
    workflow_id_for,
)
from workflow.schema_approval import SchemaApprovalWorkflow

OWNER = "owner@example.com"


class Told:
    """What the submitter was told, in order."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    async def __call__(self, text: str) -> None:
        self.lines.append(text)


def submitted(deps: BotDeps, schema_id: str, version: int) -> ReviewInput:
    # A real document per version: the bot fetches and checks it before submitting.
    document = deps.settings.schema_store_dir.parent / f"{schema_id}-v{version}.json"
    document.write_text(json.dumps({**INVENTORY_V1, "title": f"Version {version}"}))
    url = document.as_uri()
    submission = Submission(schema_id, version, f"Version {version}", url, OWNER)
    return review_input(submission, ROSTER, deps.settings)


@pytest.fixture
def deps(slack_standin: SlackStandInForTests, temporal_client: Client, tmp_path: Path) -> BotDeps:
    settings = stack_settings(slack_standin, f"answers-{uuid.uuid4()}", tmp_path)
    return BotDeps(settings=settings, temporal=temporal_client, people=SlackPeople())


async def test_a_slow_temporal_is_said_and_then_the_real_outcome(
    deps: BotDeps,
    slack_client: AsyncWebClient,
    temporal_client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No worker yet: the review is started but its first task waits, so the update has no
    answer in time. The submitter hears "being submitted", then, once a worker runs, that the
    review started: never "not submitted" for a submission that went through."""
    monkeypatch.setattr(submission_send, "SUBMIT_TIMEOUT", submission_send.timedelta(seconds=1))
    schema_id = f"slow-{uuid.uuid4().hex[:8]}"
    review = submitted(deps, schema_id, 1)
    told = Told()
    submitting = asyncio.ensure_future(
        submit_and_tell(deps, slack_client, review, told, update_id=f"submission-{schema_id}")
    )

    async def said_being_submitted() -> None:
        assert told.lines == [BEING_SUBMITTED.format(version=1, schema=schema_id)]

    try:
        await eventually(said_being_submitted, within=15)
        stand_in = StandInActivities()
        async with new_worker(
            temporal_client,
            SchemaApprovalWorkflow,
            activities=stand_in.activities(),
            task_queue=deps.settings.temporal_task_queue,
        ):
            async with asyncio.timeout(30):
                await submitting
            handle = temporal_client.get_workflow_handle(workflow_id_for(schema_id))
            await handle.terminate("test finished")
    finally:
        submitting.cancel()

    assert len(told.lines) == 2
    assert told.lines[1].startswith(f":rocket: Review started for *{schema_id}* version 1.")


async def test_a_version_sent_while_the_approval_finishes_gets_a_sentence(
    deps: BotDeps, slack_client: AsyncWebClient, temporal_client: Client
) -> None:
    stand_in = StandInActivities(finalize_gate=asyncio.Event())
    schema_id = f"finishing-{uuid.uuid4().hex[:8]}"
    told = Told()
    async with new_worker(
        temporal_client,
        SchemaApprovalWorkflow,
        activities=stand_in.activities(),
        task_queue=deps.settings.temporal_task_queue,
    ):
        await submit_and_tell(
            deps, slack_client, submitted(deps, schema_id, 1), told, update_id="first"
        )
        handle = temporal_client.get_workflow_handle(
            workflow_id_for(schema_id), result_type=ReviewResult
        )
        for stages in (("Review1.a", "Review1.b"), ("Review2",)):
            await until_called(stand_in, *[f"dispatch_review_request {s} v1" for s in stages])
            for stage in stages:
                await decide(handle, stage)
        await until_called(stand_in, "finalize_review v1")

        await submit_and_tell(
            deps, slack_client, submitted(deps, schema_id, 2), told, update_id="while-finishing"
        )
        stand_in.finalize_gate.set()  # type: ignore[union-attr]
        result = await handle.result()
        # Once the review has finished, the same version starts the next review.
        await submit_and_tell(
            deps, slack_client, submitted(deps, schema_id, 2), told, update_id="after"
        )
        await until_called(stand_in, "upload_schema v2")
        await handle.terminate("test finished")

    assert told.lines[1] == (
        f"Not submitted: Version 2 of {schema_id} was not taken: version 1 was just approved"
        " and its review is finishing. Submit it again in a moment: it will then start a new"
        " review."
    )
    assert result.approved_version == 1
    assert told.lines[2].startswith(
        f"Version 1 of *{schema_id}* was approved already; a new version starts a new review."
    )


async def test_a_submission_no_review_can_start_with_is_refused_before_any_run(
    deps: BotDeps, temporal_client: Client
) -> None:
    schema_id = f"unstartable-{uuid.uuid4().hex[:8]}"
    review = submitted(deps, schema_id, 1)
    # Reminders the review would refuse (a setting read before the bound existed, say).
    review = replace(review, reminders=ReminderPolicy(3600, 3600, 99))

    with pytest.raises(SubmissionRefused) as refused:
        await submission_send.submit(temporal_client, deps.settings, review)

    assert str(refused.value) == (
        "The review cannot start: reminders.max_reminders must be a whole number from 0 to 20,"
        " not 99. Fix the input and start the review again."
    )
    # Nothing was started only to fail with the same reason.
    with pytest.raises(RPCError) as missing:
        await temporal_client.get_workflow_handle(workflow_id_for(schema_id)).describe()
    assert missing.value.status == RPCStatusCode.NOT_FOUND
