"""The Slack activities against the local Slack stand-in, run as Temporal runs them."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError

from activities.review_actions import (
    ACTION_APPROVE,
    ACTION_ESCALATE,
    ACTION_REJECT,
    ReviewButtonValue,
)
from activities.review_messages import ReviewMessageActivities
from activities.schema_store import SchemaStore
from activities.slack_client import build_slack_client
from slack_sandbox import SlackStandIn
from slack_sandbox.records import Channel, Message
from tests.activities.activity_runs import buttons, dm_of, scheduled_activity
from tests.activities.review_fixtures import (
    DIGEST,
    closed_update,
    decision,
    finalize_request,
    review_request,
    revision_request,
)
from workflow.activity_payloads import PostedMessage, ReviewMessageUpdate
from workflow.models import REVIEW_1A, REVIEW_3

REVIEW_CHANNEL = "C0REVIEWS01"
ALICE, OWNER, CAROL = "<@U0ALICE001>", "<@U0OWNER001>", "<@U0CAROL001>"


@pytest.fixture
def store(tmp_path: Path) -> SchemaStore:
    """The real store, holding version 2 as `upload_schema` would have left it."""
    store = SchemaStore(tmp_path / "schemas")
    store.save("inventory-service", 2, b'{"type": "object"}', "JSON Schema", DIGEST)
    return store


@pytest.fixture
def slack_activities(slack_standin: SlackStandIn, store: SchemaStore) -> ReviewMessageActivities:
    return ReviewMessageActivities(
        build_slack_client(slack_standin.bot_token, slack_standin.api_url), store
    )


def another_worker(standin: SlackStandIn, store: SchemaStore) -> ReviewMessageActivities:
    """Activities that have looked nobody up yet, as on a worker that just started."""
    return ReviewMessageActivities(build_slack_client(standin.bot_token, standin.api_url), store)


def button_values(message: Message) -> dict[str, ReviewButtonValue]:
    return {
        element["action_id"]: ReviewButtonValue.decode(element["value"])
        for element in buttons(message)
    }


async def test_reviewer_gets_a_dm_with_buttons_that_identify_the_review(
    slack_standin: SlackStandIn, slack_activities: ReviewMessageActivities
) -> None:
    posted = await scheduled_activity().run(
        slack_activities.dispatch_review_request, review_request()
    )

    [message] = dm_of(slack_standin, "alice@example.com")
    alice = slack_standin.user_by_email("alice@example.com").id
    assert posted == [PostedMessage(slack_standin.dm_channel_of(alice), message.ts)]
    expected = ReviewButtonValue("schema-approval-inventory-service", REVIEW_1A, 2)
    assert button_values(message) == {
        ACTION_APPROVE: expected,
        ACTION_REJECT: expected,
        ACTION_ESCALATE: expected,
    }
    shown = json.dumps(message.blocks, ensure_ascii=False)
    assert "Schema review: inventory-service v2" in shown
    assert f"*Submitted by*\\n{OWNER}" in shown
    assert f"*Reviewer*\\n{ALICE}" in shown
    assert f"requested from {ALICE}" in shown
    assert "@example.com" not in shown
    assert message.text == (
        "Schema review requested: inventory-service v2, Review1.a — first-round review,"
        f" submitted by {OWNER}"
    )


async def test_compliance_reviewer_cannot_escalate(
    slack_standin: SlackStandIn, slack_activities: ReviewMessageActivities
) -> None:
    request = review_request(stage=REVIEW_3, reviewer="dave@example.com", allow_escalate=False)

    await scheduled_activity().run(slack_activities.dispatch_review_request, request)

    [message] = dm_of(slack_standin, "dave@example.com")
    assert list(button_values(message)) == [ACTION_APPROVE, ACTION_REJECT]


async def test_review_channel_gets_a_copy_with_the_same_buttons(
    slack_standin: SlackStandIn, slack_activities: ReviewMessageActivities
) -> None:
    request = review_request(review_channel=REVIEW_CHANNEL)

    dm, copy = await scheduled_activity().run(slack_activities.dispatch_review_request, request)

    [in_channel] = slack_standin.messages_in(REVIEW_CHANNEL)
    [in_dm] = dm_of(slack_standin, "alice@example.com")
    assert copy == PostedMessage(REVIEW_CHANNEL, in_channel.ts)
    assert dm == PostedMessage(in_dm.channel, in_dm.ts)
    assert button_values(in_channel) == button_values(in_dm)


async def test_closing_a_review_removes_the_buttons_and_shows_the_outcome(
    slack_standin: SlackStandIn, slack_activities: ReviewMessageActivities
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
    slack_standin: SlackStandIn, slack_activities: ReviewMessageActivities
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
    slack_standin: SlackStandIn, slack_activities: ReviewMessageActivities
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
    slack_standin: SlackStandIn, slack_activities: ReviewMessageActivities, store: SchemaStore
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


async def test_a_rate_limited_post_is_retried_and_posted_once(
    slack_standin: SlackStandIn, slack_activities: ReviewMessageActivities
) -> None:
    slack_standin.fail_next("chat.postMessage", error="ratelimited", retry_after=1)

    await scheduled_activity().run(slack_activities.dispatch_review_request, review_request())

    assert len(dm_of(slack_standin, "alice@example.com")) == 1
    attempts = slack_standin.calls_to("chat.postMessage")
    assert [call.http_status for call in attempts] == [429, 200]


async def test_a_retry_of_the_same_activity_does_not_post_the_dm_again(
    slack_standin: SlackStandIn, slack_activities: ReviewMessageActivities
) -> None:
    env = scheduled_activity()
    request = review_request(review_channel="C0LATE0001")
    with pytest.raises(ApplicationError) as failed:
        await env.run(slack_activities.dispatch_review_request, request)
    assert failed.value.type == "SlackChannelNotFound"
    assert "C0LATE0001" in failed.value.message
    slack_standin.state.channels["C0LATE0001"] = Channel("C0LATE0001", "late-reviews")

    await env.run(slack_activities.dispatch_review_request, request)

    assert len(dm_of(slack_standin, "alice@example.com")) == 1
    assert len(slack_standin.messages_in("C0LATE0001")) == 1


async def test_unknown_reviewer_email_fails_without_retry(
    slack_standin: SlackStandIn, slack_activities: ReviewMessageActivities
) -> None:
    request = review_request(reviewer="nobody@example.com")

    with pytest.raises(ApplicationError) as failed:
        await scheduled_activity().run(slack_activities.dispatch_review_request, request)

    assert failed.value.type == "SlackUserNotFound"
    assert failed.value.non_retryable
    assert failed.value.message == (
        "No Slack user has the email nobody@example.com; check the reviewer roster."
    )
    assert slack_standin.calls_to("chat.postMessage") == []


async def test_a_rejected_token_fails_without_retry_and_without_the_token(
    slack_standin: SlackStandIn, store: SchemaStore
) -> None:
    wrong = ReviewMessageActivities(
        build_slack_client("xoxb-wrong-token", slack_standin.api_url), store
    )

    with pytest.raises(ApplicationError) as failed:
        await scheduled_activity().run(wrong.dispatch_review_request, review_request())

    assert failed.value.type == "SlackAuthError"
    assert failed.value.non_retryable
    assert "SLACK_BOT_TOKEN" in failed.value.message
    assert "xoxb" not in failed.value.message


async def test_submitter_is_told_the_reason_and_how_to_resubmit(
    slack_standin: SlackStandIn, slack_activities: ReviewMessageActivities
) -> None:
    posted = await scheduled_activity().run(
        slack_activities.record_revision_request, revision_request()
    )

    message = slack_standin.last_message_to("owner@example.com")
    assert message is not None
    assert posted == [PostedMessage(message.channel, message.ts)]
    shown = json.dumps(message.blocks, ensure_ascii=False)
    assert f"rejected by {CAROL} at Review2 — senior review." in shown
    assert f"rejected by {CAROL} at Review2" in message.text
    assert "The warehouse field needs a maximum length." in shown
    assert (
        "/submit-schema inventory-service 3 https://example.com/schemas/inventory-v2.json" in shown
    )


async def test_finalizing_marks_the_version_approved_and_tells_everyone_involved(
    slack_standin: SlackStandIn, slack_activities: ReviewMessageActivities, store: SchemaStore
) -> None:
    request = finalize_request()

    await scheduled_activity().run(slack_activities.finalize_review, request)

    stored = store.get("inventory-service", 2)
    assert stored is not None
    assert stored.approved
    owner_note = slack_standin.last_message_to("owner@example.com")
    assert owner_note is not None
    shown = json.dumps(owner_note.blocks, ensure_ascii=False)
    assert "Approved: inventory-service v2" in shown
    assert f"• :white_check_mark: *Approved* by {ALICE} · Review1.a" in shown
    assert f"*Approved* by {CAROL} · Review2" in shown
    # Carol's rejection of version 1 is history, not part of this approval.
    assert "Rejected" not in shown
    for reviewer in ("alice@example.com", "bob@example.com", "carol@example.com"):
        [note] = dm_of(slack_standin, reviewer)
        assert "inventory-service v2 is approved" in note.text
    # Review3 was not needed, so the compliance reviewer was never involved.
    assert dm_of(slack_standin, "dave@example.com") == []


async def test_finalizing_without_a_store_fails_clearly_and_tells_no_one(
    slack_standin: SlackStandIn,
) -> None:
    no_store = ReviewMessageActivities(
        build_slack_client(slack_standin.bot_token, slack_standin.api_url), None
    )

    with pytest.raises(ApplicationError) as failed:
        await scheduled_activity().run(no_store.finalize_review, finalize_request())

    assert failed.value.type == "SchemaStoreMissing"
    assert failed.value.non_retryable
    assert slack_standin.calls_to("chat.postMessage") == []


async def test_a_version_the_store_does_not_hold_is_not_announced_as_approved(
    slack_standin: SlackStandIn, slack_activities: ReviewMessageActivities, store: SchemaStore
) -> None:
    request = finalize_request()
    request.upload = replace(request.upload, digest="sha256:" + "f" * 64)

    with pytest.raises(ApplicationError) as failed:
        await scheduled_activity().run(slack_activities.finalize_review, request)

    assert failed.value.type == "SchemaNotApprovable"
    assert failed.value.non_retryable
    assert "not marked approved" in failed.value.message
    stored = store.get("inventory-service", 2)
    assert stored is not None
    assert not stored.approved
    assert slack_standin.calls_to("chat.postMessage") == []
