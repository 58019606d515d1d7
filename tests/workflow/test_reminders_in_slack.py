"""Reminders as reviewers see them: the real Slack activities against the local Slack stand-in,
the workflow on the time-skipping server (the schema upload is the harness's stand-in)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from temporalio.testing import WorkflowEnvironment

from activities.review_messages import ReviewMessageActivities
from slack_api.client import WORKER, build_slack_client
from tests.fixtures.slack_standin import SlackStandInForTests
from tests.helpers import eventually, new_worker
from tests.workflow.review_harness import StandInActivities, decide, review_input, until_history
from workflow.models import ReminderPolicy
from workflow.schema_approval import SchemaApprovalWorkflow

BOB = "bob@example.com"
DAILY = ReminderPolicy(first_after_seconds=86400, then_every_seconds=86400, max_reminders=3)


async def test_a_waiting_reviewer_is_reminded_in_slack_and_a_failed_reminder_changes_nothing(
    time_skipping_env: WorkflowEnvironment, slack_standin: SlackStandInForTests
) -> None:
    client = time_skipping_env.client
    slack = ReviewMessageActivities(
        build_slack_client(slack_standin.bot_token, slack_standin.api_url, profile=WORKER),
        store=None,
    )
    upload = StandInActivities()

    def dm_of(email: str) -> list[str]:
        return [m.text for m in slack_standin.messages_in(slack_standin.user_by_email(email).id)]

    async with new_worker(
        client, SchemaApprovalWorkflow, activities=[upload.upload_schema, *slack.all()]
    ) as worker:
        handle = await client.start_workflow(
            SchemaApprovalWorkflow.run,
            review_input(reminders=DAILY),
            id=f"schema-approval-test-{uuid.uuid4()}",
            task_queue=worker.task_queue,
        )

        try:

            async def both_asked() -> None:
                assert len(dm_of("alice@example.com")) == len(dm_of("bob@example.com")) == 1

            await eventually(both_asked)
            await decide(handle, "Review1.a")
            await time_skipping_env.sleep(timedelta(hours=25))

            [request, nudge] = slack_standin.messages_in(
                slack_standin.user_by_email("bob@example.com").id
            )
            assert nudge.text == (
                "⏰ Reminder: *inventory-service* v1 has waited 24 hours for your review"
                " (Review1.b — first-round review)."
            )
            shown = json.dumps(nudge.blocks, ensure_ascii=False)
            assert f"/archives/{request.channel}/p{request.ts.replace('.', '')}|" in shown
            assert "actions" not in [block.get("type") for block in nudge.blocks]
            assert len(dm_of("alice@example.com")) == 1

            slack_standin.fail_next("chat.postMessage", error="token_revoked")
            await time_skipping_env.sleep(timedelta(hours=24))
            await until_history(
                handle,
                "Could not send reminder 2 of 3 to bob@example.com for Review1.b of version 1: The"
                " Slack bot token was revoked (token_revoked): reinstall the app and update"
                " SLACK_BOT_TOKEN.",
            )
            await decide(handle, "Review1.b")

            async def carol_asked() -> None:
                assert [t for t in dm_of("carol@example.com") if "Review2" in t]

            await eventually(carol_asked)
            assert len(dm_of("bob@example.com")) == 2

            # Bob decided: his reminder no longer asks him to, it says why it is settled.
            async def reminder_settled() -> None:
                nudge = slack_standin.messages_in(slack_standin.user_by_email(BOB).id)[1]
                assert nudge.text == (
                    "⏰ Reminder: *inventory-service* v1 waited 24 hours for your review"
                    " (Review1.b — first-round review); it no longer waits. Approved by"
                    f" <@{slack_standin.user_by_email(BOB).id}>."
                )
                shown = json.dumps(nudge.blocks, ensure_ascii=False)
                assert "Nothing is left for you to do here." in shown
                assert "Open the review request" not in shown

            await eventually(reminder_settled)
        finally:
            await handle.terminate("test finished")
