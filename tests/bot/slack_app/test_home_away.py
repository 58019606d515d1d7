"""People away in App Home, through signed requests from the Slack stand-in to the real bot,
worker and Temporal: "I'm away…" opens the form, its submission sets the absence as
`/schema-away` does, the tab shows it with "Back now", which ends it; a form that cannot apply
is refused under its field, nothing changed."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from temporalio.service import RPCError

from bot.reviews.away_client import absences_now, people_away_workflow_id
from slack_presentation.away_modal import (
    ACTION_AWAY,
    ACTION_BACK_NOW,
    DELEGATE_BLOCK,
    UNTIL_BLOCK,
)
from tests.bot.slack_app.home_runs import open_home, post_home_click
from tests.bot.slack_app.reassign_runs import errors_of, opened_modal
from tests.fixtures.bot_stack import BotStack
from tests.helpers import eventually

CAROL, ERIN = "carol@example.com", "erin@example.com"


@pytest.fixture
async def stack(bot_stack: BotStack) -> AsyncIterator[BotStack]:
    yield bot_stack
    away = bot_stack.handle(people_away_workflow_id(bot_stack.settings.temporal_task_queue))
    # Not found when the test never set anyone away.
    with contextlib.suppress(RPCError):
        await away.terminate("test finished")


async def click_away_line(stack: BotStack, email: str, action_id: str) -> None:
    home = await open_home(stack, email)
    block = next(b for b in home.blocks if b.get("block_id") == "away")
    assert block["accessory"]["action_id"] == action_id
    await post_home_click(stack, email, home, "away", block["accessory"])


async def dm_to(stack: BotStack, email: str, containing: str) -> str:
    async def arrived() -> str:
        texts = [m.text for m in stack.standin.messages_in(stack.user_id(email))]
        match = [t for t in texts if containing in t]
        assert match, f"No direct message containing {containing!r}; got {texts}"
        return match[-1]

    return await eventually(arrived)


async def test_away_from_app_home_and_back_now(stack: BotStack) -> None:
    until = (datetime.now(UTC) + timedelta(days=20)).date().isoformat()
    carol_id = stack.user_id(CAROL)

    await click_away_line(stack, CAROL, ACTION_AWAY)
    form = await opened_modal(stack, CAROL)
    result = await stack.standin.submit_view(
        carol_id, form.id, {UNTIL_BLOCK: until, DELEGATE_BLOCK: stack.user_id(ERIN)}
    )

    assert errors_of(result) == {}
    carol, erin = f"<@{carol_id}>", f"<@{stack.user_id(ERIN)}>"
    await dm_to(stack, CAROL, f"{carol} is away until {until}; {erin} decides for them")
    away = await absences_now(stack.temporal, stack.settings)
    assert [(a.person, a.until, a.delegate) for a in away] == [(CAROL, until, ERIN)]

    async def shown_away() -> None:
        home = await open_home(stack, CAROL)
        line = json.dumps(home.blocks, ensure_ascii=False)
        assert f"You are away until {until}*: {erin} decides your reviews" in line
        assert ACTION_BACK_NOW in line

    await eventually(shown_away)

    await click_away_line(stack, CAROL, ACTION_BACK_NOW)

    await dm_to(stack, CAROL, "Welcome back.")
    assert await absences_now(stack.temporal, stack.settings) == []

    async def shown_here() -> None:
        home = await open_home(stack, CAROL)
        assert ACTION_AWAY in json.dumps(home.blocks)

    await eventually(shown_here)


async def test_an_away_form_that_cannot_apply_is_refused_under_its_field(stack: BotStack) -> None:
    carol_id = stack.user_id(CAROL)
    await click_away_line(stack, CAROL, ACTION_AWAY)
    form = await opened_modal(stack, CAROL)
    future = (datetime.now(UTC) + timedelta(days=5)).date().isoformat()
    past = (datetime.now(UTC) - timedelta(days=3)).date().isoformat()

    yourself = await stack.standin.submit_view(
        carol_id, form.id, {UNTIL_BLOCK: future, DELEGATE_BLOCK: carol_id}
    )
    gone = await stack.standin.submit_view(
        carol_id, form.id, {UNTIL_BLOCK: past, DELEGATE_BLOCK: stack.user_id(ERIN)}
    )

    assert "You cannot stand in for yourself" in errors_of(yourself)[DELEGATE_BLOCK]
    assert f"{past} has passed already" in errors_of(gone)[UNTIL_BLOCK]
    assert await absences_now(stack.temporal, stack.settings) == []
