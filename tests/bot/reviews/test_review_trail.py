"""The trail of a review that continued as new: every run read, each decision once, each with
its own version's digest and request, and the review counted once in the stats."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from bot.reviews.audit_rows import audit_rows
from bot.reviews.review_stats import review_stats
from bot.reviews.review_trail import read_trails
from slack_presentation.reject_modal import REASON_BLOCK
from tests.bot.reviews.trail_runs import ALICE, BOB, CAROL, REJECTION, digest_of
from tests.bot.slack_app.test_buttons import approve, open_reject_modal
from tests.fixtures.bot_stack import OWNER, ROSTER, BotStack, inventory_version
from tests.helpers import eventually
from workflow.models import WORKFLOW_TYPE, ReviewInput, Submission, workflow_id_for
from workflow.policy_contract import ReviewOverride
from workflow.schema_approval import SchemaApprovalWorkflow

ADMIN = "admin@example.com"


async def test_a_review_that_continued_as_new_is_one_trail(bot_stack: BotStack) -> None:
    began = datetime.now(UTC) - timedelta(seconds=1)
    schema = f"inventory-{uuid.uuid4().hex[:10]}"
    url = bot_stack.put_schema(f"{schema}-v1.json", inventory_version(1))
    workflow_id = workflow_id_for(schema)
    queue = bot_stack.settings.temporal_task_queue
    review = ReviewInput(
        Submission(schema, 1, "Initial schema", url, OWNER), ROSTER, continue_as_new_after_rounds=1
    )
    await bot_stack.temporal.start_workflow(WORKFLOW_TYPE, review, id=workflow_id, task_queue=queue)
    await approve(bot_stack, ALICE)
    view_id = await open_reject_modal(bot_stack, BOB)
    await bot_stack.standin.submit_view(bot_stack.user_id(BOB), view_id, {REASON_BLOCK: REJECTION})

    async def continued() -> None:
        runs = [r async for r in bot_stack.temporal.list_workflows(f"WorkflowId = '{workflow_id}'")]
        assert len(runs) == 2 and (await bot_stack.status(workflow_id)).decisions

    await eventually(continued)
    await bot_stack.submit_version(workflow_id, 2)
    for email in (ALICE, BOB, CAROL):
        await approve(bot_stack, email, version=2)
    await bot_stack.result(workflow_id)

    trails = await read_trails(bot_stack.temporal, queue, began)
    rows = audit_rows(trails, began)

    v1, v2 = digest_of(bot_stack, schema, 1), digest_of(bot_stack, schema, 2)
    assert [(r.version, r.digest, r.stage, r.reviewer, r.decision) for r in rows] == [
        (1, v1, "Review1.a", ALICE, "approved"),
        (1, v1, "Review1.b", BOB, "rejected"),
        (2, v2, "Review1.a", ALICE, "approved"),
        (2, v2, "Review1.b", BOB, "approved"),
        (2, v2, "Review2", CAROL, "approved"),
    ]
    assert all(r.seconds_from_request is not None and r.seconds_from_request >= 0 for r in rows)
    assert {r.submitted_by for r in rows} == {OWNER}
    stats = review_stats(trails, began, datetime.now(UTC) + timedelta(seconds=1))
    assert (stats.opened, stats.approved, stats.rounds_rejected) == (1, 1, 1)
    assert stats.to_approval.count == 1


async def test_an_override_is_a_row_of_its_own_with_who_and_why(bot_stack: BotStack) -> None:
    began = datetime.now(UTC) - timedelta(seconds=1)
    schema = f"inventory-{uuid.uuid4().hex[:10]}"
    url = bot_stack.put_schema(f"{schema}-v1.json", inventory_version(1))
    workflow_id = workflow_id_for(schema)
    queue = bot_stack.settings.temporal_task_queue
    review = ReviewInput(Submission(schema, 1, "Initial schema", url, OWNER), ROSTER)
    await bot_stack.temporal.start_workflow(WORKFLOW_TYPE, review, id=workflow_id, task_queue=queue)
    await approve(bot_stack, ALICE)
    handle = bot_stack.temporal.get_workflow_handle(workflow_id)
    override = ReviewOverride(requested_by=ADMIN, reason="Incident 42: consumers are down")
    await handle.execute_update(SchemaApprovalWorkflow.override_review, override)
    await bot_stack.result(workflow_id)

    rows = audit_rows(await read_trails(bot_stack.temporal, queue, began), began)

    assert [(r.kind, r.stage, r.reviewer, r.requested_by, r.reason) for r in rows] == [
        ("decision", "Review1.a", ALICE, "", ""),
        ("override", "", "", ADMIN, "Incident 42: consumers are down"),
    ]
    assert rows[1].version == 1 and rows[1].digest == digest_of(bot_stack, schema, 1)
