"""Withdrawing a review from Slack, end to end: the button on `/schema-status`, the
confirmation, the closed review requests, and the schema free for a new review."""

from __future__ import annotations

import json

from slack_presentation.withdraw_modal import ACTION_WITHDRAW, REASON_BLOCK
from tests.bot.slack_app.command_runs import run_command
from tests.bot.slack_app.home_runs import click_withdraw_in_home, open_home
from tests.bot.slack_app.reassign_runs import errors_of, opened_modal, schema_of, status_reply
from tests.bot.slack_app.test_buttons import closed, ephemeral_to
from tests.fixtures.bot_stack import OWNER, ROSTER, BotStack
from tests.helpers import eventually

ALICE, BOB, CAROL, DAVE = ROSTER.all()


async def test_the_owner_withdraws_a_review_and_submits_the_schema_afresh(
    bot_stack: BotStack,
) -> None:
    workflow_id = await bot_stack.submit()
    schema_id = schema_of(workflow_id)
    alices_request = await bot_stack.review_message(ALICE)
    bobs_request = await bot_stack.review_message(BOB)
    reply = await status_reply(bot_stack, OWNER, workflow_id)
    assert ACTION_WITHDRAW in json.dumps(reply.blocks)

    owner_id = bot_stack.user_id(OWNER)
    clicked = await bot_stack.standin.click_button(
        owner_id, reply.channel, reply.ts, ACTION_WITHDRAW
    )
    assert clicked.status == 200
    form = await opened_modal(bot_stack, OWNER)
    assert "Every open review request closes" in json.dumps(form.blocks)
    result = await bot_stack.standin.submit_view(
        owner_id, form.id, {REASON_BLOCK: "Submitted to the wrong team"}
    )

    assert errors_of(result) == {}
    await ephemeral_to(bot_stack, OWNER, f"Withdrawn: the review of {schema_id} ends")
    owner = f"<@{owner_id}>"
    for request in (alices_request, bobs_request):
        message = await closed(bot_stack, request)
        assert f"Withdrawn by {owner}: Submitted to the wrong team" in json.dumps(message.blocks)
    status = await bot_stack.status(workflow_id)
    assert status.state == "withdrawn"

    url = bot_stack.put_schema(f"{schema_id}-again.json", {"type": "object", "properties": {}})
    again = await run_command(bot_stack, OWNER, "/submit-schema", f"{schema_id} 1 {url}")
    assert "Review started" in again.text

    async def restarted() -> None:
        assert (await bot_stack.status(workflow_id)).state == "awaiting_review"

    await eventually(restarted)


async def test_a_reviewer_may_not_withdraw_someone_elses_review(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    alices_request = await bot_stack.review_message(ALICE)
    reply = await status_reply(bot_stack, ALICE, workflow_id)
    # The button is offered only to the owner and admins.
    assert ACTION_WITHDRAW not in json.dumps(reply.blocks)

    # A click forged from the owner's status reply is refused all the same.
    owners = await status_reply(bot_stack, OWNER, workflow_id)
    forged = bot_stack.click_body(ALICE, alices_request, ACTION_WITHDRAW, blocks=owners.blocks)
    assert await bot_stack.post_to_bot(forged) == 200

    refusal = await ephemeral_to(bot_stack, ALICE, "may withdraw its review")
    assert refusal.startswith(f"Only <@{bot_stack.user_id(OWNER)}>, who submitted")
    assert bot_stack.standin.open_modals_of(bot_stack.user_id(ALICE)) == []
    assert (await bot_stack.status(workflow_id)).state == "awaiting_review"


async def test_the_owner_withdraws_from_app_home(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    alices_request = await bot_stack.review_message(ALICE)
    await pending_indexed_as_submitted(bot_stack, workflow_id)
    home = await open_home(bot_stack, OWNER)

    await click_withdraw_in_home(bot_stack, OWNER, home, workflow_id)
    form = await opened_modal(bot_stack, OWNER)
    result = await bot_stack.standin.submit_view(bot_stack.user_id(OWNER), form.id, {})

    assert errors_of(result) == {}
    message = await closed(bot_stack, alices_request)
    assert f"Withdrawn by <@{bot_stack.user_id(OWNER)}>" in json.dumps(message.blocks)
    assert (await bot_stack.status(workflow_id)).state == "withdrawn"


async def pending_indexed_as_submitted(stack: BotStack, workflow_id: str) -> None:
    """App Home lists submissions from Temporal's visibility store, which lags a little."""

    async def listed() -> None:
        home = await open_home(stack, OWNER)
        assert any(b.get("block_id") == f"withdraw:{workflow_id}" for b in home.blocks)

    await eventually(listed)
