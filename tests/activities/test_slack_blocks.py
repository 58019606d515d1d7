"""The Block Kit messages, as Slack would receive them (to_dict() also runs slack_sdk's
limit checks, so an over-long text fails here before Slack would refuse it)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block

from activities.mentions import NO_MENTIONS
from activities.mrkdwn import escape, fit, link
from activities.notice_blocks import (
    approval_blocks,
    approval_text,
    reviewer_approval_text,
    revision_request_blocks,
    revision_request_text,
)
from activities.review_actions import (
    ACTION_APPROVE,
    ACTION_ESCALATE,
    ACTION_REJECT,
    ReviewButtonValue,
)
from activities.review_blocks import (
    closed_review_blocks,
    closed_review_text,
    review_request_blocks,
    review_request_text,
)
from activities.slack_blocks import document_link
from tests.activities.review_fixtures import (
    closed_update,
    decision,
    finalize_request,
    review_request,
    revision_request,
    submission,
    upload,
)
from workflow.activity_payloads import PostedMessage
from workflow.models import REVIEW_1B, REVIEW_3

# What the activities would have looked up in Slack; dave is not in Slack.
PEOPLE = {
    "owner@example.com": "U0OWNER001",
    "alice@example.com": "U0ALICE001",
    "bob@example.com": "U0BOB00001",
    "carol@example.com": "U0CAROL001",
}


def wire(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    return [block.to_dict() for block in blocks]


def texts(blocks: list[dict[str, Any]]) -> str:
    """Every text a reader sees, in order."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "\n".join(found)


def buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        element["action_id"]: element
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
    }


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
    assert "Review round 3 · requested from <@U0ALICE001>" in texts(blocks)


def test_people_without_a_slack_user_are_shown_by_their_email() -> None:
    request = review_request(stage=REVIEW_3, reviewer="dave@example.com", allow_escalate=False)

    shown = texts(wire(review_request_blocks(request, PEOPLE)))

    assert "*Reviewer*\ndave@example.com" in shown
    assert "*Submitted by*\n<@U0OWNER001>" in shown
    assert review_request_text(request, NO_MENTIONS).endswith("submitted by owner@example.com")


def test_review_buttons_carry_workflow_stage_and_version() -> None:
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
            "schema-approval-inventory-service", REVIEW_1B, 2
        )
    assert [b["block_id"] for b in blocks if b["type"] == "actions"] == ["review_actions"]


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


def test_long_texts_are_cut_to_slack_limits() -> None:
    request = review_request(
        submission=submission(schema_id="s" * 160, description="d" * 5000),
        upload=upload(changes=[f"changed property p{i} & more" for i in range(400)]),
    )

    blocks = wire(review_request_blocks(request, PEOPLE))  # would raise past a Slack limit

    assert len(blocks[0]["text"]["text"]) == 150
    assert blocks[0]["text"]["text"].endswith("…")
    changes = next(b for b in blocks if b.get("block_id") == "review_changes")
    assert len(changes["text"]["text"]) <= 3000
    assert changes["text"]["text"].endswith("…")
    assert len(review_request_text(request, PEOPLE)) <= 3000


def test_user_text_is_escaped_so_it_cannot_forge_links_or_mentions() -> None:
    request = review_request(
        submission=submission(
            description="<!channel> see <https://evil.example|here> & more",
            content_uri="https://example.com/get?name=a&v=2",
        )
    )

    shown = texts(wire(review_request_blocks(request, PEOPLE)))

    assert "&lt;!channel&gt; see &lt;https://evil.example|here&gt; &amp; more" in shown
    assert "<!channel>" not in shown
    assert "<https://example.com/get?name=a&amp;v=2|get>" in shown


def test_cutting_never_splits_an_escaped_character_or_a_mention() -> None:
    assert fit(escape("abcd&"), 7) == "abcd…"
    assert fit(escape("ab&cd"), 8) == "ab&amp;…"
    assert fit("short", 10) == "short"
    assert fit("by <@U0ALICE001> today", 12) == "by …"


def test_a_link_keeps_its_url_whole() -> None:
    assert link("https://x.example/a|b?c=1&d=2", "a <doc>") == (
        "<https://x.example/a%7Cb?c=1&amp;d=2|a &lt;doc&gt;>"
    )


def test_a_document_that_is_not_a_web_link_is_shown_as_text() -> None:
    assert document_link("s3://bucket/a<b>.json") == "s3://bucket/a&lt;b&gt;.json"


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


def test_revision_request_gives_reason_and_the_command_to_resubmit() -> None:
    shown = texts(wire(revision_request_blocks(revision_request(), PEOPLE)))

    assert (
        "Version 2 of *inventory-service*: rejected by <@U0CAROL001> at Review2 — senior review."
        in shown
    )
    assert "The warehouse field needs a maximum length." in shown
    assert (
        "```/submit-schema inventory-service 3 https://example.com/schemas/inventory-v2.json```"
        in shown
    )
    assert "/submit-schema inventory-service 3" in revision_request_text(revision_request(), PEOPLE)


def test_revision_request_for_a_bad_document_says_it_could_not_be_accepted() -> None:
    request = revision_request(
        stage="upload", rejected_by=None, reason="The document is not valid JSON (line 3)."
    )

    shown = texts(wire(revision_request_blocks(request, PEOPLE)))

    assert "the document could not be accepted" in shown
    assert "The document is not valid JSON (line 3)." in shown
    assert "rejected by" not in shown


def test_approval_tells_the_submitter_version_digest_rounds_and_approvals() -> None:
    request = finalize_request()

    blocks = wire(approval_blocks(request, PEOPLE))
    shown = texts(blocks)

    assert blocks[0]["text"]["text"] == "Approved: inventory-service v2"
    assert "*Version*\n2" in shown
    assert "*Digest*\n`0123456789ab`" in shown
    assert "*Review*\n2 rounds" in shown
    assert "• :white_check_mark: *Approved* by <@U0ALICE001> · Review1.a" in shown
    assert "• :white_check_mark: *Approved* by <@U0BOB00001> · Review1.b" in shown
    assert "• :white_check_mark: *Approved* by <@U0CAROL001> · Review2" in shown
    assert "too loose" not in shown  # version 1's rejection is history, not this approval
    assert "approved" in approval_text(request)
    assert "inventory-service v2 is approved" in reviewer_approval_text(request)


def test_button_values_stay_far_below_slacks_limit() -> None:
    value = json.loads(
        buttons(wire(review_request_blocks(review_request(), PEOPLE)))[ACTION_APPROVE]["value"]
    )
    assert len(json.dumps(value)) < 200
