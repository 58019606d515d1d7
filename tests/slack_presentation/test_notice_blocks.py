"""The notices to the submitter (revision request, approval) and to the reviewers, as Slack
would receive them."""

from __future__ import annotations

from slack_presentation.notice_blocks import (
    approval_blocks,
    approval_text,
    reviewer_approval_text,
    revision_request_blocks,
    revision_request_text,
)
from tests.activities.review_fixtures import (
    finalize_request,
    revision_request,
)
from tests.slack_presentation.block_views import PEOPLE, texts, wire


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
    # The address that failed is not offered again: the command asks for a new one.
    assert "```/submit-schema inventory-service 3 &lt;address of the new document&gt;```" in shown
    assert "inventory-v2.json```" not in shown
    assert "inventory-v2.json" not in revision_request_text(request, PEOPLE)
    assert "fix the schema" not in shown


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
