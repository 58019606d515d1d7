"""Who clicked, without asking Slack: a review request names its reviewer in its buttons, so
their own click is recorded with no `users.info`; anyone else, and any request posted before
buttons named their reviewer, is looked up as before."""

from __future__ import annotations

import copy

from slack_presentation.review_actions import ACTION_APPROVE, ReviewButtonValue
from slack_sandbox.records import Message, MessageRevision
from tests.bot.slack_app.test_buttons import ALICE, BOB, closed, ephemeral_to, mention
from tests.fixtures.bot_stack import (
    BotStack,
    buttons,
    posted_before_buttons_named_the_reviewer,
)


def users_info_for(stack: BotStack, email: str) -> int:
    """How many times the bot asked Slack who this person is."""
    user_id = stack.user_id(email)
    return sum(1 for c in stack.standin.calls_to("users.info") if c.params.get("user") == user_id)


def forwarded(stack: BotStack, message: Message, to_email: str) -> Message:
    """The review request as it shows in someone else's conversation, buttons and all."""
    state = stack.standin.state
    channel = stack.standin.dm_channel_of(stack.user_id(to_email))
    ts = state.next_ts()
    blocks = copy.deepcopy(message.blocks)
    return state.add_message(
        Message(
            channel,
            ts,
            message.user,
            message.text,
            blocks,
            bot_id=message.bot_id,
            revisions=[MessageRevision(message.text, blocks, ts)],
        )
    )


async def test_the_reviewer_s_own_click_is_recorded_without_asking_slack_who_they_are(
    bot_stack: BotStack,
) -> None:
    workflow_id = await bot_stack.submit()
    message = await bot_stack.review_message(ALICE)
    value = ReviewButtonValue.decode(str(buttons(message)[0]["value"]))
    assert (value.reviewer_user_id, value.reviewer_email) == (bot_stack.user_id(ALICE), ALICE)

    assert (await bot_stack.click(ALICE, message, ACTION_APPROVE)).status == 200

    await closed(bot_stack, message)
    assert [d.reviewer for d in (await bot_stack.status(workflow_id)).decisions] == [ALICE]
    assert users_info_for(bot_stack, ALICE) == 0


async def test_a_request_posted_before_buttons_named_the_reviewer_still_records_the_click(
    bot_stack: BotStack,
) -> None:
    workflow_id = await bot_stack.submit()
    message = posted_before_buttons_named_the_reviewer(await bot_stack.review_message(ALICE))

    assert (await bot_stack.click(ALICE, message, ACTION_APPROVE)).status == 200

    await closed(bot_stack, message)
    assert [d.reviewer for d in (await bot_stack.status(workflow_id)).decisions] == [ALICE]
    assert users_info_for(bot_stack, ALICE) == 1


async def test_someone_else_clicking_a_forwarded_request_is_looked_up_and_refused(
    bot_stack: BotStack,
) -> None:
    workflow_id = await bot_stack.submit()
    message = await bot_stack.review_message(ALICE)
    copy_for_bob = forwarded(bot_stack, message, BOB)

    assert (await bot_stack.click(BOB, copy_for_bob, ACTION_APPROVE)).status == 200

    alice, bob = mention(bot_stack, ALICE), mention(bot_stack, BOB)
    await ephemeral_to(bot_stack, BOB, f"not assigned to {bob}; it is assigned to {alice}")
    assert users_info_for(bot_stack, BOB) == 1
    assert (await bot_stack.status(workflow_id)).decisions == []
    assert not message.edited and buttons(message)
