"""A listener that fails unexpectedly after Slack's ack: the person hears that something went
wrong and how to check, rather than nothing."""

from __future__ import annotations

import importlib

import pytest

from bot.slack_app.listeners.errors import UNEXPECTED_FAILURE
from slack_presentation.review_actions import ACTION_REJECT
from tests.fixtures.bot_stack import BotStack, buttons
from tests.helpers import eventually

ALICE = "alice@example.com"


async def test_an_unexpected_failure_in_a_listener_is_told_to_the_person(
    bot_stack: BotStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(*_: object) -> None:
        raise RuntimeError("a form nobody planned for")

    # The package exports the listener under the module's name: take the module itself.
    module = importlib.import_module("bot.slack_app.listeners.actions.reject_review")
    monkeypatch.setattr(module, "reject_reason_modal", failing)
    await bot_stack.submit()
    message = await bot_stack.review_message(ALICE)

    await bot_stack.click(ALICE, message, ACTION_REJECT)

    alice = bot_stack.user_id(ALICE)

    async def told() -> None:
        texts = [e.text for e in bot_stack.standin.ephemerals_for(alice)]
        assert texts == [UNEXPECTED_FAILURE]

    await eventually(told, within=10)
    assert buttons(message) and bot_stack.standin.open_modals_of(alice) == []
