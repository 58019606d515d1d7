"""The review request a reviewer decides on, and its closed form, as Slack would receive them."""

from __future__ import annotations

import json
from dataclasses import replace

from slack_presentation.mentions import NO_MENTIONS
from slack_presentation.reminder_blocks import closed_reminder_blocks
from slack_presentation.review_actions import (
    ACTION_APPROVE,
    ACTION_ESCALATE,
    ACTION_REJECT,
    ReviewButtonValue,
)
from slack_presentation.review_blocks import (
    closed_review_blocks,
    closed_review_people,
    closed_review_text,
    review_request_blocks,
    review_request_text,
)
from tests.activities.review_fixtures import (
    closed_update,
    decision,
    review_request,
    upload,
)
from tests.slack_presentation.block_views import PEOPLE, buttons, texts, wire
from workflow.activity_payloads import PostedMessage, ReviewReminder
from workflow.models import REVIEW_1B, REVIEW_3


def test_review_request_names_the_schema_and_every_field() -> None:
    blocks = wire(review_request_blocks(review_request(), PEOPLE))

    assert blocks[0]["type"] == "header"
    assert blocks[0]["text"]["text"] == "Schema review: inventory-service v2"
    fields = [f["text"] for f in blocks[1]["fields"]]
    assert fields == [
        "*Stage*\nReview1.a — first-round review",
        "*Submitted by*\n<@U0OWNER001>",
        "*Description*\nAdds the warehouse field",
        "*Digest*\n`0123456789ab`",
        "*Document*\n<https://example.com/schemas/inventory-v2.json|inventory-v2.json>",
        "*Format*\nJSON Schema",
        "*Reviewer*\n<@U0ALICE001>",
    ]
    assert "Review round 3 · decide with the buttons below" in texts(blocks)
    assert texts(blocks).count("<@U0ALICE001>") == 1


def test_the_channel_copy_says_whose_decision_it_is() -> None:
    blocks = wire(review_request_blocks(review_request(), PEOPLE, in_channel=True))

    assert "Review round 3 · <@U0ALICE001> decides here or in their direct messages" in texts(
        blocks
    )
    assert "decide with the buttons below" not in texts(blocks)


def test_people_without_a_slack_user_are_shown_by_their_email() -> None:
    request = review_request(stage=REVIEW_3, reviewer="dave@example.com", allow_escalate=False)

    shown = texts(wire(review_request_blocks(request, PEOPLE)))

    assert "*Reviewer*\ndave@example.com" in shown
    assert "*Submitted by*\n<@U0OWNER001>" in shown
    assert review_request_text(request, NO_MENTIONS).endswith("submitted by owner@example.com")


def test_review_buttons_carry_the_review_and_its_reviewer() -> None:
    blocks = wire(
        review_request_blocks(review_request(stage=REVIEW_1B, reviewer="bob@example.com"), PEOPLE)
    )

    found = buttons(blocks)
    assert list(found) == [ACTION_APPROVE, ACTION_REJECT, ACTION_ESCALATE]
    assert found[ACTION_APPROVE]["style"] == "primary"
    assert found[ACTION_REJECT]["style"] == "danger"
    assert "compliance review" in found[ACTION_ESCALATE]["confirm"]["text"]["text"]
    for button in found.values():
        assert ReviewButtonValue.decode(button["value"]) == ReviewButtonValue(
            "schema-approval-inventory-service", REVIEW_1B, 2, "U0BOB00001", "bob@example.com"
        )
    assert [b["block_id"] for b in blocks if b["type"] == "actions"] == ["review_actions"]


def test_a_reviewer_slack_does_not_know_gets_buttons_without_them() -> None:
    request = review_request(stage=REVIEW_1B, reviewer="nobody@example.com")

    for button in buttons(wire(review_request_blocks(request, PEOPLE))).values():
        value = ReviewButtonValue.decode(button["value"])
        assert (value.reviewer_user_id, value.reviewer_email) == (None, None)
        assert json.loads(button["value"]) == {
            "w": "schema-approval-inventory-service",
            "s": REVIEW_1B,
            "v": 2,
        }


def test_compliance_review_has_no_escalate_button() -> None:
    request = review_request(stage=REVIEW_3, reviewer="dave@example.com", allow_escalate=False)

    assert list(buttons(wire(review_request_blocks(request, PEOPLE)))) == [
        ACTION_APPROVE,
        ACTION_REJECT,
    ]


def test_changes_since_the_previous_version_are_listed_only_when_known() -> None:
    with_changes = texts(wire(review_request_blocks(review_request(), PEOPLE)))
    first_version = review_request(upload=upload(1, changes=[], previous_version=None))

    assert (
        "*What changed since v1*\n• added property warehouse (string)\n"
        "• removed property legacy_id" in with_changes
    )
    assert "What changed" not in texts(wire(review_request_blocks(first_version, PEOPLE)))


def test_closed_review_has_no_buttons_and_says_who_decided_what_and_why() -> None:
    update = closed_update(
        "Rejected by alice@example.com",
        messages=[PostedMessage("D1", "1.000")],
        decision=decision(approved=False, reason="Missing <units> & scale"),
    )

    blocks = wire(closed_review_blocks(update, PEOPLE))
    shown = texts(blocks)

    assert buttons(blocks) == {}
    assert blocks[0]["text"]["text"] == "Schema review: inventory-service v2"
    outcome = next(b for b in blocks if b.get("block_id") == "review_outcome")["text"]["text"]
    headline, reason = outcome.split("\n")
    assert headline.startswith(
        ":x: *Rejected* by <@U0ALICE001> · Review1.a — first-round review · <!date^"
    )
    assert headline.endswith("2025-03-04 10:15 UTC>")
    assert reason == ">Reason: Missing &lt;units&gt; &amp; scale"
    assert "alice@example.com" not in shown
    assert closed_review_text(update, PEOPLE).endswith(": :x: *Rejected* by <@U0ALICE001>")


def test_an_escalation_says_compliance_review_is_required() -> None:
    update = closed_update(
        "Escalated by carol@example.com",
        stage="Review2",
        reviewer="carol@example.com",
        decision=decision("Review2", "carol@example.com", escalate=True),
    )

    shown = texts(wire(closed_review_blocks(update, PEOPLE)))

    assert (
        ":arrow_up: *Escalated* by <@U0CAROL001> (approved; compliance review required)"
        " · Review2 — senior review · <!date^"
    ) in shown


def test_a_closed_review_without_a_decision_names_the_people_in_its_outcome() -> None:
    update = closed_update("No longer needed: bob@example.com rejected at Review1.b <now>")

    shown = texts(wire(closed_review_blocks(update, PEOPLE)))

    assert "*No longer needed: <@U0BOB00001> rejected at Review1.b &lt;now&gt;*" in shown
    assert closed_review_text(update, {}).endswith(
        ": No longer needed: bob@example.com rejected at Review1.b &lt;now&gt;"
    )


def test_closed_review_repeats_the_full_summary_when_the_request_is_known() -> None:
    update = closed_update("Superseded by version 3", request=review_request())

    blocks = wire(closed_review_blocks(update, PEOPLE))

    assert "*Description*\nAdds the warehouse field" in texts(blocks)
    assert buttons(blocks) == {}


def test_a_decision_the_review_goes_on_from_says_the_reviewers_part_is_done() -> None:
    update = closed_update(
        "Approved by alice@example.com", decision=decision(), review_continues=True
    )

    shown = texts(wire(closed_review_blocks(update, PEOPLE)))

    assert "Your part is done; the review continues." in shown
    assert "closed" not in shown


def test_the_channel_copy_of_a_decided_request_speaks_of_the_reviewer() -> None:
    update = closed_update(
        "Approved by alice@example.com", decision=decision(), review_continues=True
    )

    shown = texts(wire(closed_review_blocks(update, PEOPLE, in_channel=True)))

    assert "Nothing more is needed from <@U0ALICE001> here; the review continues." in shown
    assert "Your part" not in shown


def test_a_message_of_a_round_that_ended_says_how_it_ended_to_every_reader() -> None:
    ending = (
        "Version 2 was rejected by bob@example.com at Review1.b;"
        " owner@example.com was asked for a new version."
    )
    update = closed_update("Approved by alice@example.com", decision=decision(), ending=ending)

    for in_channel in (False, True):
        shown = texts(wire(closed_review_blocks(update, PEOPLE, in_channel=in_channel)))

        assert (
            "Version 2 was rejected by <@U0BOB00001> at Review1.b;"
            " <@U0OWNER001> was asked for a new version."
        ) in shown
        assert "continues" not in shown
    assert "bob@example.com" in closed_review_people(update)


def test_a_stage_closed_without_its_round_ending_says_nothing_is_needed() -> None:
    shown = texts(wire(closed_review_blocks(closed_update("Reassigned"), PEOPLE)))

    assert "Nothing more is needed here; this stage of the review is closed." in shown


def test_a_reminder_whose_stage_closed_says_why_and_that_nothing_is_left() -> None:
    reminder = ReviewReminder(review_request(), number=2, max_reminders=3, waited_seconds=172800)
    update = replace(
        closed_update("Reassigned to erin@example.com"), reminder=reminder, request=reminder.request
    )

    shown = texts(wire(closed_reminder_blocks(update, PEOPLE)))

    assert (
        "v2 waited 48 hours for your review (Review1.a — first-round review); it no longer" in shown
    )
    assert "*Reassigned to erin@example.com*" in shown
    assert "Nothing is left for you to do here." in shown
    assert "Open the review request" not in shown
