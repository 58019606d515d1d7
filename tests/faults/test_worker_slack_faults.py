"""Slack failing the worker after it acted (a 5xx once the message was posted), or refusing a
review request's channel copy: every message is posted once, and no delivered request is
mistaken for an undelivered one."""

from __future__ import annotations

from collections.abc import Callable

from slack_presentation.review_actions import ACTION_APPROVE
from slack_sandbox.records import Message
from tests.faults.conftest import FaultRow
from tests.fixtures.bot_stack import OWNER, BotStack, buttons
from tests.fixtures.worker_processes import (
    WorkerStack,
    bot_messages,
    duplicated,
    live_requests,
    until_completed,
)
from tests.helpers import eventually

REVIEWERS = {
    "alice@example.com": "Review1.a",
    "bob@example.com": "Review1.b",
    "carol@example.com": "Review2",
}


async def test_slack_answering_5xx_after_posting_duplicates_nothing(
    worker_stack: WorkerStack, report_fault: Callable[[FaultRow], None]
) -> None:
    stack, standin = worker_stack.bot, worker_stack.standin
    # Every post of the review is made by Slack and then answered 500 or 503.
    standin.fail_next("chat.postMessage", error="internal_error", after_effect=True, times=3)
    standin.fail_next("chat.postMessage", error="service_unavailable", after_effect=True, times=50)
    await worker_stack.start_worker()
    workflow_id = await stack.submit()

    for email, stage in REVIEWERS.items():
        message = await stack.review_message(email, stage=stage, within=30)
        await stack.click(email, message, ACTION_APPROVE)
    result = await stack.result(workflow_id, within=30)

    # Three review requests, the approval notice to the submitter and to each reviewer.
    expected = {(stack.user_id(e), "request") for e in REVIEWERS}
    expected |= {(stack.user_id(e), "notice") for e in [OWNER, *REVIEWERS]}
    posted = bot_messages(standin)
    delivered = {(m.channel.replace("D", "U", 1), _kind(m)) for m in posted}
    failed_answers = [c for c in standin.calls_to("chat.postMessage") if c.http_status >= 500]
    report_fault(
        FaultRow(
            "Slack 500/503 after posting, on every chat.postMessage",
            attempted=len(expected),
            recorded=len(expected & delivered),
            lost=len(expected - delivered),
            duplicated=duplicated(standin),
            note=f"{len(failed_answers)} posts answered 5xx",
        )
    )
    assert len(failed_answers) == len(expected)
    assert duplicated(standin) == 0
    assert delivered == expected
    assert len(posted) == len(expected)
    assert result.approved_version == 1


# The Web API methods the worker calls; the bot's own calls (who clicked) are left alone.
WORKER_METHODS = (
    "chat.postMessage",
    "chat.update",
    "chat.getPermalink",
    "conversations.history",
    "conversations.open",
    "users.lookupByEmail",
)


async def test_thirty_percent_of_slack_failing_before_acting_loses_and_repeats_nothing(
    worker_stack: WorkerStack, report_fault: Callable[[FaultRow], None]
) -> None:
    stack, standin = worker_stack.bot, worker_stack.standin
    chance = standin.faults.at_random(
        WORKER_METHODS,
        fraction=0.3,
        errors=("internal_error", "service_unavailable", "ratelimited"),
        seed=7,
    )
    await worker_stack.start_worker()
    workflow_id = await stack.submit()

    for email, stage in REVIEWERS.items():
        message = await stack.review_message(email, stage=stage, within=40)
        await stack.click(email, message, ACTION_APPROVE)
    result = await stack.result(workflow_id, within=40)

    recorded = [(d.stage, d.reviewer) for d in result.decisions]
    report_fault(
        FaultRow(
            "30% of the worker's Slack calls failing before Slack acts (429/500/503)",
            attempted=len(REVIEWERS),
            recorded=len(recorded),
            lost=len(REVIEWERS) - len(recorded),
            duplicated=duplicated(standin),
            note=f"{chance.hits} calls failed",
        )
    )
    assert chance.hits > 0
    assert recorded == [(stage, email) for email, stage in REVIEWERS.items()]
    assert duplicated(standin) == 0
    for email in REVIEWERS:
        assert live_requests(standin, stack.user_id(email)) == {}


async def test_a_failed_channel_copy_leaves_the_delivered_dm_working(
    worker_stack: WorkerStack, report_fault: Callable[[FaultRow], None]
) -> None:
    stack, standin = worker_stack.bot, worker_stack.standin
    await worker_stack.start_worker()
    # A review channel the bot cannot post to: every copy fails, for good.
    workflow_id = await stack.submit(review_channel="C0GONE0001")
    await until_completed(stack, workflow_id, "dispatch_review_request", 2)
    await _until_history(stack, workflow_id, "to the review channel", 2)

    alice = await stack.review_message("alice@example.com")
    outcome = await stack.click("alice@example.com", alice, ACTION_APPROVE)
    await until_completed(stack, workflow_id, "update_review_message", 1)

    status = await stack.status(workflow_id)
    texts = [entry.text for entry in status.history]
    undelivered = [t for t in texts if "could not be delivered" in t or "Could not send" in t]
    closed = standin.state.find_message(alice.channel, alice.ts)
    report_fault(
        FaultRow(
            "review channel copy refused after the DM was delivered",
            attempted=2,
            recorded=2 - len(undelivered),
            lost=len(undelivered),
            duplicated=duplicated(standin),
            note="DM buttons closed after the decision" if closed and not buttons(closed) else "",
        )
    )
    assert outcome.status == 200, outcome
    assert [(d.stage, d.approved) for d in status.decisions] == [("Review1.a", True)]
    assert undelivered == []
    assert closed is not None and buttons(closed) == []
    assert live_requests(standin, stack.user_id("bob@example.com")) == {("Review1.b", 1): 1}
    # The submitter is not asked to reassign a reviewer who has the request.
    assert standin.messages_in(stack.user_id(OWNER)) == []
    assert duplicated(standin) == 0


def _kind(message: Message) -> str:
    first = message.revisions[0].text if message.revisions else message.text
    return "request" if first.startswith("Schema review requested") else "notice"


async def _until_history(stack: BotStack, workflow_id: str, fragment: str, count: int) -> None:
    async def noted() -> None:
        status = await stack.status(workflow_id)
        found = [e.text for e in status.history if fragment in e.text]
        assert len(found) >= count, found

    await eventually(noted, within=30)
