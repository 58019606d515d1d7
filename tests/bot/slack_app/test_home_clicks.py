"""Review buttons clicked in App Home: recorded, refused when stale, and the tab kept current."""

from __future__ import annotations

import json
from typing import Any

from slack_presentation.reject_modal import REASON_BLOCK
from slack_presentation.review_actions import ACTION_APPROVE, ACTION_REJECT
from tests.bot.slack_app.home_runs import click_in_home, home_of_reviewer, home_without
from tests.fixtures.bot_stack import ROSTER, BotStack
from tests.helpers import eventually
from workflow.models import REVIEW_1A

ALICE = ROSTER.reviewer_a


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
