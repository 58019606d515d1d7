"""Review requests and their closed form, posted by the Slack activities to the local Slack
stand-in, run as Temporal runs them."""

from __future__ import annotations

import json

from activities.review_messages import ReviewMessageActivities
from schemas.store import SchemaStore
from slack_presentation.review_actions import (
    ACTION_APPROVE,
    ACTION_ESCALATE,
    ACTION_REJECT,
    ReviewButtonValue,
)
from slack_sandbox.records import Message
from tests.activities.activity_runs import (
    ALICE,
    OWNER,
    another_worker,
    buttons,
    dm_of,
    scheduled_activity,
)
from tests.activities.review_fixtures import (
    closed_update,
    decision,
    review_request,
)
from tests.fixtures.slack_standin import SlackStandInForTests
from workflow.activity_payloads import PostedMessage, ReviewMessageUpdate
from workflow.models import REVIEW_1A, REVIEW_3

REVIEW_CHANNEL = "C0REVIEWS01"


def button_values(message: Message) -> dict[str, ReviewButtonValue]:
    return {
        element["action_id"]: ReviewButtonValue.decode(element["value"])
        for element in buttons(message)
    }


async def test_reviewer_gets_a_dm_with_buttons_that_identify_the_review(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    posted = await scheduled_activity().run(
        slack_activities.dispatch_review_request, review_request()
    )

    [message] = dm_of(slack_standin, "alice@example.com")
    alice = slack_standin.user_by_email("alice@example.com").id
    assert posted == [PostedMessage(slack_standin.dm_channel_of(alice), message.ts)]
    # The reviewer is named in the value: their own click needs no lookup of who they are.
    expected = ReviewButtonValue(
        "schema-approval-inventory-service", REVIEW_1A, 2, alice, "alice@example.com"
    )
    assert button_values(message) == {
        ACTION_APPROVE: expected,
        ACTION_REJECT: expected,
        ACTION_ESCALATE: expected,
    }
    # What the reader sees: the buttons' values (the reviewer's email among them) are not shown.
    shown = json.dumps(
        [b for b in message.blocks if b.get("type") != "actions"], ensure_ascii=False
    )
    assert "Schema review: inventory-service v2" in shown
    assert f"*Submitted by*\\n{OWNER}" in shown
    assert f"*Reviewer*\\n{ALICE}" in shown
    assert shown.count(ALICE) == 1  # named once, as the reviewer
    assert "@example.com" not in shown
    assert message.text == (
        "Schema review requested: inventory-service v2, Review1.a — first-round review,"
        f" submitted by {OWNER}"
    )


async def test_compliance_reviewer_cannot_escalate(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    request = review_request(stage=REVIEW_3, reviewer="dave@example.com", allow_escalate=False)

    await scheduled_activity().run(slack_activities.dispatch_review_request, request)

    [message] = dm_of(slack_standin, "dave@example.com")
    assert list(button_values(message)) == [ACTION_APPROVE, ACTION_REJECT]


async def test_review_channel_gets_a_copy_with_the_same_buttons(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    request = review_request(review_channel=REVIEW_CHANNEL)

    dm, copy = await scheduled_activity().run(slack_activities.dispatch_review_request, request)

    [in_channel] = slack_standin.messages_in(REVIEW_CHANNEL)
    [in_dm] = dm_of(slack_standin, "alice@example.com")
    assert copy == PostedMessage(REVIEW_CHANNEL, in_channel.ts)
    assert dm == PostedMessage(in_dm.channel, in_dm.ts)
    assert button_values(in_channel) == button_values(in_dm)


async def test_closing_a_review_removes_the_buttons_and_shows_the_outcome(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    posted = await scheduled_activity().run(
        slack_activities.dispatch_review_request, review_request(review_channel=REVIEW_CHANNEL)
    )
    deleted = PostedMessage(REVIEW_CHANNEL, "1.000001")  # e.g. someone deleted it
    update = closed_update(
        "Rejected by alice@example.com",
        messages=[*posted, deleted],
        decision=decision(approved=False, reason="Missing units"),
    )

    await scheduled_activity().run(slack_activities.update_review_message, update)

    for message in (
        *dm_of(slack_standin, "alice@example.com"),
        *slack_standin.messages_in(REVIEW_CHANNEL),
    ):
        shown = json.dumps(message.blocks, ensure_ascii=False)
        assert buttons(message) == []
        assert message.edited
        assert f":x: *Rejected* by {ALICE} · Review1.a — first-round review · <!date^" in shown
        # One line says who decided: the workflow's own "Rejected by …" is not repeated.
        assert shown.count("Rejected") == 1
        assert "Reason: Missing units" in shown
        assert "Schema review: inventory-service v2" in shown
        assert message.text == (
            "Schema review inventory-service v2 (Review1.a — first-round review):"
            f" :x: *Rejected* by {ALICE}"
        )


async def test_a_closed_review_keeps_what_it_showed_when_the_request_comes_along(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    request = review_request()
    posted = await scheduled_activity().run(slack_activities.dispatch_review_request, request)
    update = closed_update(
        "Approved by alice@example.com", messages=posted, decision=decision(), request=request
    )

    await scheduled_activity().run(slack_activities.update_review_message, update)

    [message] = dm_of(slack_standin, "alice@example.com")
    shown = json.dumps(message.blocks, ensure_ascii=False)
    assert buttons(message) == []
    for kept in (
        "Schema review: inventory-service v2",
        "Review1.a — first-round review",
        "Adds the warehouse field",
        f"*Submitted by*\\n{OWNER}",
        "0123456789ab",
        "added property warehouse (string)",
        f":white_check_mark: *Approved* by {ALICE} · Review1.a — first-round review · <!date^",
        "2025-03-04 10:15 UTC",
    ):
        assert kept in shown, f"{kept!r} is gone from the closed message: {shown}"


def superseded_by_nobody(posted: list[PostedMessage]) -> ReviewMessageUpdate:
    return closed_update(
        "No longer needed: nobody@example.com rejected at Review1.b", messages=posted
    )


async def test_someone_slack_does_not_know_is_shown_by_email(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    posted = await scheduled_activity().run(
        slack_activities.dispatch_review_request, review_request()
    )

    await scheduled_activity().run(
        slack_activities.update_review_message, superseded_by_nobody(posted)
    )

    [message] = dm_of(slack_standin, "alice@example.com")
    assert buttons(message) == [] and message.edited
    shown = json.dumps(message.blocks)
    assert "*No longer needed: nobody@example.com rejected at Review1.b*" in shown
    assert f"*Reviewer*\\n{ALICE}" in shown
    assert message.text.endswith("No longer needed: nobody@example.com rejected at Review1.b")


async def test_a_failed_lookup_shows_emails_and_still_closes_the_message(
    slack_standin: SlackStandInForTests,
    slack_activities: ReviewMessageActivities,
    store: SchemaStore,
) -> None:
    posted = await scheduled_activity().run(
        slack_activities.dispatch_review_request, review_request()
    )
    # A worker that has looked nobody up yet, and Slack refusing both of its lookups.
    fresh = another_worker(slack_standin, store)
    slack_standin.fail_next("users.lookupByEmail", error="missing_scope", times=2)

    await scheduled_activity().run(fresh.update_review_message, superseded_by_nobody(posted))

    [message] = dm_of(slack_standin, "alice@example.com")
    assert buttons(message) == [] and message.edited
    assert "*Reviewer*\\nalice@example.com" in json.dumps(message.blocks)


async def test_one_activity_closes_the_messages_of_a_round_each_once(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    alice = await scheduled_activity().run(
        slack_activities.dispatch_review_request, review_request()
    )
    bob = await scheduled_activity().run(
        slack_activities.dispatch_review_request,
        review_request("Review1.b", "bob@example.com"),
    )
    ended = "Version 2 was approved; the review is complete."
    updates = [
        closed_update("Approved by alice@example.com", messages=alice, ending=ended),
        closed_update(
            "Approved by bob@example.com",
            messages=bob,
            stage="Review1.b",
            reviewer="bob@example.com",
            ending=ended,
        ),
    ]

    failures = await scheduled_activity().run(slack_activities.update_review_messages, updates)

    assert failures == ["", ""]
    for email in ("alice@example.com", "bob@example.com"):
        [message] = dm_of(slack_standin, email)
        assert buttons(message) == [] and message.edited
        assert ended in json.dumps(message.blocks)
    assert len(slack_standin.calls_to("chat.update")) == 2


async def test_a_message_that_cannot_be_closed_leaves_the_others_closed(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    bob = await scheduled_activity().run(
        slack_activities.dispatch_review_request,
        review_request("Review1.b", "bob@example.com"),
    )
    gone = PostedMessage("C0GONE0001", "1.000001")
    updates = [
        closed_update("Approved by alice@example.com", messages=[gone]),
        closed_update(
            "Approved by bob@example.com",
            messages=bob,
            stage="Review1.b",
            reviewer="bob@example.com",
        ),
    ]
    slack_standin.fail_next("chat.update", error="channel_not_found")

    failures = await scheduled_activity().run(slack_activities.update_review_messages, updates)

    assert failures[0] and failures[1] == ""
    [message] = dm_of(slack_standin, "bob@example.com")
    assert buttons(message) == [] and message.edited
