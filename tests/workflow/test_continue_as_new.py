"""A long review continues as new (spec, semantics 10) without losing anything."""

from __future__ import annotations

import json

from temporalio.client import Client, WorkflowHistory

from tests.helpers import as_payload, eventually
from tests.workflow.review_harness import (
    StandInActivities,
    decide,
    review_input,
    running_review,
    status_of,
    submission,
    until_called,
    until_history,
)
from workflow.models import SIGNAL_SUBMIT_SCHEMA
from workflow.review_record import HISTORY_KEPT, STATUS_HISTORY


async def test_state_survives_continue_as_new(temporal_client: Client) -> None:
    stand_in = StandInActivities()
    review = review_input(continue_as_new_after_rounds=1)
    async with running_review(temporal_client, stand_in, review) as handle:
        first_run = (await handle.describe()).run_id
        await until_called(stand_in, "dispatch_review_request Review1.a v1")
        await decide(handle, "Review1.a")
        await decide(handle, "Review1.b")
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        await decide(handle, "Review2", "reject", reason="Breaks the orders consumer")
        await until_called(stand_in, "record_revision_request Review2 v1")

        async def continued() -> str:
            run_id = (await handle.describe()).run_id
            assert run_id != first_run
            return run_id

        second_run = await eventually(continued)
        carried = await status_of(handle)
        # The new run still knows version 1's decisions: a repeated one is refused.
        await handle.signal(
            "record_review_decision",
            {
                "stage": "Review1.a",
                "reviewer": "alice@example.com",
                "submission_version": 1,
                "approved": True,
            },
        )

        async def refused_again() -> None:
            status = await status_of(handle)
            assert status.history[-1].text.endswith(
                "A decision for Review1.a of version 1 was already recorded"
                " (approved by alice@example.com)."
            )

        await eventually(refused_again)
        await handle.signal(SIGNAL_SUBMIT_SCHEMA, as_payload(submission(2)))
        for stage in ("Review1.a", "Review1.b"):
            await until_called(stand_in, f"dispatch_review_request {stage} v2")
            await decide(handle, stage, version=2)
        await until_called(stand_in, "dispatch_review_request Review2 v2")
        await decide(handle, "Review2", version=2)
        result = await handle.result()
        final_run = (await handle.describe()).run_id

    assert second_run != first_run
    assert final_run == second_run  # the knob counts rounds per run: one more run was enough
    assert carried.state == "awaiting_revision"
    assert carried.round == 1
    assert carried.revision_reason == (
        "carol@example.com rejected version 1 at Review2: Breaks the orders consumer."
    )
    assert [d.stage for d in carried.decisions] == ["Review1.a", "Review1.b", "Review2"]
    texts = [entry.text for entry in carried.history]
    assert texts[0] == "Review of inventory-service started by owner@example.com with version 1."
    assert texts[-1] == "Continued as a new run after round 1 to keep the event history small."
    assert result.rounds == 2
    assert [(d.stage, d.version, d.approved) for d in result.decisions] == [
        ("Review1.a", 1, True),
        ("Review1.b", 1, True),
        ("Review2", 1, False),
        ("Review1.a", 2, True),
        ("Review1.b", 2, True),
        ("Review2", 2, True),
    ]


async def test_the_carried_state_of_an_earlier_run_still_reads(temporal_client: Client) -> None:
    """Runs continued by earlier code carried a `pending_submission` (always null) that the
    state no longer has: Temporal's converter ignores such keys, so the review resumes."""
    stand_in = StandInActivities()
    earlier = as_payload(review_input())
    earlier["carried"] = {
        "round": 1,
        "history": [{"at": "2025-03-04T10:15:00+00:00", "text": "Review started."}],
        "all_decisions": [],
        "pending_submission": None,
        "awaiting_revision_reason": "bob@example.com rejected version 1 at Review1.b.",
        "last_upload": None,
    }
    async with running_review(temporal_client, stand_in, earlier) as handle:
        status = await status_of(handle)
        await handle.signal(SIGNAL_SUBMIT_SCHEMA, as_payload(submission(2)))
        await until_called(stand_in, "dispatch_review_request Review1.a v2")

    assert (status.state, status.round, status.history[0].text) == (
        "awaiting_revision",
        1,
        "Review started.",
    )


async def test_a_long_review_carries_and_shows_a_bounded_history(temporal_client: Client) -> None:
    """However much happened, the next run starts from the latest entries and a count, and
    `status` answers with the latest STATUS_HISTORY: the rest stays in Temporal's history."""
    stand_in = StandInActivities()
    review = review_input(continue_as_new_after_rounds=1)
    noise = HISTORY_KEPT + 30
    async with running_review(temporal_client, stand_in, review) as handle:
        first_run = (await handle.describe()).run_id
        await until_called(stand_in, "dispatch_review_request Review1.a v1")
        for n in range(noise):
            await handle.signal("record_review_decision", f"not a decision {n}")
        # Signals are handled in order: once the last is noted, all are.
        last = {"stage": "Review3", "reviewer": "dave@example.com", "submission_version": 1}
        await handle.signal("record_review_decision", {**last, "approved": True})
        busy = await until_history(handle, "Ignored a decision for Review3 of version 1")
        await decide(handle, "Review1.a")
        await decide(handle, "Review1.b")
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        await decide(handle, "Review2", "reject", reason="Breaks the orders consumer")

        async def continued() -> WorkflowHistory:
            history = await handle.fetch_history()
            assert history.run_id != first_run
            return history

        next_run = await eventually(continued)
        carried = await status_of(handle)

    started = next_run.events[0].workflow_execution_started_event_attributes
    carried_input = json.loads(started.input.payloads[0].data)["carried"]
    total = busy.earlier_history + len(busy.history)
    assert len(busy.history) == STATUS_HISTORY
    assert busy.history[-2].text.startswith("Ignored a record_review_decision signal")
    assert total > noise
    assert len(carried_input["history"]) == HISTORY_KEPT
    assert carried_input["earlier_history"] + HISTORY_KEPT > total
    assert [d["stage"] for d in carried_input["all_decisions"]] == [
        "Review1.a",
        "Review1.b",
        "Review2",
    ]
    assert len(carried.history) == STATUS_HISTORY
    assert carried.earlier_history + STATUS_HISTORY == (
        carried_input["earlier_history"] + HISTORY_KEPT
    )
    assert carried.history[-1].text == (
        "Continued as a new run after round 1 to keep the event history small."
    )
    assert carried.revision_reason == (
        "carol@example.com rejected version 1 at Review2: Breaks the orders consumer."
    )
