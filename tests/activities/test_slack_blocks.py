"""The Block Kit messages, as Slack would receive them (to_dict() also runs slack_sdk's
limit checks, so an over-long text fails here before Slack would refuse it)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block

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
from activities.slack_blocks import document_link, escape, fit
from tests.activities.review_fixtures import (
    decision,
    finalize_request,
    review_request,
    revision_request,
    submission,
    upload,
)
from workflow.models import REVIEW_1B, REVIEW_3, PostedMessage, ReviewMessageUpdate


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
    blocks = wire(review_request_blocks(review_request()))

    assert blocks[0]["type"] == "header"
    assert blocks[0]["text"]["text"] == "Schema review: inventory-service v2"
    fields = [f["text"] for f in blocks[1]["fields"]]
    assert fields == [
        "*Stage*\nReview1.a — first-round review",
        "*Submitted by*\nowner@example.com",
        "*Description*\nAdds the warehouse field",
        "*Digest*\n`0123456789ab`",
        "*Document*\n<https://example.com/schemas/inventory-v2.json|inventory-v2.json>",
        "*Format*\nJSON Schema",
        "*Reviewer*\nalice@example.com",
    ]
    assert "Review round 3" in texts(blocks)


def test_review_buttons_carry_workflow_stage_and_version() -> None:
    blocks = wire(
        review_request_blocks(review_request(stage=REVIEW_1B, reviewer="bob@example.com"))
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

    assert list(buttons(wire(review_request_blocks(request)))) == [ACTION_APPROVE, ACTION_REJECT]


def test_changes_since_the_previous_version_are_listed_only_when_known() -> None:
    with_changes = texts(wire(review_request_blocks(review_request())))
    first_version = review_request(upload=upload(1, changes=[], previous_version=None))

    assert (
        "*What changed since v1*\n• added property warehouse (string)\n"
        "• removed property legacy_id" in with_changes
    )
    assert "What changed" not in texts(wire(review_request_blocks(first_version)))


def test_long_texts_are_cut_to_slack_limits() -> None:
    request = review_request(
        submission=submission(schema_id="s" * 160, description="d" * 5000),
        upload=upload(changes=[f"changed property p{i} & more" for i in range(400)]),
    )

    blocks = wire(review_request_blocks(request))  # would raise past a Slack limit

    assert len(blocks[0]["text"]["text"]) == 150
    assert blocks[0]["text"]["text"].endswith("…")
    changes = next(b for b in blocks if b.get("block_id") == "review_changes")
    assert len(changes["text"]["text"]) <= 3000
    assert changes["text"]["text"].endswith("…")
    assert len(review_request_text(request)) <= 3000


def test_user_text_is_escaped_so_it_cannot_forge_links_or_mentions() -> None:
    request = review_request(
        submission=submission(
            description="<!channel> see <https://evil.example|here> & more",
            content_uri="https://example.com/get?name=a&v=2",
        )
    )

    shown = texts(wire(review_request_blocks(request)))

    assert "&lt;!channel&gt; see &lt;https://evil.example|here&gt; &amp; more" in shown
    assert "<!channel>" not in shown
    assert "<https://example.com/get?name=a&amp;v=2|get>" in shown


def test_cutting_never_splits_an_escaped_character() -> None:
    assert fit(escape("abcd&"), 7) == "abcd…"
    assert fit(escape("ab&cd"), 8) == "ab&amp;…"
    assert fit("short", 10) == "short"


def test_a_document_that_is_not_a_web_link_is_shown_as_text() -> None:
    assert document_link("s3://bucket/a<b>.json") == "s3://bucket/a&lt;b&gt;.json"


def test_closed_review_has_no_buttons_and_says_who_decided_what_and_why() -> None:
    update = ReviewMessageUpdate(
        messages=[PostedMessage("D1", "1.000")],
        schema_id="inventory-service",
        version=2,
        stage="Review1.a",
        reviewer="alice@example.com",
        outcome="Rejected by alice@example.com",
        decision=decision(approved=False, reason="Missing <units> & scale"),
    )

    blocks = wire(closed_review_blocks(update))
    shown = texts(blocks)

    assert buttons(blocks) == {}
    assert blocks[0]["text"]["text"] == "Schema review: inventory-service v2"
    assert "*Rejected by alice@example.com*" in shown
    assert "*alice@example.com* rejected Review1.a — first-round review on <!date^" in shown
    assert "2025-03-04 10:15 UTC>" in shown
    assert ">Reason: Missing &lt;units&gt; &amp; scale" in shown
    assert closed_review_text(update).endswith(": Rejected by alice@example.com")


def test_closed_review_repeats_the_full_summary_when_the_request_is_known() -> None:
    update = ReviewMessageUpdate(
        messages=[],
        schema_id="inventory-service",
        version=2,
        stage="Review1.a",
        reviewer="alice@example.com",
        outcome="Superseded by version 3",
    )

    blocks = wire(closed_review_blocks(update, review_request()))

    assert "*Description*\nAdds the warehouse field" in texts(blocks)
    assert buttons(blocks) == {}


def test_revision_request_gives_reason_and_the_command_to_resubmit() -> None:
    shown = texts(wire(revision_request_blocks(revision_request())))

    assert "Version 2 of *inventory-service* was rejected by *carol@example.com*" in shown
    assert "Review2 — senior review" in shown
    assert "The warehouse field needs a maximum length." in shown
    assert (
        "```/submit-schema inventory-service 3 https://example.com/schemas/inventory-v2.json```"
        in shown
    )
    assert "/submit-schema inventory-service 3" in revision_request_text(revision_request())


def test_revision_request_for_a_bad_document_says_it_could_not_be_accepted() -> None:
    request = revision_request(
        stage="upload", rejected_by=None, reason="The document is not valid JSON (line 3)."
    )

    shown = texts(wire(revision_request_blocks(request)))

    assert "the document could not be accepted" in shown
    assert "The document is not valid JSON (line 3)." in shown
    assert "rejected by" not in shown


def test_approval_tells_the_submitter_version_digest_rounds_and_approvals() -> None:
    request = finalize_request()

    blocks = wire(approval_blocks(request))
    shown = texts(blocks)

    assert blocks[0]["text"]["text"] == "Approved: inventory-service v2"
    assert "*Version*\n2" in shown
    assert "*Digest*\n`0123456789ab`" in shown
    assert "*Review*\n2 rounds" in shown
    assert "*alice@example.com* approved Review1.a" in shown
    assert "*bob@example.com* approved Review1.b" in shown
    assert "*carol@example.com* approved Review2" in shown
    assert "too loose" not in shown  # version 1's rejection is history, not this approval
    assert "approved" in approval_text(request)
    assert "inventory-service v2 is approved" in reviewer_approval_text(request)


def test_button_values_stay_far_below_slacks_limit() -> None:
    value = json.loads(
        buttons(wire(review_request_blocks(review_request())))[ACTION_APPROVE]["value"]
    )
    assert len(json.dumps(value)) < 200
