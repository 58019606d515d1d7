"""Reassigning a reviewer from Slack, end to end: the stand-in, the bot and the real worker."""

from __future__ import annotations

import json

from slack_presentation.reassign_modal import ACTION_REASSIGN
from slack_presentation.review_actions import ACTION_APPROVE, ACTION_ESCALATE
from tests.bot.slack_app.reassign_runs import (
    errors_of,
    has_reassign_button,
    opened_modal,
    reassign_form,
    schema_of,
    status_reply,
    submit_form,
)
from tests.bot.slack_app.test_buttons import closed, ephemeral_to
from tests.bot.slack_app.test_home import open_home
from tests.fixtures.bot_stack import OWNER, ROSTER, BotStack
from tests.helpers import eventually
from workflow.models import REVIEW_1A, REVIEW_3, Reviewers

ALICE, BOB, CAROL, DAVE = ROSTER.all()
ERIN = "erin@example.com"


def mention(stack: BotStack, email: str) -> str:
    return f"<@{stack.user_id(email)}>"


async def test_the_owner_hands_an_open_seat_to_someone_else_from_schema_status(
    bot_stack: BotStack,
) -> None:
    workflow_id = await bot_stack.submit()
    schema_id = schema_of(workflow_id)
    alices_request = await bot_stack.review_message(ALICE)
    reply = await status_reply(bot_stack, OWNER, workflow_id)
    assert has_reassign_button(reply.blocks)
    form = await reassign_form(bot_stack, OWNER, reply)
    # The seats waiting now come first, with who holds them; the first is picked already.
    seat_input = next(b for b in form.blocks if b["block_id"] == "reassign_seat")["element"]
    labels = [o["text"]["text"] for o in seat_input["options"]]
    assert labels == [
        f"Review1.a: {ALICE} · waiting now",
        f"Review1.b: {BOB} · waiting now",
        f"Review2: {CAROL}",
        f"Review3: {DAVE}",
    ]
    assert seat_input["initial_option"]["value"] == "reviewer_a"

    result = await submit_form(bot_stack, OWNER, form, "reviewer_a", ERIN, "Alice is on holiday")

    assert errors_of(result) == {}
    assert bot_stack.standin.open_modals_of(bot_stack.user_id(OWNER)) == []
    confirmation = await ephemeral_to(bot_stack, OWNER, f"Reassigned in the review of {schema_id}")
    assert (
        f"Review1.a now goes to {mention(bot_stack, ERIN)} instead of {mention(bot_stack, ALICE)}"
    ) in confirmation
    # Alice's request is closed, saying who took it over; Erin has it, with the buttons.
    alices_closed = await closed(bot_stack, alices_request)
    assert f"Reassigned to {mention(bot_stack, ERIN)} by {mention(bot_stack, OWNER)}" in json.dumps(
        alices_closed.blocks
    )
    erins_request = await bot_stack.review_message(ERIN, stage=REVIEW_1A)
    status = await bot_stack.status(workflow_id)
    assert status.reviewers.reviewer_a == ERIN
    assert any(
        e.text == f"Review1.a reassigned from {ALICE} to {ERIN} by {OWNER} (Alice is on holiday)."
        for e in status.history
    )

    # Alice's client has not refreshed: her click is refused as someone else's review.
    stale = bot_stack.click_body(
        ALICE, alices_request, ACTION_APPROVE, blocks=alices_request.revisions[0].blocks
    )
    assert await bot_stack.post_to_bot(stale) == 200
    refusal = await ephemeral_to(bot_stack, ALICE, "is not assigned to")
    assert f"it is assigned to {mention(bot_stack, ERIN)}" in refusal

    assert (await bot_stack.click(ERIN, erins_request, ACTION_APPROVE)).status == 200
    for email in (BOB, CAROL):
        message = await bot_stack.review_message(email)
        assert (await bot_stack.click(email, message, ACTION_APPROVE)).status == 200
    result_of_review = await bot_stack.result(workflow_id)
    assert [(d.stage, d.reviewer) for d in result_of_review.decisions] == [
        ("Review1.a", ERIN),
        ("Review1.b", BOB),
        ("Review2", CAROL),
    ]
    # The /schema-status of a finished review offers no reassigning.
    assert not has_reassign_button((await status_reply(bot_stack, OWNER, workflow_id)).blocks)


async def test_a_seat_still_to_come_is_reassigned_from_app_home(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    await bot_stack.review_message(ALICE)
    owner = bot_stack.user_id(OWNER)

    async def listed_with_button() -> str:
        home = await open_home(bot_stack, OWNER)
        block_id = f"submission:{workflow_id}"
        assert any(b.get("block_id") == block_id for b in home.blocks), "submission not listed"
        assert has_reassign_button(home.blocks)
        return home.id

    home_id = await eventually(listed_with_button)
    clicked = await bot_stack.standin.click_view_button(
        owner, home_id, ACTION_REASSIGN, block_id=f"submission:{workflow_id}"
    )
    assert clicked.status == 200
    form = await opened_modal(bot_stack, OWNER)

    result = await submit_form(bot_stack, OWNER, form, "compliance_reviewer", ERIN)

    assert errors_of(result) == {}

    # From App Home, the confirmation comes as a direct message.
    async def confirmed() -> None:
        texts = [m.text for m in bot_stack.standin.messages_in(owner)]
        assert any("Review3 now goes to" in t and "once Review3 opens" in t for t in texts), texts

    await eventually(confirmed)
    for email in (ALICE, BOB):
        message = await bot_stack.review_message(email)
        assert (await bot_stack.click(email, message, ACTION_APPROVE)).status == 200
    carols = await bot_stack.review_message(CAROL)
    assert (await bot_stack.click(CAROL, carols, ACTION_ESCALATE)).status == 200
    erins = await bot_stack.review_message(ERIN, stage=REVIEW_3)
    assert (await bot_stack.click(ERIN, erins, ACTION_APPROVE)).status == 200

    result_of_review = await bot_stack.result(workflow_id)
    assert result_of_review.decisions[-1].reviewer == ERIN
    assert bot_stack.standin.messages_in(bot_stack.user_id(DAVE)) == []


async def test_an_undeliverable_request_is_reported_to_the_owner_and_fixed_by_reassigning(
    bot_stack: BotStack,
) -> None:
    zoe = "zoe@example.com"  # not in the workspace
    roster = Reviewers(zoe, BOB, CAROL, DAVE)
    workflow_id = await bot_stack.submit(reviewers=roster)
    schema_id = schema_of(workflow_id)
    owner = bot_stack.user_id(OWNER)

    async def told() -> str:
        texts = [m.text for m in bot_stack.standin.messages_in(owner)]
        waiting = [t for t in texts if t.startswith("Your review of")]
        assert waiting, texts
        return waiting[-1]

    assert await eventually(told) == (
        f"Your review of *{schema_id}* v1 is waiting: the Review1.a request could not be"
        f" delivered to {zoe} (no Slack user has this email). Reassign the reviewer from"
        f" /schema-status {schema_id}."
    )

    form = await reassign_form(bot_stack, OWNER, await status_reply(bot_stack, OWNER, workflow_id))
    assert errors_of(await submit_form(bot_stack, OWNER, form, "reviewer_a", ERIN)) == {}

    erins = await bot_stack.review_message(ERIN)
    assert (await bot_stack.click(ERIN, erins, ACTION_APPROVE)).status == 200
    for email in (BOB, CAROL):
        message = await bot_stack.review_message(email)
        assert (await bot_stack.click(email, message, ACTION_APPROVE)).status == 200
    assert (await bot_stack.result(workflow_id)).approved_version == 1
    await closed(bot_stack, erins)
