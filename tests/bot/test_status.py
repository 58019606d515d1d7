"""`/schema-status`: the status blocks, and the command run against the real workflow."""

from __future__ import annotations

import json
import uuid
from typing import Any

from activities.review_actions import ACTION_APPROVE
from bot.blocks.status import RECENT_HISTORY, review_list_blocks, status_blocks
from bot.command_parsing import STATUS_USAGE
from bot.review_lookup import ReviewSummary, list_reviews, open_reviews_query
from slack_sandbox.block_kit import blocks_problems
from tests.bot.command_runs import run_command
from tests.fixtures.bot_stack import OWNER, ROSTER, BotStack
from tests.helpers import eventually
from workflow.models import (
    REVIEW_1A,
    REVIEW_1B,
    HistoryEntry,
    PendingReview,
    RecordedDecision,
    ReviewStatus,
    workflow_id_for,
)

ALICE, BOB, CAROL = ROSTER.reviewer_a, ROSTER.reviewer_b, ROSTER.senior_reviewer
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
    return json.dumps(blocks)


def test_status_blocks_show_state_stage_pending_decisions_and_link() -> None:
    blocks = status_blocks(a_status(), UI_URL)

    assert blocks_problems(blocks) == []
    assert blocks[0]["text"]["text"] == "inventory · version 2"
    text = rendered(blocks)
    assert "Awaiting review" in text
    assert "Review1 (Review1.a, Review1.b)" in text
    assert f"Review1.b: {BOB}" in text
    assert f"Review1.a: {ALICE} :white_check_mark: approved" in text
    assert "sha256:abab" in text
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
        history=history,
    )

    text = rendered(status_blocks(status, UI_URL))

    assert "Awaiting a new version" in text
    assert "Revision requested" in text and "sku must be required" in text
    assert "event 19" in text and f"event {20 - RECENT_HISTORY}" in text
    assert f'event {19 - RECENT_HISTORY}"' not in text and "event 3 " not in text
    assert "Waiting for" not in text


def test_review_list_puts_what_waits_for_you_first() -> None:
    open_reviews = [
        ReviewSummary("inventory", "w1", "awaiting_review", OWNER, [ALICE], True),
        ReviewSummary("orders", "w2", "awaiting_revision", OWNER, [], True),
    ]

    blocks = review_list_blocks(open_reviews, open_reviews[:1])

    assert blocks_problems(blocks) == []
    text = rendered(blocks)
    assert text.index("Waiting for your review") < text.index("Open reviews (2)")
    assert "*orders*: Awaiting a new version" in text
    assert rendered(review_list_blocks([], [])).count("No schema reviews are open") == 1


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
    assert "*State*\\nAwaiting review" in text
    assert "*Stage*\\nReview1 (Review1.a, Review1.b)" in text
    assert f"*Waiting for*\n• Review1.b: {BOB}" in texts
    assert f"Review1.a: {ALICE} :white_check_mark: approved" in text
    assert f"/workflows/{workflow_id}" in text


async def test_status_of_an_approved_review_says_approved(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    schema_id = workflow_id.removeprefix(workflow_id_for(""))
    for email in (ALICE, BOB, CAROL):
        message = await bot_stack.review_message(email)
        assert (await bot_stack.click(email, message, ACTION_APPROVE)).status == 200
    await bot_stack.handle(workflow_id).result()

    reply = await run_command(bot_stack, OWNER, "/schema-status", schema_id)

    assert "*State*\\nApproved" in rendered(reply.blocks)


async def test_status_of_an_unknown_schema_says_so(bot_stack: BotStack) -> None:
    reply = await run_command(bot_stack, OWNER, "/schema-status", "no-such-schema")

    assert reply.text.startswith("No review found for schema 'no-such-schema'.")
    assert "/submit-schema no-such-schema 1" in reply.text
    assert STATUS_USAGE in reply.text


async def test_status_with_too_many_words_gets_the_reason_and_usage(
    bot_stack: BotStack,
) -> None:
    reply = await run_command(bot_stack, OWNER, "/schema-status", "inventory orders")

    assert reply.text.startswith("No status:")
    assert "/schema-status takes one schema id, but got 2 words" in reply.text
    assert STATUS_USAGE in reply.text


async def test_status_with_a_malformed_id_gets_the_reason_and_usage(
    bot_stack: BotStack,
) -> None:
    reply = await run_command(bot_stack, OWNER, "/schema-status", "Inventory!")

    assert "'Inventory!' is not a valid schema id" in reply.text
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
