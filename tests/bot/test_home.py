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
from bot.blocks.reject_modal import REASON_BLOCK
from bot.review_lookup import ReviewSummary, list_reviews, pending_for_query
from slack_sandbox import modals
from slack_sandbox.payloads import TEAM, VERIFICATION_TOKEN
from slack_sandbox.records import View
from slack_sandbox.users import APP_ID, TEAM_ID
from tests.bot.test_status import PEOPLE, a_status
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
    alice, bob = f"<@{bot_stack.user_id(ALICE)}>", f"<@{bot_stack.user_id(ROSTER.reviewer_b)}>"
    assert f"*{schema_id}*: Awaiting review, waiting for {alice}, {bob}" in text
    assert not [v for _, _, v in buttons(home.definition) if v.workflow_id == workflow_id]


async def click_in_home(
    stack: BotStack, email: str, home: View, workflow_id: str, action_id: str
) -> None:
    """The person clicks a review's button in their Home tab, as Slack reports such a click:
    the container is the view, and there is no channel and no message."""
    block_id, button = next(
        (block["block_id"], element)
        for block in home.blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id
        and ReviewButtonValue.decode(element["value"]).workflow_id == workflow_id
    )
    user = stack.standin.user_by_email(email)
    payload = {
        "type": "block_actions",
        "user": user.as_payload_user(),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": {"type": "view", "view_id": home.id},
        "trigger_id": stack.standin.issue_trigger(user.id),
        "team": TEAM,
        "view": home.as_slack(),
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id,
                "text": button["text"],
                "value": button["value"],
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    assert await stack.post_to_bot(urlencode({"payload": json.dumps(payload)})) == 200


async def home_without(stack: BotStack, email: str, workflow_id: str, shown_hash: str) -> View:
    """The person's Home tab once the bot published it again without the review's buttons."""
    user_id = stack.user_id(email)

    async def republished() -> View:
        view = stack.standin.home_view_of(user_id)
        assert view is not None and view.hash != shown_hash, "Home tab not published again"
        assert not [v for _, _, v in buttons(view.definition) if v.workflow_id == workflow_id]
        return view

    return await eventually(republished)


async def home_of_reviewer(stack: BotStack, email: str) -> tuple[str, View]:
    """A new review, and the reviewer's Home tab showing it with buttons."""
    workflow_id = await stack.submit()
    await stack.review_message(email)
    await pending_indexed(stack, email, workflow_id)
    return workflow_id, await open_home(stack, email)


async def test_approve_clicked_in_home_records_it_and_the_review_leaves_the_tab(
    bot_stack: BotStack,
) -> None:
    workflow_id, home = await home_of_reviewer(bot_stack, ALICE)
    # The stand-in publishes into the same View object: keep what the person saw.
    shown_hash = home.hash

    await click_in_home(bot_stack, ALICE, home, workflow_id, ACTION_APPROVE)

    async def decided() -> None:
        decisions = (await bot_stack.status(workflow_id)).decisions
        assert [(d.stage, d.reviewer, d.approved) for d in decisions] == [(REVIEW_1A, ALICE, True)]

    await eventually(decided)
    after = await home_without(bot_stack, ALICE, workflow_id, shown_hash)
    assert "Nothing waits for your decision." in json.dumps(after.blocks)
    # Her review request in the DM is closed too: no live buttons anywhere.
    message = bot_stack.standin.messages_in(bot_stack.user_id(ALICE))[0]

    async def dm_closed() -> None:
        assert not _buttons_on(bot_stack, message.channel, message.ts)

    await eventually(dm_closed)


def _buttons_on(stack: BotStack, channel: str, ts: str) -> list[dict[str, Any]]:
    current = stack.standin.state.find_message(channel, ts)
    assert current is not None
    return [e for b in current.blocks if b.get("type") == "actions" for e in b["elements"]]


async def test_stale_home_click_is_refused_in_a_direct_message(bot_stack: BotStack) -> None:
    workflow_id, home = await home_of_reviewer(bot_stack, ALICE)
    # The stand-in publishes into the same View object: keep what the person saw.
    shown_hash = home.hash
    # She approves from the DM; the Home tab she still has open shows the old buttons.
    message = await bot_stack.review_message(ALICE)
    assert (await bot_stack.click(ALICE, message, ACTION_APPROVE)).status == 200

    async def decided() -> None:
        assert len((await bot_stack.status(workflow_id)).decisions) == 1

    await eventually(decided)

    await click_in_home(bot_stack, ALICE, home, workflow_id, ACTION_APPROVE)

    alice_dm = bot_stack.user_id(ALICE)

    async def told() -> str:
        texts = [m.text for m in bot_stack.standin.messages_in(alice_dm)]
        refusals = [t for t in texts if "already" in t]
        assert refusals, f"No refusal in Alice's DM: {texts}"
        return refusals[-1]

    refusal = await eventually(told)
    assert "Review1.a" in refusal
    await home_without(bot_stack, ALICE, workflow_id, shown_hash)
    assert len((await bot_stack.status(workflow_id)).decisions) == 1


async def test_reject_clicked_in_home_asks_why_then_records_it(bot_stack: BotStack) -> None:
    workflow_id, home = await home_of_reviewer(bot_stack, ALICE)
    # The stand-in publishes into the same View object: keep what the person saw.
    shown_hash = home.hash
    alice = bot_stack.user_id(ALICE)

    await click_in_home(bot_stack, ALICE, home, workflow_id, ACTION_REJECT)

    async def opened() -> str:
        modals = bot_stack.standin.open_modals_of(alice)
        assert modals, "No reject modal opened"
        return modals[-1].id

    view_id = await eventually(opened)
    result = await bot_stack.standin.submit_view(
        alice, view_id, {REASON_BLOCK: "sku needs a pattern"}
    )
    assert result.status == 200

    async def rejected() -> None:
        status = await bot_stack.status(workflow_id)
        assert status.state == "awaiting_revision"
        assert [(d.stage, d.approved, d.reason) for d in status.decisions] == [
            (REVIEW_1A, False, "sku needs a pattern")
        ]

    await eventually(rejected)
    await home_without(bot_stack, ALICE, workflow_id, shown_hash)
