"""Slack's limits and escaping in the Block Kit messages (to_dict() also runs slack_sdk's limit
checks, so an over-long text fails here before Slack would refuse it)."""

from __future__ import annotations

import json

from slack_presentation.mrkdwn import escape, fit, link
from slack_presentation.review_actions import (
    ACTION_APPROVE,
)
from slack_presentation.review_blocks import (
    review_request_blocks,
    review_request_text,
)
from slack_presentation.slack_blocks import document_link
from tests.activities.review_fixtures import (
    review_request,
    submission,
    upload,
)
from tests.slack_presentation.block_views import PEOPLE, buttons, texts, wire


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


def test_button_values_stay_far_below_slacks_limit() -> None:
    value = json.loads(
        buttons(wire(review_request_blocks(review_request(), PEOPLE)))[ACTION_APPROVE]["value"]
    )
    assert len(json.dumps(value)) < 200
