"""Modals and App Home through `views.*`, with trigger_ids as strict as Slack's."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import InputBlock, PlainTextInputElement, SectionBlock
from slack_sdk.models.views import View as ViewModel
from slack_sdk.web.async_client import AsyncWebClient

from tests.fixtures.slack_standin import SlackStandInForTests

ALICE = "U0ALICE001"


def reason_modal(title: str = "Reject schema", external_id: str | None = None) -> ViewModel:
    return ViewModel(
        type="modal",
        callback_id="reject_reason",
        title=title,
        submit="Reject",
        private_metadata="schema-approval-inventory|Review1.a|1",
        external_id=external_id,
        blocks=[
            InputBlock(
                block_id="reason",
                label="Why?",
                element=PlainTextInputElement(action_id="reason_input", multiline=True),
            )
        ],
    )


async def error_code(call: Any) -> str:
    with pytest.raises(SlackApiError) as raised:
        await call
    return str(raised.value.response["error"])


async def test_views_open_with_a_fresh_trigger_shows_the_modal_once(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    trigger = slack_standin.issue_trigger(ALICE)
    opened = await slack_client.views_open(trigger_id=trigger, view=reason_modal())

    view_id = opened["view"]["id"]
    assert view_id.startswith("V")
    assert opened["view"]["callback_id"] == "reject_reason"
    [shown] = slack_standin.open_modals_of(ALICE)
    assert shown.id == view_id and shown.private_metadata.endswith("|1")
    assert await error_code(slack_client.views_open(trigger_id=trigger, view=reason_modal())) == (
        "exchanged_trigger_id"
    )


async def test_views_open_refuses_unknown_and_expired_triggers(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    unknown = slack_client.views_open(trigger_id="123.456.abc", view=reason_modal())
    assert await error_code(unknown) == "invalid_trigger_id"

    trigger = slack_standin.issue_trigger(ALICE)
    issued_at = slack_standin.state.clock()
    slack_standin.state.clock = lambda: issued_at + 3.5
    late = slack_client.views_open(trigger_id=trigger, view=reason_modal())
    assert await error_code(late) == "expired_trigger_id"
    assert slack_standin.open_modals_of(ALICE) == []


async def test_views_open_refuses_a_modal_slack_would_refuse(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    no_submit = reason_modal().to_dict()
    del no_submit["submit"]
    call = slack_client.views_open(trigger_id=slack_standin.issue_trigger(ALICE), view=no_submit)
    assert await error_code(call) == "invalid_arguments"
    too_long = reason_modal().to_dict() | {
        "title": {"type": "plain_text", "text": "A title longer than twenty-four characters"}
    }
    call = slack_client.views_open(trigger_id=slack_standin.issue_trigger(ALICE), view=too_long)
    assert await error_code(call) == "invalid_arguments"


async def test_views_update_by_view_id_or_external_id(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    opened = await slack_client.views_open(
        trigger_id=slack_standin.issue_trigger(ALICE), view=reason_modal(external_id="reject-1")
    )
    by_external = await slack_client.views_update(
        external_id="reject-1", view=reason_modal(title="Still rejecting")
    )
    assert by_external["view"]["id"] == opened["view"]["id"]
    assert slack_standin.open_modals_of(ALICE)[0].definition["title"]["text"] == "Still rejecting"

    conflict = slack_client.views_update(
        view_id=opened["view"]["id"], hash=opened["view"]["hash"], view=reason_modal()
    )
    assert await error_code(conflict) == "hash_conflict"
    missing = slack_client.views_update(view_id="V0NOTHERE", view=reason_modal())
    assert await error_code(missing) == "not_found"


async def test_views_push_stacks_modals_up_to_three(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    await slack_client.views_open(
        trigger_id=slack_standin.issue_trigger(ALICE), view=reason_modal()
    )
    for _ in range(2):
        await slack_client.views_push(
            trigger_id=slack_standin.issue_trigger(ALICE), view=reason_modal()
        )
    stack = slack_standin.open_modals_of(ALICE)
    assert len(stack) == 3
    assert stack[2].previous_view_id == stack[1].id and stack[2].root_view_id == stack[0].id
    fourth = slack_client.views_push(
        trigger_id=slack_standin.issue_trigger(ALICE), view=reason_modal()
    )
    assert await error_code(fourth) == "push_limit_reached"


async def test_views_publish_keeps_one_home_tab_per_person(
    slack_standin: SlackStandInForTests, slack_client: AsyncWebClient
) -> None:
    def home(text: str) -> ViewModel:
        return ViewModel(type="home", blocks=[SectionBlock(text=text)])

    first = await slack_client.views_publish(user_id=ALICE, view=home("2 reviews waiting"))
    second = await slack_client.views_publish(user_id=ALICE, view=home("1 review waiting"))

    assert first["view"]["id"] == second["view"]["id"]
    alice_home = slack_standin.home_view_of(ALICE)
    assert alice_home is not None and alice_home.blocks[0]["text"]["text"] == "1 review waiting"
    assert slack_standin.home_view_of("U0BOB00001") is None
    nobody = slack_client.views_publish(user_id="U0NOBODY00", view=home("x"))
    assert await error_code(nobody) == "user_not_found"
