"""A person reassigning a reviewer in the stand-in: the button, the modal, what they are told."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp

from slack_presentation.reassign_modal import (
    ACTION_REASSIGN,
    REASON_BLOCK,
    REVIEWER_BLOCK,
    SEAT_BLOCK,
)
from slack_sandbox import InteractionResult
from slack_sandbox import app_requests as payloads
from slack_sandbox.interactions import sign
from slack_sandbox.records import Ephemeral, View
from slack_sandbox.view_state import state_values
from tests.bot.slack_app.command_runs import run_command
from tests.fixtures.bot_stack import BotStack
from tests.helpers import eventually
from workflow.models import workflow_id_for


def schema_of(workflow_id: str) -> str:
    return workflow_id.removeprefix(workflow_id_for(""))


def has_reassign_button(blocks: list[dict[str, Any]]) -> bool:
    return ACTION_REASSIGN in json.dumps(blocks)


async def status_reply(stack: BotStack, email: str, workflow_id: str) -> Ephemeral:
    """`/schema-status <schema>` run by `email`: the reply only they see."""
    return await run_command(stack, email, "/schema-status", schema_of(workflow_id))


async def reassign_form(stack: BotStack, email: str, reply: Ephemeral) -> View:
    """`email` clicks "Reassign a reviewer" on a status reply; the modal that opened."""
    user_id = stack.user_id(email)
    result = await stack.standin.click_button(user_id, reply.channel, reply.ts, ACTION_REASSIGN)
    assert result.status == 200
    return await opened_modal(stack, email)


async def opened_modal(stack: BotStack, email: str) -> View:
    user_id = stack.user_id(email)

    async def opened() -> View:
        modals = stack.standin.open_modals_of(user_id)
        assert modals, f"No modal opened for {email}"
        return modals[-1]

    return await eventually(opened)


def form_values(stack: BotStack, seat: str, reviewer: str, reason: str = "") -> dict[str, Any]:
    """What a person picks and types: `reviewer` is an email of a simulated person or a user id."""
    user_id = reviewer if "@" not in reviewer else stack.user_id(reviewer)
    values: dict[str, Any] = {SEAT_BLOCK: seat, REVIEWER_BLOCK: user_id}
    if reason:
        values[REASON_BLOCK] = reason
    return values


async def submit_form(
    stack: BotStack, email: str, form: View, seat: str, reviewer: str, reason: str = ""
) -> InteractionResult:
    values = form_values(stack, seat, reviewer, reason)
    return await stack.standin.submit_view(stack.user_id(email), form.id, values)


def errors_of(result: InteractionResult) -> dict[str, str]:
    """The sentences the bot put under the modal's fields (none when it closed the modal)."""
    answer = result.json() or {}
    assert result.status == 200, result
    if answer.get("response_action") != "errors":
        return {}
    return dict(answer["errors"])


async def submit_as(
    stack: BotStack, email: str, form: View, seat: str, reviewer: str
) -> dict[str, str]:
    """A submission of someone else's modal by `email`, as a forged or replayed request would
    arrive (signed, since it comes through Slack): the errors the bot answered with."""
    user = stack.standin.user_by_email(email)
    values, _ = state_values(form, form_values(stack, seat, reviewer), stack.standin.state.users)
    payload = payloads.view_submission(
        user=user, view=form, values=values, trigger_id=stack.standin.issue_trigger(user.id)
    )
    body = urlencode({"payload": json.dumps(payload)})
    stamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": sign(stack.standin.signing_secret, stamp, body),
    }
    async with (
        aiohttp.ClientSession() as session,
        session.post(stack.bot.events_url, data=body, headers=headers) as response,
    ):
        assert response.status == 200
        answer = json.loads(await response.text() or "{}")
    return dict(answer.get("errors") or {})
