"""`/schema-status` without a schema id, by signed requests to the bot: the true count of open
reviews, pages of 20 (buttons and `page N`), and the lists `mine`, `waiting` and `owner`."""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from bot.reviews.lookup import open_reviews_query, pending_for_query
from bot.reviews.pages import count_reviews
from bot.slack_app.services.command_parsing import STATUS_USAGE
from slack_sandbox.records import Ephemeral
from tests.bot.slack_app.command_runs import run_command
from tests.fixtures.bot_stack import ADMIN_EMAIL, OWNER, ROSTER, BotStack
from tests.helpers import eventually

ALICE, BOB, CAROL = ROSTER.reviewer_a, ROSTER.reviewer_b, ROSTER.senior_reviewer
DAVE = ROSTER.compliance_reviewer


async def open_reviews(stack: BotStack, owners: dict[str, int]) -> list[str]:
    """Start this many reviews per owner; returns their schema ids once Temporal's visibility
    store lists them all as waiting for Review1.a."""
    prefix = uuid.uuid4().hex[:6]
    schema_ids = []
    for owner, count in owners.items():
        for n in range(count):
            schema_id = f"list-{prefix}-{owner.split('@')[0]}-{n:02d}"
            await stack.submit(schema_id, submitted_by=owner)
            schema_ids.append(schema_id)
    queue = stack.settings.temporal_task_queue

    async def listed() -> None:
        waiting = await count_reviews(stack.temporal, pending_for_query(queue, ALICE))
        assert waiting == len(schema_ids)
        assert await count_reviews(stack.temporal, open_reviews_query(queue)) == len(schema_ids)

    await eventually(listed, within=60)
    return schema_ids


def listed_ids(blocks: list[dict[str, Any]], after: str) -> list[str]:
    """The schema ids on the list's lines, after the section starting with `after`."""
    text = "\n".join(block["text"]["text"] for block in blocks if block["type"] == "section").split(
        after, 1
    )[1]
    return re.findall(r"^• \*([^*]+)\*", text, flags=re.MULTILINE)


def page_buttons(blocks: list[dict[str, Any]]) -> dict[str, str]:
    return {
        element["text"]["text"]: element["action_id"]
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
    }


async def click_page(stack: BotStack, email: str, reply: Ephemeral, label: str) -> Ephemeral:
    """Click "Next 20" or "Previous 20" on the list; the same message, once it changed."""
    before = len(reply.revisions)
    action_id = page_buttons(reply.blocks)[label]
    result = await stack.standin.click_button(
        stack.user_id(email), reply.channel, reply.ts, action_id
    )
    assert result.status == 200

    async def replaced() -> Ephemeral:
        assert len(reply.revisions) > before, f"{label} did not change the list"
        return reply

    return await eventually(replaced)


async def test_the_list_says_the_true_count_and_pages_by_twenty(bot_stack: BotStack) -> None:
    schema_ids = await open_reviews(bot_stack, {OWNER: 23})

    first = await run_command(bot_stack, ALICE, "/schema-status", "")

    assert first.text == "Open reviews: 23 open; showing 1–20, 23 waiting for your review"
    sections = json.dumps(first.blocks, ensure_ascii=False)
    assert "*Waiting for your review*: 23" in sections
    assert "…and 18 more: `/schema-status waiting`" in sections
    assert "*Open reviews*: 23 open; showing 1–20" in sections
    on_page_1 = listed_ids(first.blocks, "*Open reviews*")
    assert len(on_page_1) == 20
    assert page_buttons(first.blocks) == {"Next 20": "review_list_next"}

    second = await click_page(bot_stack, ALICE, first, "Next 20")

    assert second.text == "Open reviews: 23 open; showing 21–23"
    on_page_2 = listed_ids(second.blocks, "*Open reviews*")
    assert sorted(on_page_1 + on_page_2) == sorted(schema_ids)
    assert page_buttons(second.blocks) == {"Previous 20": "review_list_previous"}

    typed = await run_command(bot_stack, ALICE, "/schema-status", "page 2")
    assert listed_ids(typed.blocks, "*Open reviews*") == on_page_2

    back = await click_page(bot_stack, ALICE, second, "Previous 20")
    assert listed_ids(back.blocks, "*Open reviews*") == on_page_1

    past_the_end = await run_command(bot_stack, ALICE, "/schema-status", "page 9")
    assert past_the_end.text == (
        "Open reviews: 23 open; showing 21–23 (there is no page 9: 2 is the last, so it is shown)"
    )


async def test_mine_waiting_and_owner_list_whose_reviews_they_say(bot_stack: BotStack) -> None:
    await open_reviews(bot_stack, {OWNER: 3, ADMIN_EMAIL: 2})
    erin = f"<@{bot_stack.user_id(ADMIN_EMAIL)}>"

    mine = await run_command(bot_stack, OWNER, "/schema-status", "mine")
    theirs = await run_command(bot_stack, ADMIN_EMAIL, "/schema-status", "mine page 1")
    waiting = await run_command(bot_stack, BOB, "/schema-status", "waiting")
    nothing_waiting = await run_command(bot_stack, DAVE, "/schema-status", "waiting")
    by_email = await run_command(bot_stack, CAROL, "/schema-status", f"owner {ADMIN_EMAIL}")
    by_mention = await run_command(bot_stack, CAROL, "/schema-status", f"owner {erin}")

    assert mine.text == "Your open reviews: 3 open; showing 1–3"
    assert all("-owner-" in s for s in listed_ids(mine.blocks, "*Your open reviews*"))
    assert theirs.text == "Your open reviews: 2 open; showing 1–2"
    assert all("-erin-" in s for s in listed_ids(theirs.blocks, "*Your open reviews*"))
    assert waiting.text == "Waiting for your review: 5 open; showing 1–5"
    assert nothing_waiting.text == "Waiting for your review: 0 open"
    assert "No open review is waiting for you." in json.dumps(nothing_waiting.blocks)
    for reply in (by_email, by_mention):
        assert f"*Open reviews owned by {erin}*: 2 open; showing 1–2" in json.dumps(
            reply.blocks, ensure_ascii=False
        )
        assert all("-erin-" in s for s in listed_ids(reply.blocks, "*Open reviews owned by"))


async def test_a_list_that_cannot_be_read_is_refused_with_the_usage(bot_stack: BotStack) -> None:
    reply = await run_command(bot_stack, ALICE, "/schema-status", "mine page 0")

    assert reply.text.startswith(
        "No status:\n• `page` needs a page number from 1 to 500, but got '0'"
    )
    assert STATUS_USAGE in reply.text


async def test_a_page_button_that_was_not_ours_shows_nothing_and_says_so(
    bot_stack: BotStack,
) -> None:
    await open_reviews(bot_stack, {OWNER: 21})
    reply = await run_command(bot_stack, ALICE, "/schema-status", "")
    shown = reply.text
    for block in reply.blocks:
        for element in block.get("elements", []):
            if element.get("action_id") == "review_list_next":
                element["value"] = '{"k":"everything","p":2}'
    before = len(bot_stack.standin.ephemerals_for(bot_stack.user_id(ALICE)))

    await bot_stack.standin.click_button(
        bot_stack.user_id(ALICE), reply.channel, reply.ts, "review_list_next"
    )

    async def told() -> str:
        answers = bot_stack.standin.ephemerals_for(bot_stack.user_id(ALICE))[before:]
        assert answers, "The clicker was not told why nothing changed"
        return answers[-1].text

    assert (await eventually(told)).startswith("This button's list could not be read")
    assert reply.text == shown


async def test_a_page_token_the_store_does_not_take_still_shows_the_page(
    bot_stack: BotStack,
) -> None:
    schema_ids = await open_reviews(bot_stack, {OWNER: 21})
    reply = await run_command(bot_stack, ALICE, "/schema-status", "")
    on_page_1 = listed_ids(reply.blocks, "*Open reviews*")
    for block in reply.blocks:
        for element in block.get("elements", []):
            if element.get("action_id") == "review_list_next":
                assert json.loads(element["value"])["t"], "Next 20 carries the store's token"
                sealed = json.loads(element["value"])["h"]
                element["value"] = json.dumps(
                    {"k": "open", "p": 2, "t": "bm90LXRoZXNl", "h": sealed}
                )

    second = await click_page(bot_stack, ALICE, reply, "Next 20")

    assert second.text == "Open reviews: 21 open; showing 21–21"
    assert sorted(on_page_1 + listed_ids(second.blocks, "*Open reviews*")) == sorted(schema_ids)
