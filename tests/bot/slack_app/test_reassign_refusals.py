"""Reassignments that do not happen: each says why, under the field it concerns, and nothing
changes."""

from __future__ import annotations

import pytest
from temporalio.client import Client

from bot.reviews.reassign import REVIEW_FINISHED
from bot.slack_app.listeners.views.reassign_reviewer import NO_EMAIL, NOT_REACHED
from slack_presentation.reassign_modal import (
    ACTION_REASSIGN,
    REVIEWER_BLOCK,
    SEAT_BLOCK,
    InvalidReassignTarget,
    ReassignTarget,
    reassign_modal,
)
from slack_presentation.review_actions import ACTION_APPROVE
from slack_sandbox import modals
from slack_sandbox.users import BOT_USER
from tests.bot.reviews.test_temporal_unreachable import closed_port
from tests.bot.slack_app.reassign_runs import (
    errors_of,
    has_reassign_button,
    reassign_form,
    schema_of,
    status_reply,
    submit_as,
    submit_form,
)
from tests.bot.slack_app.test_buttons import approve_every_stage, ephemeral_to
from tests.bot.slack_app.test_status import a_status
from tests.fixtures.bot_stack import ADMIN_EMAIL, OWNER, ROSTER, BotStack
from tests.helpers import eventually
from workflow.models import ReviewStatus

ALICE, BOB, CAROL, DAVE = ROSTER.all()
ERIN = "erin@example.com"


def test_the_modal_is_one_slack_accepts() -> None:
    view = modals.parse_view(
        reassign_modal(a_status(), ReassignTarget("inventory", None)), expected_type="modal"
    )

    assert view["title"]["text"] == "Reassign a reviewer"
    # Review1.a decided in this version: listed last, marked as such.
    seat = next(b for b in view["blocks"] if b["block_id"] == SEAT_BLOCK)["element"]
    assert seat["options"][-1]["text"]["text"] == f"Review1.a: {ALICE} · decided"


@pytest.mark.parametrize("raw", ["", "inventory", '{"s": "Not An Id", "c": null}', '{"s": "x"}'])
def test_form_metadata_that_is_not_ours_is_refused(raw: str) -> None:
    with pytest.raises(InvalidReassignTarget):
        ReassignTarget.decode(raw)


async def assert_unchanged(stack: BotStack, workflow_id: str) -> ReviewStatus:
    status = await stack.status(workflow_id)
    assert status.reviewers == ROSTER
    assert not [e for e in status.history if "reassigned" in e.text]
    return status


async def test_the_workflows_refusals_show_under_the_field_they_concern(
    bot_stack: BotStack,
) -> None:
    workflow_id = await bot_stack.submit()
    await bot_stack.review_message(ALICE)
    form = await reassign_form(bot_stack, OWNER, await status_reply(bot_stack, OWNER, workflow_id))

    async def errors(seat: str, reviewer: str) -> dict[str, str]:
        return errors_of(await submit_form(bot_stack, OWNER, form, seat, reviewer))

    assert await errors("reviewer_a", BOB) == {
        REVIEWER_BLOCK: f"{BOB} already holds the other Review1 seat (Review1.b), and one"
        " person may not hold both: pick someone else."
    }
    assert await errors("reviewer_a", OWNER) == {
        REVIEWER_BLOCK: f"{OWNER} submitted this schema and may not review it: pick someone else."
    }
    assert await errors("senior_reviewer", CAROL) == {
        REVIEWER_BLOCK: f"{CAROL} already holds Review2: pick someone else."
    }
    assert await errors("reviewer_a", BOT_USER.id) == {REVIEWER_BLOCK: NO_EMAIL}
    bobs = await bot_stack.review_message(BOB)
    assert (await bot_stack.click(BOB, bobs, ACTION_APPROVE)).status == 200
    await eventually(lambda: _decided(bot_stack, workflow_id))
    assert await errors("reviewer_b", ERIN) == {
        SEAT_BLOCK: f"Review1.b of version 1 was already decided (approved by {BOB}), so"
        " reassigning it now would change nothing."
    }

    # The modal stays open with the last sentence under its field, as Slack shows it.
    [still_open] = bot_stack.standin.open_modals_of(bot_stack.user_id(OWNER))
    assert SEAT_BLOCK in still_open.errors
    await assert_unchanged(bot_stack, workflow_id)


async def test_only_the_submitter_or_an_admin_may_reassign(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    schema_id = schema_of(workflow_id)
    await bot_stack.review_message(ALICE)
    owners_reply = await status_reply(bot_stack, OWNER, workflow_id)
    owners_form = await reassign_form(bot_stack, OWNER, owners_reply)

    # Bob is not offered the button; clicking the owner's anyway is refused, with no form.
    assert not has_reassign_button((await status_reply(bot_stack, BOB, workflow_id)).blocks)
    bob = bot_stack.user_id(BOB)
    clicked = await bot_stack.standin.click_button(
        bob, owners_reply.channel, owners_reply.ts, ACTION_REASSIGN
    )
    assert clicked.status == 200
    refusal = await ephemeral_to(bot_stack, BOB, "or an admin may reassign its reviewers")
    assert refusal == (
        f"Only <@{bot_stack.user_id(OWNER)}>, who submitted {schema_id}, or an admin may"
        " reassign its reviewers."
    )
    assert bot_stack.standin.open_modals_of(bob) == []
    # Nor does a submission in his name count, whatever form it came from.
    assert await submit_as(bot_stack, BOB, owners_form, "reviewer_a", ERIN) == {
        SEAT_BLOCK: f"Only {OWNER}, who submitted {schema_id}, or an admin may reassign its"
        " reviewers."
    }
    await assert_unchanged(bot_stack, workflow_id)

    # An admin may.
    admins_reply = await status_reply(bot_stack, ADMIN_EMAIL, workflow_id)
    assert has_reassign_button(admins_reply.blocks)
    admins_form = await reassign_form(bot_stack, ADMIN_EMAIL, admins_reply)
    result = await submit_form(bot_stack, ADMIN_EMAIL, admins_form, "senior_reviewer", ERIN)
    assert errors_of(result) == {}
    assert (await bot_stack.status(workflow_id)).reviewers.senior_reviewer == ERIN


async def test_an_unreachable_temporal_changes_nothing_and_says_so(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    await bot_stack.review_message(ALICE)
    form = await reassign_form(bot_stack, OWNER, await status_reply(bot_stack, OWNER, workflow_id))
    gone = await Client.connect(f"127.0.0.1:{closed_port()}", lazy=True)
    bot_stack.standin.point_at_bot((await bot_stack.start_bot(gone)).events_url)

    result = await submit_form(bot_stack, OWNER, form, "reviewer_a", ERIN)

    assert errors_of(result) == {SEAT_BLOCK: NOT_REACHED}
    await assert_unchanged(bot_stack, workflow_id)


async def test_a_review_that_finished_while_the_form_was_open_says_so(
    bot_stack: BotStack,
) -> None:
    workflow_id = await bot_stack.submit()
    await bot_stack.review_message(ALICE)
    form = await reassign_form(bot_stack, OWNER, await status_reply(bot_stack, OWNER, workflow_id))
    await approve_every_stage(bot_stack, workflow_id)

    result = await submit_form(bot_stack, OWNER, form, "reviewer_a", ERIN)

    assert errors_of(result) == {SEAT_BLOCK: REVIEW_FINISHED}


async def _decided(stack: BotStack, workflow_id: str) -> None:
    assert (await stack.status(workflow_id)).decisions
