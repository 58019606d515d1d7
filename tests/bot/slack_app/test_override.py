"""Break glass and review policies as Slack shows them, through signed requests from the Slack
stand-in to the real bot, worker and Temporal: `/schema-status` showing each round (approvals,
who is still asked, the deadline), an admin's "Approve now (override)", and a non-admin
refused."""

from __future__ import annotations

import json

from slack_presentation.override_modal import (
    ACTION_OVERRIDE,
    EMPTY_OVERRIDE_REASON,
    REASON_BLOCK,
    SCOPE_BLOCK,
    WHOLE_REVIEW,
)
from slack_presentation.review_actions import ACTION_APPROVE
from tests.bot.slack_app.home_runs import open_home, pending_indexed
from tests.bot.slack_app.reassign_runs import errors_of, opened_modal, status_reply
from tests.bot.slack_app.test_buttons import closed, ephemeral_to, mention
from tests.fixtures.bot_stack import ADMIN_EMAIL, OWNER, ROSTER, BotStack
from tests.helpers import eventually
from workflow.policy_contract import ReviewPolicy, StageDeadline, StagePolicy

ALICE, BOB, CAROL, DAVE = ROSTER.all()
FRANK = "frank@example.com"
TWO_OF_THREE = ReviewPolicy(
    Review1=StagePolicy(
        reviewers=[ALICE, BOB, FRANK],
        approvals=2,
        deadline=StageDeadline(after_seconds=86400, then="escalate"),
    )
)


async def test_status_and_app_home_show_each_round_of_a_two_of_three_pool(
    bot_stack: BotStack,
) -> None:
    workflow_id = await bot_stack.submit(policy=TWO_OF_THREE)
    alices = await bot_stack.review_message(ALICE, stage="Review1")
    assert (await bot_stack.click(ALICE, alices, ACTION_APPROVE)).status == 200
    await closed(bot_stack, alices)

    reply = await status_reply(bot_stack, OWNER, workflow_id)

    stages = next(b for b in reply.blocks if b.get("block_id") == "review_stages")
    text = stages["text"]["text"]
    alice, bob, frank = (mention(bot_stack, e) for e in (ALICE, BOB, FRANK))
    assert (
        f"*Review1* · open · 1 of 2 approvals ({alice}) · still asked: {bob}, {frank}"
        " · deadline <!date^" in text
    )
    assert "then Review2 is asked instead" in text
    assert "*Review2* · not open yet · 0 of 1 approval" in text
    # Only admins are offered the override.
    assert ACTION_OVERRIDE not in json.dumps(reply.blocks)

    await pending_indexed(bot_stack, FRANK, workflow_id)
    home = await open_home(bot_stack, FRANK)
    shown = json.dumps(home.blocks, ensure_ascii=False)
    assert "*Review1* · open · 1 of 2 approvals · still asked:" in shown
    # Compact: the rounds not open yet stay out of App Home.
    assert "*Review2*" not in shown


async def test_an_admin_approves_a_stage_by_override_with_a_reason(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    for email in (ALICE, BOB):
        message = await bot_stack.review_message(email)
        assert (await bot_stack.click(email, message, ACTION_APPROVE)).status == 200
    carols = await bot_stack.review_message(CAROL, stage="Review2")
    reply = await status_reply(bot_stack, ADMIN_EMAIL, workflow_id)
    admin_id = bot_stack.user_id(ADMIN_EMAIL)

    clicked = await bot_stack.standin.click_button(
        admin_id, reply.channel, reply.ts, ACTION_OVERRIDE
    )
    assert clicked.status == 200
    form = await opened_modal(bot_stack, ADMIN_EMAIL)
    assert "This stage (Review2)" in json.dumps(form.blocks)
    blank = await bot_stack.standin.submit_view(admin_id, form.id, {REASON_BLOCK: "   "})
    assert errors_of(blank) == {REASON_BLOCK: EMPTY_OVERRIDE_REASON}
    assert (await bot_stack.status(workflow_id)).overrides == []

    done = await bot_stack.standin.submit_view(
        admin_id, form.id, {SCOPE_BLOCK: "Review2", REASON_BLOCK: "INC-4711: consumers down"}
    )

    assert errors_of(done) == {}
    told = await ephemeral_to(bot_stack, ADMIN_EMAIL, "Approved by override")
    assert "Review2 of version 1 approved by override by" in told
    closing = await closed(bot_stack, carols)
    assert "INC-4711: consumers down" in json.dumps(closing.blocks)

    async def owner_told() -> None:
        texts = [m.text for m in bot_stack.standin.messages_in(bot_stack.user_id(OWNER))]
        assert any("approved by override by" in t and "INC-4711" in t for t in texts), texts

    await eventually(owner_told)
    # Compliance is not asked for this schema: Review2 by override ends the review approved.
    result = await bot_stack.result(workflow_id)
    assert result.approved_version == 1
    after = await status_reply(bot_stack, ADMIN_EMAIL, workflow_id)
    stages = next(b for b in after.blocks if b.get("block_id") == "review_stages")
    assert (
        f"approved by override by {mention(bot_stack, ADMIN_EMAIL)}: INC-4711: consumers down"
        in stages["text"]["text"]
    )


async def test_a_non_admin_may_not_override(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    alices = await bot_stack.review_message(ALICE)
    admins = await status_reply(bot_stack, ADMIN_EMAIL, workflow_id)
    assert ACTION_OVERRIDE in json.dumps(admins.blocks)

    # A click forged from the admin's status reply is refused all the same.
    forged = bot_stack.click_body(OWNER, alices, ACTION_OVERRIDE, blocks=admins.blocks)
    assert await bot_stack.post_to_bot(forged) == 200

    await ephemeral_to(bot_stack, OWNER, "Only an admin (SLACK_ADMINS) may approve")
    assert bot_stack.standin.open_modals_of(bot_stack.user_id(OWNER)) == []
    status = await bot_stack.status(workflow_id)
    assert status.overrides == [] and status.state == "awaiting_review"


async def test_the_whole_review_by_override_closes_every_open_request(
    bot_stack: BotStack,
) -> None:
    workflow_id = await bot_stack.submit()
    requests = [await bot_stack.review_message(e) for e in (ALICE, BOB)]
    reply = await status_reply(bot_stack, ADMIN_EMAIL, workflow_id)
    admin_id = bot_stack.user_id(ADMIN_EMAIL)
    await bot_stack.standin.click_button(admin_id, reply.channel, reply.ts, ACTION_OVERRIDE)
    form = await opened_modal(bot_stack, ADMIN_EMAIL)

    done = await bot_stack.standin.submit_view(
        admin_id, form.id, {SCOPE_BLOCK: WHOLE_REVIEW, REASON_BLOCK: "Hotfix for INC-9"}
    )

    assert errors_of(done) == {}
    await ephemeral_to(bot_stack, ADMIN_EMAIL, "Version 1 approved by override by")
    for request in requests:
        assert "Hotfix for INC-9" in json.dumps((await closed(bot_stack, request)).blocks)
    assert (await bot_stack.result(workflow_id)).approved_version == 1
