"""`update_review_message(s)` take both shapes of a closing while older reviews run: the
sentences reviews started before `review-messages-carry-facts` send, and the facts newer ones
send. Both arrive as Temporal's converter reads them from the JSON in a history."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from temporalio.converter import DataConverter
from temporalio.exceptions import ApplicationError

from activities.review_messages import ReviewMessageActivities
from tests.activities.activity_runs import ALICE, OWNER, dm_of, scheduled_activity
from tests.activities.review_fixtures import (
    closed_update,
    closed_with_facts,
    decision,
    review_request,
)
from tests.fixtures.slack_standin import SlackStandInForTests
from tests.slack_presentation.block_views import texts
from workflow import message_facts
from workflow.activity_payloads import PostedMessage, ReviewMessageUpdate
from workflow.message_facts import RoundEnding
from workflow.models import Withdrawal

OWNER_EMAIL = "owner@example.com"
ENDED = (
    "Version 2 was rejected by bob@example.com at Review1.b; owner@example.com was asked for a"
    " new version."
)


def as_scheduled(update: ReviewMessageUpdate, *, drop: tuple[str, ...] = ()) -> Any:
    """`update` as the workflow's history holds it, read back by Temporal's converter.
    `drop`: fields a workflow of its time did not write."""
    converter = DataConverter.default.payload_converter
    raw = json.loads(converter.to_payloads([update])[0].data)
    for name in drop:
        del raw[name]
    [payload] = converter.to_payloads([raw])
    return converter.from_payloads([payload], [ReviewMessageUpdate])[0]


async def posted_request(activities: ReviewMessageActivities) -> list[PostedMessage]:
    return await scheduled_activity().run(activities.dispatch_review_request, review_request())


async def test_an_older_review_and_a_newer_one_close_their_messages_alike(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    older, newer = await posted_request(slack_activities), await posted_request(slack_activities)
    rejected = decision(approved=False, reason="Missing units")
    ending = RoundEnding(
        "rejected", 2, by="bob@example.com", stage="Review1.b", submitter=OWNER_EMAIL
    )
    sentences = closed_update(
        "Rejected by alice@example.com: Missing units",
        messages=older,
        decision=rejected,
        ending=ENDED,
    )
    facts = closed_with_facts(
        message_facts.decided(rejected), round_ending=ending, messages=newer, decision=rejected
    )

    await scheduled_activity().run(
        slack_activities.update_review_message,
        as_scheduled(sentences, drop=("closing", "round_ending")),
    )
    await scheduled_activity().run(slack_activities.update_review_message, as_scheduled(facts))

    first, second = dm_of(slack_standin, "alice@example.com")
    assert first.edited and second.edited
    # Block ids are Slack's own; every text a reader sees is the same.
    assert texts(first.blocks) == texts(second.blocks) and first.text == second.text
    shown = json.dumps(second.blocks, ensure_ascii=False)
    assert f":x: *Rejected* by {ALICE}" in shown
    assert f"Version 2 was rejected by <@U0BOB00001> at Review1.b; {OWNER} was asked" in shown


async def test_one_activity_closes_a_round_sent_as_facts(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    alice = await posted_request(slack_activities)
    withdrawal = message_facts.withdrawn(Withdrawal(OWNER_EMAIL, "Wrong team"))
    updates = [
        as_scheduled(
            closed_with_facts(
                withdrawal, round_ending=RoundEnding("withdrawn", 2, by=OWNER_EMAIL), messages=alice
            )
        )
    ]

    failures = await scheduled_activity().run(slack_activities.update_review_messages, updates)

    assert failures == [""]
    [message] = dm_of(slack_standin, "alice@example.com")
    shown = json.dumps(message.blocks, ensure_ascii=False)
    assert f"*Withdrawn by {OWNER}: Wrong team*" in shown
    assert f"The review of version 2 was withdrawn by {OWNER}; nothing is left to do." in shown


async def test_an_update_saying_neither_why_is_refused_and_the_message_kept(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    posted = await posted_request(slack_activities)
    unreadable = replace(closed_update("", messages=posted), outcome=None)

    with pytest.raises(ApplicationError) as refused:
        await scheduled_activity().run(slack_activities.update_review_message, unreadable)

    assert refused.value.non_retryable
    assert "says neither why it closed (closing) nor in words (outcome)" in str(refused.value)
    [message] = dm_of(slack_standin, "alice@example.com")
    assert not message.edited
