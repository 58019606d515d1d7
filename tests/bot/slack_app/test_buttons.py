"""The review message's buttons, clicked in the Slack stand-in, decided by the real workflow."""

from __future__ import annotations

import asyncio
import json

import pytest
from temporalio.client import Client

from bot.reviews.decisions import REVIEW_CLOSED, DecisionReply, SignalAnswer
from bot.slack_app.listeners import decide
from bot.slack_app.listeners.actions.reject_review import REASON_FORM_NOT_OPENED
from slack_presentation.reject_modal import EMPTY_REASON, REASON_BLOCK
from slack_presentation.review_actions import ACTION_APPROVE, ACTION_ESCALATE, ACTION_REJECT
from slack_sandbox.records import Message
from slack_sandbox.state import REVIEW_CHANNEL_ID
from tests.fixtures.bot_stack import (
    OWNER,
    BotStack,
    buttons,
    posted_before_buttons_named_the_reviewer,
)
from tests.helpers import eventually
from workflow.models import REVIEW_1A, REVIEW_2, ReviewDecision, workflow_id_for

ALICE, BOB, CAROL, DAVE = (
    "alice@example.com",
    "bob@example.com",
    "carol@example.com",
    "dave@example.com",
)


def mention(stack: BotStack, email: str) -> str:
    """How Slack is told to show the person: `<@U…>`, rendered as their name."""
    return f"<@{stack.user_id(email)}>"


def action_ids(message: Message) -> list[str]:
    return [str(button.get("action_id")) for button in buttons(message)]


async def ephemeral_to(stack: BotStack, email: str, containing: str) -> str:
    async def arrived() -> str:
        texts = [e.text for e in stack.standin.ephemerals_for(stack.user_id(email))]
        match = [t for t in texts if containing in t]
        assert match, f"No ephemeral containing {containing!r} for {email}; got {texts}"
        return match[-1]

    return await eventually(arrived)


async def closed(stack: BotStack, message: Message) -> Message:
    """The same message once the workflow rewrote it without buttons."""

    async def rewritten() -> Message:
        current = stack.standin.state.find_message(message.channel, message.ts)
        assert current is not None and current.edited and not buttons(current)
        return current

    return await eventually(rewritten)


async def approve(stack: BotStack, email: str, *, version: int = 1) -> Message:
    message = await stack.review_message(email, version=version)
    result = await stack.click(email, message, ACTION_APPROVE)
    assert result.status == 200
    return await closed(stack, message)


async def approve_every_stage(stack: BotStack, workflow_id: str) -> None:
    """Review1.a, Review1.b and Review2 approve version 1 by button; the review completes."""
    for email in (ALICE, BOB, CAROL):
        message = await stack.review_message(email)
        assert (await stack.click(email, message, ACTION_APPROVE)).status == 200
    await stack.handle(workflow_id).result()


async def test_approvals_by_button_complete_the_review(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()

    first = await approve(bot_stack, ALICE)
    await approve(bot_stack, BOB)
    carol_message = await bot_stack.review_message(CAROL)
    assert action_ids(carol_message) == [ACTION_APPROVE, ACTION_REJECT, ACTION_ESCALATE]
    await approve(bot_stack, CAROL)

    result = await bot_stack.result(workflow_id)
    assert result.approved_version == 1
    assert [(d.stage, d.reviewer) for d in result.decisions] == [
        ("Review1.a", ALICE),
        ("Review1.b", BOB),
        ("Review2", CAROL),
    ]
    # Updated in place (`closed` found the same ts without buttons), showing who decided.
    assert f"*Approved* by {mention(bot_stack, ALICE)}" in json.dumps(first.blocks)
    assert first.text.endswith(f"*Approved* by {mention(bot_stack, ALICE)}")
    owner_dm = bot_stack.standin.messages_in(bot_stack.user_id(OWNER))
    assert any("is approved" in m.text for m in owner_dm)
    # No Review3 without an escalation: dave was never asked.
    assert not bot_stack.standin.messages_in(bot_stack.user_id(DAVE))


async def test_a_decided_review_message_keeps_what_it_showed(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit(description="Adds quantity limits")
    schema_id = workflow_id.removeprefix(workflow_id_for(""))

    alice_message = await approve(bot_stack, ALICE)
    bob_message = await bot_stack.review_message(BOB)
    await bot_stack.submit_version(workflow_id, 2)
    superseded = await closed(bot_stack, bob_message)

    for message, outcome in (
        (alice_message, f"*Approved* by {mention(bot_stack, ALICE)} · Review1.a"),
        (superseded, "Superseded by version 2"),
    ):
        shown = json.dumps(message.blocks, ensure_ascii=False)
        for kept in (
            f"Schema review: {schema_id} v1",
            "Adds quantity limits",
            # As JSON: the field label, an escaped newline, the value.
            f"*Submitted by*\\n{mention(bot_stack, OWNER)}",
            f"{schema_id}-v1.json",
            outcome,
        ):
            assert kept in shown, f"{kept!r} is missing from the closed message: {shown}"


async def test_escalate_at_review2_asks_the_compliance_reviewer(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    await approve(bot_stack, ALICE)
    await approve(bot_stack, BOB)
    carol_message = await bot_stack.review_message(CAROL)

    assert (await bot_stack.click(CAROL, carol_message, ACTION_ESCALATE)).status == 200

    dave_message = await bot_stack.review_message(DAVE)
    # Review3 is the last stage: it cannot be escalated again.
    assert action_ids(dave_message) == [ACTION_APPROVE, ACTION_REJECT]
    await approve(bot_stack, DAVE)
    result = await bot_stack.result(workflow_id)
    assert [d.requires_additional_review for d in result.decisions if d.stage == REVIEW_2] == [True]
    assert [d.reviewer for d in result.decisions] == [ALICE, BOB, CAROL, DAVE]


async def open_reject_modal(stack: BotStack, email: str) -> str:
    message = await stack.review_message(email)
    assert (await stack.click(email, message, ACTION_REJECT)).status == 200

    async def opened() -> str:
        modals = stack.standin.open_modals_of(stack.user_id(email))
        assert modals, f"No modal opened for {email}"
        return modals[-1].id

    return await eventually(opened)


async def test_reject_with_reason_reaches_the_owner(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    view_id = await open_reject_modal(bot_stack, ALICE)

    reason = "quantity must not be negative: add minimum 0"
    result = await bot_stack.standin.submit_view(
        bot_stack.user_id(ALICE), view_id, {REASON_BLOCK: reason}
    )

    assert result.status == 200 and not bot_stack.standin.open_modals_of(bot_stack.user_id(ALICE))

    async def owner_told() -> None:
        owner_dm = bot_stack.standin.messages_in(bot_stack.user_id(OWNER))
        assert any(reason in m.text for m in owner_dm), [m.text for m in owner_dm]

    await eventually(owner_told)
    status = await bot_stack.status(workflow_id)
    assert status.state == "awaiting_revision"
    assert [(d.stage, d.approved, d.reason) for d in status.decisions] == [
        (REVIEW_1A, False, reason)
    ]


async def test_empty_reason_keeps_the_modal_open_and_records_nothing(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    view_id = await open_reject_modal(bot_stack, ALICE)

    result = await bot_stack.standin.submit_view(
        bot_stack.user_id(ALICE), view_id, {REASON_BLOCK: "  \n "}
    )

    assert result.json() == {"response_action": "errors", "errors": {REASON_BLOCK: EMPTY_REASON}}
    assert [v.id for v in bot_stack.standin.open_modals_of(bot_stack.user_id(ALICE))] == [view_id]
    status = await bot_stack.status(workflow_id)
    assert status.decisions == [] and status.state == "awaiting_review"


async def test_reject_whose_form_slack_refuses_tells_the_reviewer(bot_stack: BotStack) -> None:
    """A trigger_id that expired (a slow moment) means no form: the click must not look lost."""
    workflow_id = await bot_stack.submit()
    message = await bot_stack.review_message(ALICE)
    bot_stack.standin.fail_next("views.open", error="expired_trigger_id")

    assert (await bot_stack.click(ALICE, message, ACTION_REJECT)).status == 200

    await ephemeral_to(bot_stack, ALICE, REASON_FORM_NOT_OPENED)
    assert bot_stack.standin.open_modals_of(bot_stack.user_id(ALICE)) == []
    assert (await bot_stack.status(workflow_id)).decisions == []


async def test_click_by_someone_not_assigned_is_refused(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit(review_channel=REVIEW_CHANNEL_ID)
    message = await bot_stack.review_request_in(REVIEW_CHANNEL_ID, stage=REVIEW_1A)
    assert (await bot_stack.click(BOB, message, ACTION_APPROVE)).status == 200

    alice, bob = mention(bot_stack, ALICE), mention(bot_stack, BOB)
    text = await ephemeral_to(bot_stack, BOB, f"not assigned to {bob}; it is assigned to {alice}")
    [refusal] = bot_stack.standin.ephemerals_for(bot_stack.user_id(BOB))
    assert refusal.blocks[0]["text"] == {"type": "mrkdwn", "text": text, "verbatim": True}
    status = await bot_stack.status(workflow_id)
    assert status.decisions == []
    assert not message.edited and buttons(message)


async def test_double_click_records_one_decision(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    message = await bot_stack.review_message(ALICE)

    results = await asyncio.gather(
        bot_stack.click(ALICE, message, ACTION_APPROVE),
        bot_stack.click(ALICE, message, ACTION_APPROVE),
    )

    assert [r.status for r in results] == [200, 200]
    await ephemeral_to(bot_stack, ALICE, "already recorded")
    status = await bot_stack.status(workflow_id)
    assert [(d.stage, d.reviewer) for d in status.decisions] == [(REVIEW_1A, ALICE)]
    assert len(bot_stack.standin.ephemerals_for(bot_stack.user_id(ALICE))) == 1


async def test_click_on_a_superseded_message_is_refused(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    old = await bot_stack.review_message(ALICE, version=1)
    await bot_stack.submit_version(workflow_id, 2)
    await bot_stack.review_message(ALICE, version=2)

    # A client that has not refreshed still shows version 1's buttons.
    stale_click = bot_stack.click_body(ALICE, old, ACTION_APPROVE, blocks=old.revisions[0].blocks)
    assert await bot_stack.post_to_bot(stale_click) == 200

    await ephemeral_to(bot_stack, ALICE, "Version 1 is no longer under review")
    status = await bot_stack.status(workflow_id)
    assert status.version == 2 and status.decisions == []


async def test_button_that_is_not_ours_gets_a_sentence(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    message = await bot_stack.review_message(ALICE)
    blocks = [dict(block) for block in message.blocks]
    for block in blocks:
        if block.get("type") == "actions":
            block["elements"] = [dict(e, value="not-a-review") for e in block["elements"]]

    body = bot_stack.click_body(ALICE, message, ACTION_APPROVE, blocks=blocks)
    assert await bot_stack.post_to_bot(body) == 200

    await ephemeral_to(bot_stack, ALICE, "does not belong to a schema review message")
    assert (await bot_stack.status(workflow_id)).decisions == []


async def test_clicker_whose_email_slack_withholds_is_told_why(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    # A request posted before buttons named their reviewer: the clicker is looked up.
    message = posted_before_buttons_named_the_reviewer(await bot_stack.review_message(ALICE))
    bot_stack.standin.fail_next("users.info", error="missing_scope")

    assert (await bot_stack.click(ALICE, message, ACTION_APPROVE)).status == 200

    await ephemeral_to(bot_stack, ALICE, "users:read.email")
    assert (await bot_stack.status(workflow_id)).decisions == []


async def test_click_after_the_review_completed_is_refused(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    alice_message = await approve(bot_stack, ALICE)
    await approve(bot_stack, BOB)
    await approve(bot_stack, CAROL)
    await bot_stack.result(workflow_id)

    # Alice's client still shows her (long since decided) request with its buttons.
    stale = alice_message.revisions[0].blocks
    click = bot_stack.click_body(ALICE, alice_message, ACTION_APPROVE, blocks=stale)
    assert await bot_stack.post_to_bot(click) == 200

    await ephemeral_to(bot_stack, ALICE, REVIEW_CLOSED)


async def test_the_last_approval_is_not_told_closed_when_its_review_finished_first(
    bot_stack: BotStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Carol's click is signalled and completes the review before the update that follows it
    arrives (a slow bot): the update finds the review closed, yet her decision was recorded,
    so she is not told "closed" (the review message shows her approval)."""
    real_signal, real_lookup = decide.signal_decision, decide.recorded_in_closed_review
    looked_up: list[DecisionReply | None] = []

    async def then_finished(temporal: Client, workflow_id: str, d: ReviewDecision) -> SignalAnswer:
        answer = await real_signal(temporal, workflow_id, d)
        if d.stage == REVIEW_2:
            await temporal.get_workflow_handle(workflow_id).result()
        return answer

    async def lookup(temporal: Client, workflow_id: str, d: ReviewDecision) -> DecisionReply | None:
        looked_up.append(await real_lookup(temporal, workflow_id, d))
        return looked_up[-1]

    monkeypatch.setattr(decide, "signal_decision", then_finished)
    monkeypatch.setattr(decide, "recorded_in_closed_review", lookup)
    workflow_id = await bot_stack.submit()
    await approve(bot_stack, ALICE)
    await approve(bot_stack, BOB)
    message = await bot_stack.review_message(CAROL)

    assert (await bot_stack.click(CAROL, message, ACTION_APPROVE)).status == 200

    async def answered() -> None:
        assert looked_up

    await eventually(answered)
    assert looked_up == [
        DecisionReply("accepted", f"Recorded: Review2 of version 1 approved by {CAROL}.")
    ]
    assert bot_stack.standin.ephemerals_for(bot_stack.user_id(CAROL)) == []
    assert (await bot_stack.result(workflow_id)).approved_version == 1
    await closed(bot_stack, message)
