"""The `/submit-schema` form: built, checked while open, and submitted to the real workflow."""

from __future__ import annotations

import uuid
from typing import Any

from bot.slack_app.services.submit_form import SubmitForm, form_problems, read_submit_form
from slack_presentation.submit_modal import (
    CALLBACK_ID,
    FIELD_CONTENT_URI,
    FIELD_SCHEMA_ID,
    FIELD_VERSION,
    SEAT_A,
    SEAT_B,
    SEAT_COMPLIANCE,
    SEAT_SENIOR,
    submit_modal,
)
from slack_sandbox import modals
from slack_sandbox.records import View
from tests.bot.slack_app.command_runs import assert_no_review
from tests.fixtures.bot_stack import INVENTORY_V1, OWNER, ROSTER, BotStack
from tests.helpers import eventually
from workflow.models import REVIEW_1A, workflow_id_for

OWNER_ID, ALICE_ID, BOB_ID = "U0OWNER001", "U0ALICE001", "U0BOB00001"
PICKS = {SEAT_A: ALICE_ID, SEAT_B: BOB_ID, SEAT_SENIOR: "U0CAROL001", SEAT_COMPLIANCE: "U0DAVE0001"}


def a_form(**changes: Any) -> SubmitForm:
    fields: dict[str, Any] = {
        "schema_id": "inventory",
        "version": "1",
        "description": "",
        "content_uri": "https://example.com/s.json",
        "reviewers": dict(PICKS),
    }
    return SubmitForm(**(fields | changes))


def test_the_form_is_a_valid_modal_with_the_default_reviewers_picked() -> None:
    view = modals.parse_view(submit_modal(PICKS), expected_type="modal")

    assert view["callback_id"] == CALLBACK_ID
    pickers = {b["block_id"]: b["element"] for b in view["blocks"] if b["block_id"] in PICKS}
    assert {seat: e["initial_user"] for seat, e in pickers.items()} == PICKS
    assert all(e["type"] == "users_select" for e in pickers.values())
    # The description is limited where it is typed, and the hint says how far.
    description = next(b for b in view["blocks"] if b["block_id"] == "description")
    assert description["element"]["max_length"] == 500
    assert "at most 500 characters" in description["hint"]["text"]


def test_the_form_opens_without_defaults_when_none_are_known() -> None:
    view = submit_modal({})

    assert not any("initial_user" in str(b) for b in view["blocks"])


def test_read_form_values_as_slack_sends_them() -> None:
    values = {
        FIELD_SCHEMA_ID: {"value": {"type": "plain_text_input", "value": " inventory "}},
        FIELD_VERSION: {"value": {"type": "plain_text_input", "value": "2"}},
        FIELD_CONTENT_URI: {"value": {"type": "plain_text_input", "value": "https://x.test/s"}},
        "description": {"value": {"type": "plain_text_input", "value": None}},
        SEAT_A: {"value": {"type": "users_select", "selected_user": ALICE_ID}},
    }

    form = read_submit_form(values)

    assert (form.schema_id, form.version, form.content_uri, form.description) == (
        "inventory",
        "2",
        "https://x.test/s",
        "",
    )
    assert form.reviewers == {
        SEAT_A: ALICE_ID,
        SEAT_B: None,
        SEAT_SENIOR: None,
        SEAT_COMPLIANCE: None,
    }


def test_a_good_form_has_no_problems() -> None:
    assert form_problems(a_form(), OWNER_ID) == {}


def test_form_problems_are_shown_at_their_fields() -> None:
    form = a_form(
        schema_id="Bad Id",
        version="0",
        content_uri="file:///etc/passwd",
        reviewers=PICKS | {SEAT_B: ALICE_ID, SEAT_SENIOR: OWNER_ID, SEAT_COMPLIANCE: None},
    )

    problems = form_problems(form, OWNER_ID)

    assert problems[FIELD_SCHEMA_ID].startswith("'Bad Id' is not a valid schema id")
    assert problems[FIELD_VERSION] == "Version 0 is too low: versions start at 1."
    assert problems[FIELD_CONTENT_URI].startswith("'file:///etc/passwd' is not an http(s) URL")
    assert problems[SEAT_B].startswith("One person may not hold both Review1 seats")
    assert problems[SEAT_SENIOR].startswith("You submit this schema, so you may not review it")
    assert problems[SEAT_COMPLIANCE] == "Pick the Review3: compliance reviewer."
    assert SEAT_A not in problems


async def open_form(stack: BotStack, email: str = OWNER) -> View:
    user_id = stack.user_id(email)
    result = await stack.standin.run_slash_command(user_id, "/submit-schema", "")
    assert result.status == 200

    async def opened() -> View:
        views = stack.standin.open_modals_of(user_id)
        assert views and views[-1].callback_id == CALLBACK_ID, "the submit form did not open"
        return views[-1]

    return await eventually(opened)


def form_values(stack: BotStack, schema_id: str, version: str = "1") -> dict[str, Any]:
    url = stack.put_schema(f"{schema_id}-v{version}.json", INVENTORY_V1)
    return {FIELD_SCHEMA_ID: schema_id, FIELD_VERSION: version, FIELD_CONTENT_URI: url}


async def test_command_alone_opens_the_form_with_the_default_roster(bot_stack: BotStack) -> None:
    view = await open_form(bot_stack)

    pickers = {
        b["block_id"]: b["element"].get("initial_user")
        for b in view.blocks
        if b["element"]["type"] == "users_select"
    }
    assert pickers == {
        SEAT_A: bot_stack.user_id(ROSTER.reviewer_a),
        SEAT_B: bot_stack.user_id(ROSTER.reviewer_b),
        SEAT_SENIOR: bot_stack.user_id(ROSTER.senior_reviewer),
        SEAT_COMPLIANCE: bot_stack.user_id(ROSTER.compliance_reviewer),
    }


async def test_form_errors_come_back_in_the_form_and_start_nothing(bot_stack: BotStack) -> None:
    view = await open_form(bot_stack)
    schema_id = f"form-{uuid.uuid4().hex[:10]}"
    values = form_values(bot_stack, schema_id) | {
        FIELD_VERSION: "one",
        FIELD_CONTENT_URI: "ftp://example.com/s.json",
        SEAT_B: ALICE_ID,
        SEAT_SENIOR: OWNER_ID,
    }

    result = await bot_stack.standin.submit_view(OWNER_ID, view.id, values)

    answer = result.json()
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {FIELD_VERSION, FIELD_CONTENT_URI, SEAT_B, SEAT_SENIOR}
    assert bot_stack.standin.open_modals_of(OWNER_ID)[-1].errors == answer["errors"]
    await assert_no_review(bot_stack, schema_id)


async def test_a_superscript_version_is_shown_in_the_form(bot_stack: BotStack) -> None:
    """'²' passes `str.isdigit()` but not `int()`: the form says so instead of failing."""
    view = await open_form(bot_stack)
    schema_id = f"form-{uuid.uuid4().hex[:10]}"

    result = await bot_stack.standin.submit_view(
        OWNER_ID, view.id, form_values(bot_stack, schema_id) | {FIELD_VERSION: "²"}
    )

    assert result.status == 200, result.body
    assert result.json()["errors"] == {
        FIELD_VERSION: "'²' is not a version: give a whole number of 1 or more, e.g. 2."
    }
    await assert_no_review(bot_stack, schema_id)


async def test_a_valid_form_starts_the_review(bot_stack: BotStack) -> None:
    view = await open_form(bot_stack)
    schema_id = f"form-{uuid.uuid4().hex[:10]}"
    values = form_values(bot_stack, schema_id) | {"description": "From the form"}

    result = await bot_stack.standin.submit_view(OWNER_ID, view.id, values)

    assert result.status == 200 and result.json() is None
    assert bot_stack.standin.open_modals_of(OWNER_ID) == []
    await bot_stack.review_message(ROSTER.reviewer_a, stage=REVIEW_1A)
    status = await bot_stack.status(workflow_id_for(schema_id))
    assert (status.submitted_by, status.description) == (OWNER, "From the form")

    async def told() -> None:
        texts = [m.text for m in bot_stack.standin.messages_in(OWNER_ID)]
        assert any(f"Review started for *{schema_id}* version 1" in t for t in texts), texts

    await eventually(told)


async def test_a_version_not_higher_than_the_running_one_is_refused_in_the_form(
    bot_stack: BotStack,
) -> None:
    workflow_id = await bot_stack.submit(version=4)
    schema_id = workflow_id.removeprefix(workflow_id_for(""))
    await bot_stack.review_message(ROSTER.reviewer_a, version=4)
    view = await open_form(bot_stack)

    result = await bot_stack.standin.submit_view(
        OWNER_ID, view.id, form_values(bot_stack, schema_id, "4")
    )

    assert result.json()["errors"] == {
        FIELD_VERSION: f"{schema_id} is in review at version 4: submit a version higher than 4,"
        " e.g. 5."
    }
    assert (await bot_stack.status(workflow_id)).version == 4
