"""The reassign and withdraw forms when Temporal takes the change but answers after Slack's
deadline: the person is told it is not confirmed (never "nothing changed"), and the same form
submitted again is the same change, not a second one."""

from __future__ import annotations

import asyncio
from typing import Any

from temporalio.client import (
    Client,
    Interceptor,
    OutboundInterceptor,
    StartWorkflowUpdateInput,
    WorkflowUpdateHandle,
)

from bot.slack_app.listeners.views import reassign_reviewer, withdraw_review
from slack_presentation.reassign_modal import SEAT_BLOCK
from slack_presentation.withdraw_modal import ACTION_WITHDRAW, REASON_BLOCK
from tests.bot.slack_app.reassign_runs import (
    errors_of,
    opened_modal,
    reassign_form,
    status_reply,
    submit_form,
)
from tests.bot.slack_app.test_buttons import ephemeral_to
from tests.fixtures.bot_stack import OWNER, ROSTER, BotStack

ALICE, BOB, CAROL, DAVE = ROSTER.all()
ERIN = "erin@example.com"


class LateAnswers(Interceptor):
    """A review service that takes every update and withholds its answer until `release`."""

    def __init__(self) -> None:
        self.release = asyncio.Event()

    def intercept_client(self, next: OutboundInterceptor) -> OutboundInterceptor:
        return _Late(next, self.release)


class _Late(OutboundInterceptor):
    def __init__(self, next: OutboundInterceptor, release: asyncio.Event) -> None:
        super().__init__(next)
        self._release = release

    async def start_workflow_update(
        self, input: StartWorkflowUpdateInput
    ) -> WorkflowUpdateHandle[Any]:
        handle = await super().start_workflow_update(input)
        await self._release.wait()
        return handle


async def bot_with_late_answers(stack: BotStack) -> LateAnswers:
    late = LateAnswers()
    client = Client(
        stack.temporal.service_client, namespace=stack.temporal.namespace, interceptors=[late]
    )
    stack.standin.point_at_bot((await stack.start_bot(client)).events_url)
    return late


async def test_a_withdrawal_answered_late_is_not_reported_as_not_made(
    bot_stack: BotStack,
) -> None:
    workflow_id = await bot_stack.submit()
    await bot_stack.review_message(ALICE)
    reply = await status_reply(bot_stack, OWNER, workflow_id)
    owner_id = bot_stack.user_id(OWNER)
    await bot_stack.standin.click_button(owner_id, reply.channel, reply.ts, ACTION_WITHDRAW)
    form = await opened_modal(bot_stack, OWNER)
    late = await bot_with_late_answers(bot_stack)
    try:
        result = await bot_stack.standin.submit_view(
            owner_id, form.id, {REASON_BLOCK: "Submitted to the wrong team"}
        )

        assert errors_of(result) == {REASON_BLOCK: withdraw_review.NOT_CONFIRMED}
        # It was in fact withdrawn: "nothing was withdrawn" would have been false.
        assert (await bot_stack.status(workflow_id)).state == "withdrawn"
    finally:
        late.release.set()

    # Submitted again (the answer now comes in time), the same form says where things stand.
    bot_stack.standin.point_at_bot(bot_stack.bot.events_url)
    again = await bot_stack.standin.submit_view(
        owner_id, form.id, {REASON_BLOCK: "Submitted to the wrong team"}
    )
    [sentence] = errors_of(again).values()
    assert sentence.endswith("has been withdrawn already.")


async def test_a_reassignment_answered_late_is_the_same_reassignment_when_sent_again(
    bot_stack: BotStack,
) -> None:
    workflow_id = await bot_stack.submit()
    await bot_stack.review_message(ALICE)
    form = await reassign_form(bot_stack, OWNER, await status_reply(bot_stack, OWNER, workflow_id))
    late = await bot_with_late_answers(bot_stack)
    try:
        result = await submit_form(bot_stack, OWNER, form, "reviewer_a", ERIN)

        assert errors_of(result) == {SEAT_BLOCK: reassign_reviewer.NOT_CONFIRMED}
        assert (await bot_stack.status(workflow_id)).reviewers.reviewer_a == ERIN
    finally:
        late.release.set()

    # The same form again: Temporal answers with the first submission's outcome, so the
    # person hears it was done rather than a refusal of a second, identical change.
    bot_stack.standin.point_at_bot(bot_stack.bot.events_url)
    again = await submit_form(bot_stack, OWNER, form, "reviewer_a", ERIN)
    assert errors_of(again) == {}
    told = await ephemeral_to(bot_stack, OWNER, "Reassigned in the review of")
    assert ERIN in told or bot_stack.user_id(ERIN) in told
    assert (await bot_stack.status(workflow_id)).reviewers.reviewer_a == ERIN
