"""A review started since the patch `review-messages-carry-facts` closes its messages with
facts, not sentences, and its status history gives each entry a code beside its text."""

from __future__ import annotations

from typing import Any

from temporalio.client import Client, WorkflowHandle

from slack_presentation.closing_sentences import update_ending, update_outcome
from tests.helpers import as_payload
from tests.workflow.review_harness import (
    OWNER,
    StandInActivities,
    decide,
    running_review,
    status_of,
    submission,
    until_called,
)
from workflow.message_facts import MessageClosing, RoundEnding
from workflow.models import UPDATE_SUBMIT, ReviewResult, SubmissionOutcome


async def rejected_then_approved(
    handle: WorkflowHandle[Any, Any], stand_in: StandInActivities
) -> ReviewResult:
    """Version 1: Review1.a approves, Review1.b rejects; version 2 by the update, approved by
    Review1.a, Review1.b and Review2."""
    await until_called(
        stand_in, "dispatch_review_request Review1.a v1", "dispatch_review_request Review1.b v1"
    )
    await decide(handle, "Review1.a")
    await decide(handle, "Review1.b", "reject")
    await until_called(stand_in, "record_revision_request Review1.b v1")
    await handle.execute_update(
        UPDATE_SUBMIT, as_payload(submission(2)), result_type=SubmissionOutcome
    )
    await until_called(
        stand_in, "dispatch_review_request Review1.a v2", "dispatch_review_request Review1.b v2"
    )
    await decide(handle, "Review1.a", version=2)
    await decide(handle, "Review1.b", version=2)
    await until_called(stand_in, "dispatch_review_request Review2 v2")
    await decide(handle, "Review2", version=2)
    result: ReviewResult = await handle.result()
    return result


async def test_messages_close_with_facts_that_read_as_before(temporal_client: Client) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        result = await rejected_then_approved(handle, stand_in)

    assert result.approved_version == 2
    updates = stand_in.message_updates()
    assert updates and all(u.outcome is None and u.ending is None for u in updates)
    last = {(u.stage, u.version): u for u in updates}
    assert {key: (u.closing, u.round_ending) for key, u in last.items()} == {
        ("Review1.a", 1): (
            MessageClosing("decided", by="alice@example.com", stage="Review1.a"),
            RoundEnding("rejected", 1, by="bob@example.com", stage="Review1.b", submitter=OWNER),
        ),
        ("Review1.b", 1): (
            MessageClosing("decided", by="bob@example.com", stage="Review1.b"),
            RoundEnding("rejected", 1, by="bob@example.com", stage="Review1.b", submitter=OWNER),
        ),
        **{
            (stage, 2): (
                MessageClosing("decided", by=reviewer, stage=stage),
                RoundEnding("approved", 2),
            )
            for stage, reviewer in (
                ("Review1.a", "alice@example.com"),
                ("Review1.b", "bob@example.com"),
                ("Review2", "carol@example.com"),
            )
        },
    }
    # What the reviewers read is what they read before.
    assert (
        update_outcome(last[("Review1.b", 1)])
        == "Rejected by bob@example.com: Needs an index on sku"
    )
    assert update_ending(last[("Review1.a", 1)]) == (
        f"Version 1 was rejected by bob@example.com at Review1.b; {OWNER} was asked for a new"
        " version."
    )


async def test_each_history_entry_says_what_it_is_about(temporal_client: Client) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        await rejected_then_approved(handle, stand_in)
        status = await status_of(handle)

    codes = [entry.code for entry in status.history]
    assert None not in codes
    texts = {entry.code: entry.text for entry in reversed(status.history)}
    assert texts["review_started"].startswith("Review of inventory-service started by")
    assert texts["revision_requested"].startswith(
        "bob@example.com rejected version 1 at Review1.b: Needs an index on sku."
    )
    assert texts["version_submitted"].startswith("Version 2 submitted by")
    assert texts["approved"].startswith("Version 2 approved (sha256:")
    for code in ("upload_started", "uploaded", "review_requested", "decision_recorded"):
        assert code in codes
    assert codes[-1] == "approved"
