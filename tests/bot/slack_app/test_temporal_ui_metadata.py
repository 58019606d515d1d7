"""What an operator reads in the Temporal UI for a review started from Slack: its summary and
details, and the current details that follow the review as it moves."""

from __future__ import annotations

from temporalio.api.sdk.v1 import WorkflowMetadata

from tests.bot.slack_app.test_commands import new_schema_id, submit_by_command
from tests.fixtures.bot_stack import OWNER, BotStack
from tests.helpers import eventually
from workflow.models import workflow_id_for


async def test_a_review_started_in_slack_reads_as_in_slack_in_the_temporal_ui(
    bot_stack: BotStack,
) -> None:
    schema_id = new_schema_id()
    await submit_by_command(bot_stack, schema_id, 1, words="First cut of orders")
    handle = bot_stack.handle(workflow_id_for(schema_id))

    description = await handle.describe()

    assert await description.static_summary() == f"{schema_id} v1 · submitted by {OWNER}"
    details = await description.static_details()
    assert details is not None
    assert "Description: First cut of orders" in details
    assert "Review1: alice@example.com (Review1.a), bob@example.com (Review1.b)" in details

    async def waiting_for_the_first_round() -> None:
        metadata = await handle.query("__temporal_workflow_metadata", result_type=WorkflowMetadata)
        assert metadata.current_details.startswith(
            f"{schema_id} v1 · Review1.a, Review1.b · waiting for alice@example.com,"
            " bob@example.com"
        ), metadata.current_details

    await eventually(waiting_for_the_first_round)
