"""App Home: what waits for a reviewer (with working buttons) and what a submitter submitted."""

from __future__ import annotations

import json

from bot.reviews.lookup import ReviewSummary
from slack_presentation.home_blocks import PendingStage, home_view
from slack_presentation.review_actions import (
    ACTION_APPROVE,
    ACTION_ESCALATE,
    ACTION_REJECT,
    ReviewButtonValue,
)
from slack_sandbox import modals
from tests.bot.slack_app.home_runs import buttons, open_home, pending_indexed
from tests.bot.slack_app.test_status import PEOPLE, a_status
from tests.fixtures.bot_stack import OWNER, ROSTER, BotStack
from workflow.models import REVIEW_1A, REVIEW_3, workflow_id_for

ALICE = ROSTER.reviewer_a


def test_home_shows_each_pending_stage_with_the_review_buttons() -> None:
    pending = [
        PendingStage("schema-approval-inventory", REVIEW_1A, a_status(version=2)),
        PendingStage("schema-approval-orders", REVIEW_3, a_status(schema_id="orders", version=5)),
    ]
    submissions = [ReviewSummary("billing", "w", "awaiting_revision", OWNER, [], True)]

    view = modals.parse_view(home_view(pending, submissions, PEOPLE), expected_type="home")

    found = buttons(view)
    assert [(action, value) for _, action, value in found] == [
        (ACTION_APPROVE, ReviewButtonValue("schema-approval-inventory", REVIEW_1A, 2)),
        (ACTION_REJECT, ReviewButtonValue("schema-approval-inventory", REVIEW_1A, 2)),
        (ACTION_ESCALATE, ReviewButtonValue("schema-approval-inventory", REVIEW_1A, 2)),
        # Review3 is the compliance review itself: nothing to escalate to.
        (ACTION_APPROVE, ReviewButtonValue("schema-approval-orders", REVIEW_3, 5)),
        (ACTION_REJECT, ReviewButtonValue("schema-approval-orders", REVIEW_3, 5)),
    ]
    assert len({block_id for block_id, _, _ in found}) == 2
    text = json.dumps(view)
    assert "Waiting for your decision (2)" in text
    assert "*billing*: Awaiting a new version" in text
    assert "Submitted by <@U0OWNER001>" in text
    # Escalating asks for confirmation here too, as on the review message.
    escalate = next(
        e
        for b in view["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == ACTION_ESCALATE
    )
    assert escalate["confirm"]["title"]["text"] == "Request compliance review?"


def test_home_says_when_nothing_waits_and_nothing_was_submitted() -> None:
    text = json.dumps(home_view([], [], PEOPLE))

    assert "Nothing waits for your decision." in text
    assert "You have not submitted a schema for review." in text


async def test_home_shows_the_reviewer_their_pending_review_with_buttons(
    bot_stack: BotStack,
) -> None:
    workflow_id = await bot_stack.submit()
    await bot_stack.review_message(ALICE)
    await pending_indexed(bot_stack, ALICE, workflow_id)

    home = await open_home(bot_stack, ALICE)

    mine = [(a, v) for _, a, v in buttons(home.definition) if v.workflow_id == workflow_id]
    assert mine == [
        (ACTION_APPROVE, ReviewButtonValue(workflow_id, REVIEW_1A, 1)),
        (ACTION_REJECT, ReviewButtonValue(workflow_id, REVIEW_1A, 1)),
        (ACTION_ESCALATE, ReviewButtonValue(workflow_id, REVIEW_1A, 1)),
    ]


async def test_home_shows_the_submitter_their_submissions(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    schema_id = workflow_id.removeprefix(workflow_id_for(""))
    await bot_stack.review_message(ALICE)
    await pending_indexed(bot_stack, ALICE, workflow_id)

    home = await open_home(bot_stack, OWNER)

    text = json.dumps(home.blocks)
    alice, bob = f"<@{bot_stack.user_id(ALICE)}>", f"<@{bot_stack.user_id(ROSTER.reviewer_b)}>"
    assert f"*{schema_id}*: Awaiting review, waiting for {alice}, {bob}" in text
    assert not [v for _, _, v in buttons(home.definition) if v.workflow_id == workflow_id]
