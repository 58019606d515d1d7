"""`/schema-status`: the status blocks, and the command run against the real workflow."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from temporalio.client import WorkflowExecutionStatus

from bot.reviews.approved_versions import ApprovedVersion
from bot.reviews.lookup import list_reviews, open_reviews_query
from bot.slack_app.services.command_parsing import STATUS_USAGE
from slack_presentation.review_actions import ACTION_APPROVE
from slack_presentation.status_blocks import (
    RECENT_HISTORY,
    status_blocks,
    status_people,
    status_text,
)
from slack_sandbox.block_kit import blocks_problems
from tests.bot.slack_app.command_runs import run_command
from tests.bot.slack_app.test_buttons import approve_every_stage
from tests.fixtures.bot_stack import OWNER, ROSTER, BotStack
from tests.helpers import eventually
from workflow.models import (
    REVIEW_1A,
    REVIEW_1B,
    WORKFLOW_TYPE,
    HistoryEntry,
    PendingReview,
    RecordedDecision,
    ReviewStatus,
    workflow_id_for,
)

ALICE, BOB, CAROL = ROSTER.reviewer_a, ROSTER.reviewer_b, ROSTER.senior_reviewer
# What the bot would have looked up in Slack; carol has no Slack user here.
PEOPLE = {ALICE: "U0ALICE001", BOB: "U0BOB00001", OWNER: "U0OWNER001"}
UI_URL = "http://temporal.example:8233/namespaces/default/workflows/schema-approval-inventory"


def a_status(**changes: Any) -> ReviewStatus:
    fields: dict[str, Any] = {
        "schema_id": "inventory",
        "version": 2,
        "state": "awaiting_review",
        "round": 2,
        "active_round": "Review1",
        "active_stages": [REVIEW_1A, REVIEW_1B],
        "pending_reviewers": [PendingReview(REVIEW_1B, BOB)],
        "decisions": [
            RecordedDecision(REVIEW_1A, ALICE, 2, True, False, "", "2025-03-01T10:00:00+00:00")
        ],
        "digest": "sha256:" + "ab" * 32,
        "history": [HistoryEntry("2025-03-01T09:00:00+00:00", "Review started")],
        "submitted_by": OWNER,
        "description": "Adds <currency> & tax",
        "content_uri": "https://example.com/schemas/inventory-v2.json",
        "reviewers": ROSTER,
    }
    return ReviewStatus(**(fields | changes))


def rendered(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_status_blocks_show_state_stage_pending_decisions_and_link() -> None:
    status = a_status()
    everyone = PEOPLE | {CAROL: "U0CAROL001", ROSTER.compliance_reviewer: "U0DAVE0001"}
    blocks = status_blocks(status, UI_URL, everyone)

    assert blocks_problems(blocks) == []
    assert blocks[0]["text"]["text"] == "inventory · version 2"
    text = rendered(blocks)
    assert "Awaiting review" in text
    assert "Review1 (Review1.a, Review1.b)" in text
    assert "*Owner*\\n<@U0OWNER001>" in text
    assert "submitted by*" not in text
    assert "Review1.b: <@U0BOB00001>" in text
    assert ":white_check_mark: *Approved* by <@U0ALICE001> · Review1.a" in text
    assert "@example.com" not in text
    assert (
        "*Reviewers*\\nReview1.a: <@U0ALICE001> · Review1.b: <@U0BOB00001>"
        " · Review2: <@U0CAROL001> · Review3: <@U0DAVE0001>"
    ) in text
    # Only the submitter or an admin is offered the button, and only when asked for.
    assert "Reassign a reviewer" not in text
    assert status_text(status, PEOPLE) == (
        "inventory version 2: awaiting review, waiting for <@U0BOB00001>"
    )
    assert status_text(status, {}).endswith("waiting for bob@example.com")
    # The digest as every message shows it: 12 characters.
    assert "`abababababab`" in text and "ab" * 13 not in text
    assert f"<{UI_URL}|Open the workflow in Temporal>" in text
    # Typed text cannot become a Slack link or mention.
    assert "Adds &lt;currency&gt; &amp; tax" in text


def test_status_blocks_show_the_revision_reason_and_only_recent_history() -> None:
    history = [HistoryEntry(f"2025-03-01T09:{i:02d}:00+00:00", f"event {i}") for i in range(20)]
    status = a_status(
        state="awaiting_revision",
        active_round=None,
        active_stages=[],
        pending_reviewers=[],
        revision_reason="bob@example.com rejected version 2 at Review1.b: sku must be required.",
        history=[*history[:-1], HistoryEntry(history[-1].at, "event 19 by carol@example.com")],
    )

    text = rendered(status_blocks(status, UI_URL, PEOPLE))

    assert "Awaiting a new version" in text
    assert "<@U0BOB00001> rejected version 2 at Review1.b: sku must be required." in text
    assert "event 19 by carol@example.com" in text  # carol: no Slack user, so her email
    assert status_people(status)[:3] == [OWNER, ALICE, BOB]
    assert CAROL in status_people(status)
    assert "event 19" in text and f"event {20 - RECENT_HISTORY}" in text
    assert f'event {19 - RECENT_HISTORY}"' not in text and "event 3 " not in text
    assert "Waiting for" not in text


def test_a_version_an_admin_submitted_names_the_owner_and_the_admin() -> None:
    status = a_status(submitted_by="erin@example.com", owner=OWNER)

    text = rendered(status_blocks(status, UI_URL, PEOPLE | {"erin@example.com": "U0ERIN0001"}))

    assert "*Owner*\\n<@U0OWNER001>" in text
    assert "*Version 2 submitted by*\\n<@U0ERIN0001>" in text


def test_history_lines_show_digests_as_every_message_does() -> None:
    digest = "sha256:" + "0123456789ab" + "cd" * 26
    status = a_status(history=[HistoryEntry("2025-03-01T09:00:00+00:00", f"Uploaded: {digest}.")])

    text = rendered(status_blocks(status, UI_URL, PEOPLE))

    assert "Uploaded: 0123456789ab." in text
    assert "cdcd" not in text


def test_a_rejection_reason_is_shown_once() -> None:
    reason = "sku must be required"
    status = a_status(
        state="awaiting_revision",
        active_round=None,
        active_stages=[],
        pending_reviewers=[],
        decisions=[
            RecordedDecision("Review1.b", BOB, 2, False, False, reason, "2025-03-01T09:00:00+00:00")
        ],
        revision_reason=f"{BOB} rejected version 2 at Review1.b: {reason}.",
        history=[
            HistoryEntry(
                "2025-03-01T09:00:00+00:00", f"Review1.b of version 2 rejected by {BOB}: {reason}."
            ),
            HistoryEntry(
                "2025-03-01T09:00:00+00:00",
                f"{BOB} rejected version 2 at Review1.b: {reason}. Waiting for a revised version"
                " (higher than 2).",
            ),
        ],
    )

    text = rendered(status_blocks(status, UI_URL, PEOPLE))

    assert text.count(reason) == 1
    assert "*Revision requested*" in text


def test_the_approved_versions_are_listed_with_digest_date_and_approvers() -> None:
    approvals = [
        ApprovedVersion(3, "sha256:" + "cd" * 32, "2025-03-02T10:00:00+00:00", [ALICE, BOB]),
    ]

    text = rendered(status_blocks(a_status(), UI_URL, PEOPLE, approvals=approvals))

    assert "*Approved versions*\\n• v3 · `cdcdcdcdcdcd` · approved <!date^" in text
    assert "by <@U0ALICE001>, <@U0BOB00001>" in text


async def test_status_command_shows_stage_and_pending_reviewers(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    schema_id = workflow_id.removeprefix(workflow_id_for(""))
    message = await bot_stack.review_message(ALICE)
    assert (await bot_stack.click(ALICE, message, ACTION_APPROVE)).status == 200

    async def alice_decided() -> None:
        assert (await bot_stack.status(workflow_id)).decisions

    await eventually(alice_decided)

    reply = await run_command(bot_stack, OWNER, "/schema-status", schema_id)

    texts = [block.get("text", {}).get("text", "") for block in reply.blocks]
    text = rendered(reply.blocks)
    alice, bob = f"<@{bot_stack.user_id(ALICE)}>", f"<@{bot_stack.user_id(BOB)}>"
    assert "*State*\\nAwaiting review" in text
    assert "*Stage*\\nReview1 (Review1.a, Review1.b)" in text
    assert f"*Owner*\\n<@{bot_stack.user_id(OWNER)}>" in text
    assert f"*Waiting for*\n• Review1.b: {bob}" in texts
    assert f":white_check_mark: *Approved* by {alice} · Review1.a" in text
    # The decision is listed once: the history leaves out its own line for it.
    assert f"approved by {alice}" not in text
    assert f"/workflows/{workflow_id}" in text
    assert reply.text.endswith(f"waiting for {bob}")


async def test_status_of_an_approved_review_says_approved(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    schema_id = workflow_id.removeprefix(workflow_id_for(""))
    await approve_every_stage(bot_stack, workflow_id)

    reply = await run_command(bot_stack, OWNER, "/schema-status", schema_id)

    assert "*State*\\nApproved" in rendered(reply.blocks)


@pytest.mark.parametrize(
    ("text", "told"),
    [
        (
            "no-such-schema",
            "No review found for schema 'no-such-schema'. Check the id, or start one with"
            " `/submit-schema no-such-schema 1",
        ),
        ("inventory orders", "No status:\n• /schema-status takes one schema id, but got 2 words"),
        ("Inventory!", "No status:\n• 'Inventory!' is not a valid schema id"),
    ],
)
async def test_status_of_an_unknown_or_malformed_schema_says_why_with_the_usage(
    bot_stack: BotStack, text: str, told: str
) -> None:
    reply = await run_command(bot_stack, OWNER, "/schema-status", text)

    assert reply.text.startswith(told)
    assert STATUS_USAGE in reply.text


async def test_status_without_text_lists_open_reviews_and_yours(bot_stack: BotStack) -> None:
    schema_id = f"listed-{uuid.uuid4().hex[:10]}"
    await bot_stack.submit(schema_id)
    await bot_stack.review_message(ALICE)

    async def indexed() -> None:
        # Temporal's visibility store catches up with the workflow a moment later.
        listed = await list_reviews(
            bot_stack.temporal, open_reviews_query(bot_stack.settings.temporal_task_queue)
        )
        mine = [r for r in listed if r.schema_id == schema_id]
        assert mine and ALICE in mine[0].pending_reviewers

    await eventually(indexed)

    reply = await run_command(bot_stack, ALICE, "/schema-status", "")

    text = rendered(reply.blocks)
    waiting, everything = text.split("Open reviews")
    assert "Waiting for your review" in waiting and f"*{schema_id}*" in waiting
    assert f"*{schema_id}*: Awaiting review" in everything
    assert f"(owner <@{bot_stack.user_id(OWNER)}>)" in everything


async def test_status_of_a_review_that_failed_at_start_says_why(bot_stack: BotStack) -> None:
    schema_id = f"broken-{uuid.uuid4().hex[:8]}"
    # Started with the `temporal` CLI and a JSON input that forgot the reviewers.
    handle = await bot_stack.temporal.start_workflow(
        WORKFLOW_TYPE,
        {"submission": {"schema_id": schema_id, "version": 1, "content_uri": "https://x.y/z"}},
        id=workflow_id_for(schema_id),
        task_queue=bot_stack.settings.temporal_task_queue,
    )

    async def failed() -> None:
        assert (await handle.describe()).status == WorkflowExecutionStatus.FAILED

    await eventually(failed)
    reply = await run_command(bot_stack, OWNER, "/schema-status", schema_id)

    assert reply.text.startswith(f"The last review of '{schema_id}' failed without an approval: ")
    assert "reviewers" in reply.text
    assert reply.text.endswith("Start a new one with `/submit-schema`.")
