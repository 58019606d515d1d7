"""App Home: what waits for a reviewer (with working buttons) and what a submitter submitted."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from activities.review_actions import (
    ACTION_APPROVE,
    ACTION_ESCALATE,
    ACTION_REJECT,
    ReviewButtonValue,
)
from bot.blocks.home import PendingStage, home_view
from bot.review_lookup import ReviewSummary, list_reviews, pending_for_query
from slack_sandbox import modals
from slack_sandbox.payloads import TEAM, VERIFICATION_TOKEN
from slack_sandbox.records import View
from slack_sandbox.users import APP_ID, TEAM_ID
from tests.bot.test_status import a_status
from tests.fixtures.bot_stack import OWNER, ROSTER, BotStack
from tests.helpers import eventually
from workflow.models import REVIEW_1A, REVIEW_3, workflow_id_for

ALICE = ROSTER.reviewer_a


def buttons(view: dict[str, Any]) -> list[tuple[str, str, ReviewButtonValue]]:
    """(block_id, action_id, value) of every button on the view."""
    return [
        (block["block_id"], element["action_id"], ReviewButtonValue.decode(element["value"]))
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


def test_home_shows_each_pending_stage_with_the_review_buttons() -> None:
    pending = [
        PendingStage("schema-approval-inventory", REVIEW_1A, a_status(version=2)),
        PendingStage("schema-approval-orders", REVIEW_3, a_status(schema_id="orders", version=5)),
    ]
    submissions = [ReviewSummary("billing", "w", "awaiting_revision", OWNER, [], True)]

    view = modals.parse_view(home_view(pending, submissions), expected_type="home")

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


def test_home_says_when_nothing_waits_and_nothing_was_submitted() -> None:
    text = json.dumps(home_view([], []))

    assert "Nothing waits for your decision." in text
    assert "You have not submitted a schema for review." in text


async def open_home(stack: BotStack, email: str) -> View:
    """The person opens the bot's Home tab; the view the bot published for them."""
    user_id = stack.user_id(email)
    before = stack.standin.home_view_of(user_id)
    revision = before.hash if before else None
    body = json.dumps(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": TEAM_ID,
            "api_app_id": APP_ID,
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "event": {
                "type": "app_home_opened",
                "user": user_id,
                "channel": stack.standin.dm_channel_of(user_id),
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            },
        }
    )
    assert await stack.post_to_bot(body) == 200

    async def published() -> View:
        view = stack.standin.home_view_of(user_id)
        assert view is not None and view.hash != revision, f"No Home tab published for {email}"
        return view

    return await eventually(published)


async def pending_indexed(stack: BotStack, email: str, workflow_id: str) -> None:
    """Wait until Temporal's visibility store lists the review as pending for `email`."""

    async def listed() -> None:
        found = await list_reviews(
            stack.temporal, pending_for_query(stack.settings.temporal_task_queue, email)
        )
        assert workflow_id in [r.workflow_id for r in found]

    await eventually(listed)


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
    assert f"*{schema_id}*: Awaiting review, waiting for alice@example.com, bob@example.com" in text
    assert not [v for _, _, v in buttons(home.definition) if v.workflow_id == workflow_id]


async def test_approve_clicked_in_home_records_the_decision(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    await bot_stack.review_message(ALICE)
    await pending_indexed(bot_stack, ALICE, workflow_id)
    home = await open_home(bot_stack, ALICE)
    block_id, _, _ = next(b for b in buttons(home.definition) if b[2].workflow_id == workflow_id)
    block = next(b for b in home.blocks if b.get("block_id") == block_id)
    approve = next(e for e in block["elements"] if e["action_id"] == ACTION_APPROVE)
    alice = bot_stack.standin.user_by_email(ALICE)
    # What Slack sends for a click in a Home tab: the container is the view, not a message.
    payload = {
        "type": "block_actions",
        "user": alice.as_payload_user(),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": {"type": "view", "view_id": home.id},
        "trigger_id": bot_stack.standin.issue_trigger(alice.id),
        "team": TEAM,
        "view": home.as_slack(),
        "actions": [
            {
                "action_id": ACTION_APPROVE,
                "block_id": block_id,
                "text": approve["text"],
                "value": approve["value"],
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }

    assert await bot_stack.post_to_bot(urlencode({"payload": json.dumps(payload)})) == 200

    async def decided() -> None:
        decisions = (await bot_stack.status(workflow_id)).decisions
        assert [(d.stage, d.reviewer, d.approved) for d in decisions] == [(REVIEW_1A, ALICE, True)]

    await eventually(decided)
