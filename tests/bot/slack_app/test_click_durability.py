"""A click is answered 200 only once it is durable: its line in the click journal, or its
signal in the review's history. When neither can be done in time, Slack shows the reviewer that
the click failed, and nothing is recorded."""

from __future__ import annotations

from pathlib import Path

from temporalio.client import Client

from bot.reviews.decisions import SERVICE_UNREACHABLE
from slack_presentation.review_actions import ACTION_APPROVE
from tests.bot.reviews.test_temporal_unreachable import closed_port
from tests.bot.slack_app.test_buttons import ALICE, closed
from tests.fixtures.bot_stack import BotStack, buttons


def unusable_journal_dir(tmp_path: Path) -> Path:
    """Under a file: no directory can be made there."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    return blocker / "click-journal"


async def test_with_no_journal_and_no_temporal_the_click_is_not_answered_200(
    bot_stack: BotStack, tmp_path: Path
) -> None:
    workflow_id = await bot_stack.submit()
    message = await bot_stack.review_message(ALICE)
    gone = await Client.connect(f"127.0.0.1:{closed_port()}", lazy=True)
    settings = bot_stack.settings.model_copy(
        update={"click_journal_dir": unusable_journal_dir(tmp_path)}
    )
    bot_stack.standin.point_at_bot((await bot_stack.start_bot(gone, settings)).events_url)

    result = await bot_stack.click(ALICE, message, ACTION_APPROVE)

    assert result.status == 503
    assert (await bot_stack.status(workflow_id)).decisions == []
    assert buttons(message)
    # Not told "recorded", nor told "NOT recorded" after a 200: Slack shows the failure.
    told = [e.text for e in bot_stack.standin.ephemerals_for(bot_stack.user_id(ALICE))]
    assert not any(SERVICE_UNREACHABLE in t or "Recorded" in t for t in told)


async def test_with_no_journal_the_signal_in_the_history_makes_the_click_durable(
    bot_stack: BotStack, tmp_path: Path
) -> None:
    workflow_id = await bot_stack.submit()
    message = await bot_stack.review_message(ALICE)
    settings = bot_stack.settings.model_copy(
        update={"click_journal_dir": unusable_journal_dir(tmp_path)}
    )
    server = await bot_stack.start_bot(bot_stack.temporal, settings)
    bot_stack.standin.point_at_bot(server.events_url)

    assert (await bot_stack.click(ALICE, message, ACTION_APPROVE)).status == 200

    await closed(bot_stack, message)
    assert [d.reviewer for d in (await bot_stack.status(workflow_id)).decisions] == [ALICE]
