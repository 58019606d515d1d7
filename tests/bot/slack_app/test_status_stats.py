"""`/schema-status stats` through the bot: the numbers the last 30 days' reviews imply."""

from __future__ import annotations

import json

from tests.bot.reviews.trail_runs import run_reviews_with_a_trail
from tests.bot.slack_app.command_runs import run_command
from tests.fixtures.bot_stack import OWNER, BotStack


async def test_stats_count_what_the_reviews_did(bot_stack: BotStack) -> None:
    await run_reviews_with_a_trail(bot_stack)

    reply = await run_command(bot_stack, OWNER, "/schema-status", "stats")

    # Two reviews opened; one approved after a rejected round; one withdrawn.
    assert reply.text == (
        "Reviews of the last 30 days: 2 opened · 1 approved · 1 withdrawn · 1 round rejected."
    )
    shown = json.dumps(reply.blocks, ensure_ascii=False)
    assert "*Time to approval*: median " in shown and "(1)" in shown
    # Review1.a decided three times (Alice twice, Erin once), the others as often as asked.
    for stage, count in (("Review1.a", 3), ("Review1.b", 2), ("Review2", 1), ("Review3", 1)):
        assert f"• {stage}: median " in shown
        assert f"({count})" in shown.split(f"• {stage}: ")[1].split("\\n")[0]


async def test_stats_of_a_quiet_month_say_so(bot_stack: BotStack) -> None:
    reply = await run_command(bot_stack, OWNER, "/schema-status", "stats")

    assert reply.text == (
        "Reviews of the last 30 days: 0 opened · 0 approved · 0 withdrawn · 0 rounds rejected."
    )
    shown = json.dumps(reply.blocks, ensure_ascii=False)
    assert "*Time to approval*: none yet" in shown
    assert "• Review2: none yet" in shown
