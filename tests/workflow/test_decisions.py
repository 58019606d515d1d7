"""Which decisions count (spec, semantics 8), through the CLI signal and the bot's update."""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError

from slack_presentation.closing_sentences import update_outcome
from tests.helpers import as_payload, eventually
from tests.workflow.review_harness import (
    StandInActivities,
    decide,
    running_review,
    status_of,
    submission,
    until_called,
    until_history,
)
from workflow.models import SIGNAL_RECORD_DECISION, SIGNAL_SUBMIT_SCHEMA

ROUND_1_OPEN = ("dispatch_review_request Review1.a v1", "dispatch_review_request Review1.b v1")


def cli_decision(stage: str, reviewer: str, version: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "stage": stage,
        "reviewer": reviewer,
        "submission_version": version,
        "approved": True,
        **extra,
    }


async def refused(handle: WorkflowHandle[Any, Any], *args: Any, **kwargs: Any) -> str:
    with pytest.raises(WorkflowUpdateFailedError) as failure:
        await decide(handle, *args, **kwargs)
    assert failure.value.cause is not None
    return str(failure.value.cause.message)  # type: ignore[attr-defined]


async def test_the_cli_payloads_of_the_spec_are_recorded(temporal_client: Client) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        for payload in (
            cli_decision("Review1.a", "alice@example.com"),
            cli_decision("Review1.b", "BOB@Example.com", comment="Looks good"),
        ):
            await handle.signal(SIGNAL_RECORD_DECISION, payload)
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        await handle.signal(
            SIGNAL_RECORD_DECISION,
            cli_decision("Review2", "carol@example.com", requires_additional_review=False),
        )
        result = await handle.result()
    assert [(d.stage, d.reviewer, d.reason) for d in result.decisions] == [
        ("Review1.a", "alice@example.com", ""),
        ("Review1.b", "BOB@Example.com", "Looks good"),
        ("Review2", "carol@example.com", ""),
    ]


async def test_decisions_that_do_not_count_are_ignored_with_the_reason(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        await decide(handle, "Review1.a")
        ignored = {
            "wrong reviewer": (
                cli_decision("Review1.b", "mallory@example.com"),
                "Ignored a decision for Review1.b of version 1 from mallory@example.com:"
                " Review1.b for version 1 is not assigned to mallory@example.com;"
                " it is assigned to bob@example.com.",
            ),
            "wrong stage": (
                cli_decision("Review2", "carol@example.com"),
                "Ignored a decision for Review2 of version 1 from carol@example.com: Review2 is"
                " not open: the review is awaiting round 1 (Review1.a, Review1.b).",
            ),
            "second decision": (
                {**cli_decision("Review1.a", "alice@example.com"), "approved": False},
                "Ignored a decision for Review1.a of version 1 from alice@example.com: A decision"
                " for Review1.a of version 1 was already recorded (approved by"
                " alice@example.com).",
            ),
            "future version": (
                cli_decision("Review1.b", "bob@example.com", version=7),
                "Ignored a decision for Review1.b of version 7 from bob@example.com: Version 7"
                " has not been submitted: the current version is 1.",
            ),
        }
        for payload, line in ignored.values():
            await handle.signal(SIGNAL_RECORD_DECISION, payload)
            await until_history(handle, line)

        # The update behind the buttons refuses the same decisions with the same sentence.
        assert await refused(handle, "Review1.b", reviewer="mallory@example.com") == (
            "Review1.b for version 1 is not assigned to mallory@example.com;"
            " it is assigned to bob@example.com."
        )
        assert await refused(handle, "Review2") == (
            "Review2 is not open: the review is awaiting round 1 (Review1.a, Review1.b)."
        )
        assert await refused(handle, "Review1.a", "reject") == (
            "A decision for Review1.a of version 1 was already recorded"
            " (approved by alice@example.com)."
        )

        # A stale version: version 2 supersedes version 1 while bob has not decided yet.
        await handle.signal(SIGNAL_SUBMIT_SCHEMA, as_payload(submission(2)))
        await until_called(stand_in, "dispatch_review_request Review1.b v2")
        assert await refused(handle, "Review1.b", version=1) == (
            "Version 1 is no longer under review: version 2 superseded it."
        )
        await handle.signal(SIGNAL_RECORD_DECISION, cli_decision("Review1.b", "bob@example.com"))
        await until_history(
            handle,
            "Ignored a decision for Review1.b of version 1 from bob@example.com:"
            " Version 1 is no longer under review: version 2 superseded it.",
        )
        status = await status_of(handle)

    assert status.version == 2
    assert status.decisions == []
    assert [p.stage for p in status.pending_reviewers] == ["Review1.a", "Review1.b"]


async def test_the_first_rejection_ends_round_one_at_once(temporal_client: Client) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        await decide(handle, "Review1.a", "reject", reason="Field sku must be required")
        await until_called(stand_in, "record_revision_request Review1.a v1")
        late = "Review1.b is not open: alice@example.com rejected version 1 at Review1.a, so the"
        late += " review is waiting for a revised version."
        assert await refused(handle, "Review1.b") == late
        await handle.signal(SIGNAL_RECORD_DECISION, cli_decision("Review1.b", "bob@example.com"))
        status = await until_history(handle, late)

        async def bob_told() -> None:
            outcomes = {(u.stage, update_outcome(u)) for u in stand_in.message_updates()}
            assert outcomes == {
                ("Review1.a", "Rejected by alice@example.com: Field sku must be required"),
                ("Review1.b", "No longer needed: alice@example.com rejected at Review1.a"),
            }

        await eventually(bob_told)

    assert status.state == "awaiting_revision"
    assert [d.stage for d in status.decisions] == ["Review1.a"]
    assert status.pending_reviewers == []
    revision = stand_in.requests[stand_in.calls.index("record_revision_request Review1.a v1")]
    assert (revision.stage, revision.rejected_by, revision.reason) == (
        "Review1.a",
        "alice@example.com",
        "Field sku must be required",
    )


async def test_review3_cannot_be_escalated(temporal_client: Client) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        await decide(handle, "Review1.a", "escalate")
        await decide(handle, "Review1.b")
        await decide(handle, "Review2")
        await until_called(stand_in, "dispatch_review_request Review3 v1")
        request = stand_in.requests[stand_in.calls.index("dispatch_review_request Review3 v1")]
        assert request.allow_escalate is False
        assert await refused(handle, "Review3", "escalate") == (
            "Review3 is the compliance review and cannot be escalated: approve or reject it."
        )
        await decide(handle, "Review3")
        result = await handle.result()
    assert [d.stage for d in result.decisions][-1] == "Review3"


MALFORMED = [
    (
        SIGNAL_RECORD_DECISION,
        {"stage": "Nope"},
        "Ignored a record_review_decision signal: the payload lacks reviewer,"
        " submission_version, approved:",
    ),
    (
        SIGNAL_RECORD_DECISION,
        cli_decision("Nope", "alice@example.com"),
        "'Nope' is not a review stage: use one of Review1.a, Review1.b, Review2, Review3.",
    ),
    (
        SIGNAL_RECORD_DECISION,
        cli_decision("Review1.a", "alice@example.com", version=0),
        "Ignored a record_review_decision signal: submission_version 0 is too low: versions"
        " start at 1.",
    ),
    (
        SIGNAL_RECORD_DECISION,
        # A version written as text is refused, not read as the number it looks like.
        {**cli_decision("Review1.a", "alice@example.com"), "submission_version": "1"},
        "Ignored a record_review_decision signal: submission_version must be a whole number of"
        " 1 or more, not '1'.",
    ),
    (
        SIGNAL_RECORD_DECISION,
        {**cli_decision("Review1.a", "alice@example.com"), "approve": True, "note": "fine"},
        "Ignored a record_review_decision signal: the payload has unknown fields (approve,"
        ' note): send {"stage": "Review1.a",',
    ),
    (
        SIGNAL_RECORD_DECISION,
        cli_decision("Review1.a", "alice"),
        "reviewer must be an email address, not 'alice'.",
    ),
    (
        SIGNAL_RECORD_DECISION,
        {**cli_decision("Review1.a", "alice@example.com"), "approved": "yes"},
        "Ignored a record_review_decision signal: approved must be true or false, not 'yes'.",
    ),
    (
        SIGNAL_RECORD_DECISION,
        "approve it",
        "Ignored a record_review_decision signal: the payload must be a JSON object:",
    ),
    (
        SIGNAL_SUBMIT_SCHEMA,
        {"schema_id": "inventory-service", "version": 2},
        "Ignored a submit_schema signal: the payload lacks description, content_uri, submitted_by.",
    ),
    (
        SIGNAL_SUBMIT_SCHEMA,
        {**as_payload(submission(2)), "version": "two"},
        "Ignored a submit_schema signal: version must be a whole number of 1 or more, not 'two'.",
    ),
    (
        SIGNAL_SUBMIT_SCHEMA,
        {**as_payload(submission(2)), "version": 2.0},
        "Ignored a submit_schema signal: version must be a whole number of 1 or more, not 2.0.",
    ),
    (
        SIGNAL_SUBMIT_SCHEMA,
        # Same version, other content: a different submission (the very same one is a no-op).
        {**as_payload(submission(1)), "content_uri": "https://schemas.example.com/other.json"},
        "Ignored version 1 of inventory-service: it is not higher than the current version 1;"
        " submit a higher version.",
    ),
    (
        SIGNAL_SUBMIT_SCHEMA,
        as_payload(submission(2, schema_id="orders")),
        "Ignored version 2 of orders: this review is for inventory-service, not orders.",
    ),
]


@pytest.mark.parametrize(
    ("signal", "payload", "line"), MALFORMED, ids=[line for _, _, line in MALFORMED]
)
async def test_a_malformed_signal_leaves_a_history_line_and_changes_nothing(
    temporal_client: Client, signal: str, payload: Any, line: str
) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        before = await status_of(handle)
        await handle.signal(signal, payload)
        after = await until_history(handle, line)
        # Still healthy: a proper decision after the bad one is accepted.
        assert (await decide(handle, "Review1.a")).accepted

    assert after.history[:-1] == before.history
    assert (after.version, after.state, after.decisions, after.pending_reviewers) == (
        before.version,
        before.state,
        before.decisions,
        before.pending_reviewers,
    )
