"""App Home as a person meets it: opening the tab, and clicking a review's buttons there."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from bot.reviews.lookup import list_reviews, pending_for_query
from slack_presentation.review_actions import ReviewButtonValue
from slack_presentation.withdraw_modal import ACTION_WITHDRAW
from slack_sandbox.app_requests import TEAM, VERIFICATION_TOKEN
from slack_sandbox.records import View
from slack_sandbox.users import APP_ID, TEAM_ID
from tests.fixtures.bot_stack import BotStack
from tests.helpers import eventually


def buttons(view: dict[str, Any]) -> list[tuple[str, str, ReviewButtonValue]]:
    """(block_id, action_id, value) of every review button on the view (Withdraw aside)."""
    return [
        (block["block_id"], element["action_id"], ReviewButtonValue.decode(element["value"]))
        for block in view["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] != ACTION_WITHDRAW
    ]


def home_opened_body(stack: BotStack, user_id: str) -> str:
    """The Events API body Slack sends when the person opens the bot's Home tab."""
    return json.dumps(
        {
            "token": VERIFICATION_TOKEN,
            "team_id": TEAM_ID,
            "api_app_id": APP_ID,
            "type": "event_callback",
            "event_id": f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(time.time()),
            "event": {
                "type": "app_home_opened",
                "user": user_id,
                "channel": stack.standin.dm_channel_of(user_id),
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            },
        }
    )


async def open_home(stack: BotStack, email: str) -> View:
    """The person opens the bot's Home tab; the view the bot published for them."""
    user_id = stack.user_id(email)
    before = stack.standin.home_view_of(user_id)
    revision = before.hash if before else None
    body = home_opened_body(stack, user_id)
    assert await stack.post_to_bot(body) == 200

    async def published() -> View:
        view = stack.standin.home_view_of(user_id)
        assert view is not None and view.hash != revision, f"No Home tab published for {email}"
        return view

    return await eventually(published)


async def pending_indexed(stack: BotStack, email: str, workflow_id: str) -> None:
    """Wait until Temporal's visibility store lists the review as pending for `email`."""

    async def listed() -> None:
        found = await list_reviews(
            stack.temporal, pending_for_query(stack.settings.temporal_task_queue, email)
        )
        assert workflow_id in [r.workflow_id for r in found]

    await eventually(listed)


async def click_in_home(
    stack: BotStack, email: str, home: View, workflow_id: str, action_id: str
) -> None:
    """The person clicks a review's button in their Home tab, as Slack reports such a click:
    the container is the view, and there is no channel and no message."""
    block_id, button = next(
        (block["block_id"], element)
        for block in home.blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == action_id != ACTION_WITHDRAW
        and ReviewButtonValue.decode(element["value"]).workflow_id == workflow_id
    )
    await post_home_click(stack, email, home, block_id, button)


async def click_withdraw_in_home(stack: BotStack, email: str, home: View, workflow_id: str) -> None:
    """The person clicks "Withdraw review" under one of their submissions in App Home."""
    block_id = f"withdraw:{workflow_id}"
    block = next(b for b in home.blocks if b.get("block_id") == block_id)
    await post_home_click(stack, email, home, block_id, block["elements"][0])


async def post_home_click(
    stack: BotStack, email: str, home: View, block_id: str, button: dict[str, Any]
) -> None:
    """A button click in the Home tab, as Slack reports it: the container is the view, and
    there is no channel and no message."""
    action_id = button["action_id"]
    user = stack.standin.user_by_email(email)
    payload = {
        "type": "block_actions",
        "user": user.as_payload_user(),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": {"type": "view", "view_id": home.id},
        "trigger_id": stack.standin.issue_trigger(user.id),
        "team": TEAM,
        "view": home.as_slack(),
        "actions": [
            {
                "action_id": action_id,
                "block_id": block_id,
                "text": button["text"],
                "value": button["value"],
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
    assert await stack.post_to_bot(urlencode({"payload": json.dumps(payload)})) == 200


async def home_without(stack: BotStack, email: str, workflow_id: str, shown_hash: str) -> View:
    """The person's Home tab once the bot published it again without the review's buttons."""
    user_id = stack.user_id(email)

    async def republished() -> View:
        view = stack.standin.home_view_of(user_id)
        assert view is not None and view.hash != shown_hash, "Home tab not published again"
        assert not [v for _, _, v in buttons(view.definition) if v.workflow_id == workflow_id]
        return view

    return await eventually(republished)


async def home_of_reviewer(stack: BotStack, email: str) -> tuple[str, View]:
    """A new review, and the reviewer's Home tab showing it with buttons."""
    workflow_id = await stack.submit()
    await stack.review_message(email)
    await pending_indexed(stack, email, workflow_id)
    return workflow_id, await open_home(stack, email)
