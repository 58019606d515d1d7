"""A click sent twice, as the bot does: the signal first (durable before Slack's ack), then the
update with the click's id as its update id, which answers with what the signal came to."""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError

from tests.helpers import eventually
from tests.workflow.review_harness import (
    REVIEWERS,
    StandInActivities,
    review_input,
    running_review,
    status_of,
    until_called,
    until_history,
)
from workflow.models import (
    SIGNAL_RECORD_DECISION,
    UPDATE_DECIDE,
    DecisionOutcome,
    ReviewDecision,
)

ROUND_1_OPEN = ("dispatch_review_request Review1.a v1", "dispatch_review_request Review1.b v1")


def clicked(stage: str, click_id: str, verdict: str = "approve", **extra: Any) -> ReviewDecision:
    return ReviewDecision(
        stage=stage,
        reviewer=extra.pop("reviewer", REVIEWERS.for_stage(stage)),
        submission_version=1,
        approved=verdict != "reject",
        reason="Breaks the orders consumer" if verdict == "reject" else "",
        click_id=click_id,
        **extra,
    )


async def click(handle: WorkflowHandle[Any, Any], decision: ReviewDecision) -> DecisionOutcome:
    """The bot's two sends of one click: the signal, then the update with the same id."""
    await handle.signal(SIGNAL_RECORD_DECISION, decision)
    return await handle.execute_update(
        UPDATE_DECIDE, decision, id=decision.click_id, result_type=DecisionOutcome
    )


async def test_the_update_after_a_signalled_click_answers_with_its_outcome(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        first = await click(handle, clicked("Review1.a", "click-1"))
        # The same click again (Slack retried the request): the same answer, nothing new.
        again = await click(handle, clicked("Review1.a", "click-1"))
        await click(handle, clicked("Review1.b", "click-2"))
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        await click(handle, clicked("Review2", "click-3"))
        result = await handle.result()

    recorded = "Recorded: Review1.a of version 1 approved by alice@example.com."
    assert first == again == DecisionOutcome(accepted=True, message=recorded)
    assert [(d.stage, d.reviewer) for d in result.decisions] == [
        ("Review1.a", "alice@example.com"),
        ("Review1.b", "bob@example.com"),
        ("Review2", "carol@example.com"),
    ]


async def test_a_refused_signalled_click_is_refused_by_its_update_with_the_reason(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        with pytest.raises(WorkflowUpdateFailedError) as failure:
            await click(handle, clicked("Review1.b", "click-m", reviewer="mallory@example.com"))
        status = await status_of(handle)

    reason = (
        "Review1.b for version 1 is not assigned to mallory@example.com;"
        " it is assigned to bob@example.com."
    )
    assert failure.value.cause is not None
    assert failure.value.cause.message == reason  # type: ignore[attr-defined]
    assert status.history[-1].text.endswith(reason)
    assert status.decisions == []


async def test_the_outcomes_of_signalled_clicks_survive_continue_as_new(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities()
    async with running_review(
        temporal_client, stand_in, review_input(continue_as_new_after_rounds=1)
    ) as handle:
        first_run = (await handle.describe()).run_id
        await until_called(stand_in, *ROUND_1_OPEN)
        await click(handle, clicked("Review1.a", "click-a"))
        await click(handle, clicked("Review1.b", "click-b"))
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        # Only the signal: the review continues as new before its update comes.
        await handle.signal(SIGNAL_RECORD_DECISION, clicked("Review2", "click-r", "reject"))
        await until_called(stand_in, "record_revision_request Review2 v1")

        async def continued() -> None:
            assert (await handle.describe()).run_id != first_run

        await eventually(continued)
        await until_history(handle, "Continued as a new run after round 1")
        late = await handle.execute_update(
            UPDATE_DECIDE,
            clicked("Review2", "click-r", "reject"),
            id="click-r",
            result_type=DecisionOutcome,
        )
        status = await status_of(handle)

    assert late == DecisionOutcome(
        accepted=True,
        message="Recorded: Review2 of version 1 rejected by carol@example.com:"
        " Breaks the orders consumer.",
    )
    assert [(d.stage, d.approved) for d in status.decisions] == [
        ("Review1.a", True),
        ("Review1.b", True),
        ("Review2", False),
    ]
