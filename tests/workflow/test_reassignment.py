"""Reassigning a reviewer (the `reassign_reviewer` update), on the dev server with stand-in
activities (the time-skipping server where reminders must fall due)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from slack_presentation.closing_sentences import update_outcome
from tests.helpers import as_payload, eventually
from tests.workflow.review_harness import (
    OWNER,
    REVIEWERS,
    StandInActivities,
    decide,
    reassign,
    review_input,
    running_review,
    status_of,
    submission,
    until_called,
)
from workflow.activity_payloads import ReviewRequest
from workflow.models import (
    REASSIGNMENT_REVIEWER_REFUSED,
    REASSIGNMENT_SEAT_REFUSED,
    SA_PENDING_REVIEWERS,
    SIGNAL_SUBMIT_SCHEMA,
    ReminderPolicy,
)

ALICE, BOB, DAVE = REVIEWERS.reviewer_a, REVIEWERS.reviewer_b, REVIEWERS.compliance_reviewer
ERIN = "erin@example.com"
ROUND_1_OPEN = ("dispatch_review_request Review1.a v1", "dispatch_review_request Review1.b v1")


def requests_to(stand_in: StandInActivities, email: str) -> list[ReviewRequest]:
    return [r for r in stand_in.review_requests() if r.reviewer == email]


async def refusal_of(handle: WorkflowHandle[Any, Any], seat: str, reviewer: str) -> tuple[str, str]:
    """(error type, sentence) of a reassignment the workflow refuses."""
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await reassign(handle, seat, reviewer)
    cause = refused.value.cause
    assert isinstance(cause, ApplicationError)
    return cause.type or "", cause.message


async def test_an_open_seat_goes_to_the_new_reviewer_and_the_old_one_can_no_longer_decide(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)

        outcome = await reassign(handle, "reviewer_a", ERIN, reason="Alice is on holiday")

        assert (outcome.stage, outcome.previous_reviewer, outcome.reviewer) == (
            "Review1.a",
            ALICE,
            ERIN,
        )
        assert outcome.requested_now
        # Alice's message is closed, saying who took it over; Erin gets the request.
        await eventually(lambda: closed_for(stand_in, ALICE, f"Reassigned to {ERIN} by {OWNER}"))
        await eventually(lambda: requested(stand_in, ERIN, "Review1.a"))
        status = await status_of(handle)
        assert status.reviewers.reviewer_a == ERIN
        assert [(p.stage, p.reviewer) for p in status.pending_reviewers] == [
            ("Review1.a", ERIN),
            ("Review1.b", BOB),
        ]
        texts = [e.text for e in status.history]
        assert (
            f"Review1.a reassigned from {ALICE} to {ERIN} by {OWNER} (Alice is on holiday)."
            in texts
        )

        async def listed_as_pending() -> None:
            attributes = (await handle.describe()).typed_search_attributes
            assert sorted(attributes.get(SA_PENDING_REVIEWERS) or []) == [BOB, ERIN]

        await eventually(listed_as_pending)

        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await decide(handle, "Review1.a", reviewer=ALICE)
        assert getattr(refused.value.cause, "message", None) == (
            f"Review1.a for version 1 is not assigned to {ALICE}; it is assigned to {ERIN}."
        )
        await decide(handle, "Review1.a", reviewer=ERIN)
        await decide(handle, "Review1.b")
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        await decide(handle, "Review2")
        result = await handle.result()

    assert [(d.stage, d.reviewer) for d in result.decisions] == [
        ("Review1.a", ERIN),
        ("Review1.b", BOB),
        ("Review2", REVIEWERS.senior_reviewer),
    ]
    # Erin's own message is closed with her decision; Alice's only said it was reassigned.
    erin_closed = [u for u in stand_in.message_updates() if u.reviewer == ERIN]
    assert erin_closed and erin_closed[0].decision is not None
    assert len(requests_to(stand_in, ALICE)) == 1


async def test_a_seat_reassigned_before_its_round_is_asked_of_the_new_reviewer(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)

        outcome = await reassign(handle, "compliance_reviewer", ERIN)

        assert not outcome.requested_now
        assert outcome.message == (
            f"Review3 now goes to {ERIN} instead of {DAVE}; {ERIN} will be asked once Review3"
            " opens."
        )
        await decide(handle, "Review1.a")
        await decide(handle, "Review1.b")
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        await decide(handle, "Review2", "escalate")
        await until_called(stand_in, "dispatch_review_request Review3 v1")
        with pytest.raises(WorkflowUpdateFailedError):
            await decide(handle, "Review3", reviewer=DAVE)
        await decide(handle, "Review3", reviewer=ERIN)
        result = await handle.result()

    assert [r.stage for r in requests_to(stand_in, ERIN)] == ["Review3"]
    assert requests_to(stand_in, DAVE) == []
    assert result.decisions[-1].reviewer == ERIN
    # Nothing was posted for Review3 before, so nothing said "Reassigned".
    assert not [u for u in stand_in.message_updates() if update_outcome(u).startswith("Reassigned")]


async def test_each_refused_reassignment_says_why_and_changes_nothing(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        await decide(handle, "Review1.b")

        refusals = [
            await refusal_of(handle, "reviewer_c", ERIN),
            await refusal_of(handle, "reviewer_a", "erin"),
            await refusal_of(handle, "reviewer_a", OWNER),
            await refusal_of(handle, "reviewer_a", "Bob@Example.com"),
            await refusal_of(handle, "reviewer_a", "ALICE@example.com"),
            await refusal_of(handle, "reviewer_b", ERIN),
        ]
        status = await status_of(handle)

    assert refusals == [
        (
            REASSIGNMENT_SEAT_REFUSED,
            "'reviewer_c' is not a reviewer seat: use one of reviewer_a, reviewer_b,"
            " senior_reviewer, compliance_reviewer.",
        ),
        (
            REASSIGNMENT_REVIEWER_REFUSED,
            "The new reviewer must be an email address, not 'erin'.",
        ),
        (
            REASSIGNMENT_REVIEWER_REFUSED,
            f"{OWNER} submitted this schema and may not review it: pick someone else.",
        ),
        (
            REASSIGNMENT_REVIEWER_REFUSED,
            "Bob@Example.com already holds the other Review1 seat (Review1.b), and one person"
            " may not hold both: pick someone else.",
        ),
        (
            REASSIGNMENT_REVIEWER_REFUSED,
            "ALICE@example.com already holds Review1.a: pick someone else.",
        ),
        (
            REASSIGNMENT_SEAT_REFUSED,
            f"Review1.b of version 1 was already decided (approved by {BOB}), so reassigning it"
            " now would change nothing.",
        ),
    ]
    assert status.reviewers == REVIEWERS
    assert not [e for e in status.history if "reassigned" in e.text]
    assert len(stand_in.review_requests()) == 2


async def test_the_new_roster_lasts_for_later_versions_and_across_continue_as_new(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities()
    review = review_input(continue_as_new_after_rounds=1)
    async with running_review(temporal_client, stand_in, review) as handle:
        first_run = (await handle.describe()).run_id
        await until_called(stand_in, *ROUND_1_OPEN)
        await reassign(handle, "reviewer_b", ERIN)
        await decide(handle, "Review1.a", "reject")
        await until_called(stand_in, "record_revision_request Review1.a v1")

        async def continued() -> None:
            assert (await handle.describe()).run_id != first_run

        await eventually(continued)
        await handle.signal(SIGNAL_SUBMIT_SCHEMA, as_payload(submission(2)))
        await until_called(stand_in, "dispatch_review_request Review1.b v2")
        status = await status_of(handle)

    assert status.reviewers.reviewer_b == ERIN
    version_2 = sorted(r.reviewer for r in stand_in.review_requests() if r.submission.version == 2)
    assert version_2 == [ALICE, ERIN]
    assert any(e.text.startswith("Review1.b reassigned from bob@") for e in status.history)


async def test_reminders_start_afresh_for_the_new_reviewer(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    stand_in = StandInActivities()
    policy = ReminderPolicy(first_after_seconds=3600, then_every_seconds=7200, max_reminders=2)
    review = review_input(reminders=policy)
    async with running_review(time_skipping_env.client, stand_in, review) as handle:
        await until_called(stand_in, *ROUND_1_OPEN)
        await time_skipping_env.sleep(timedelta(hours=1.5))
        await reassign(handle, "reviewer_a", ERIN)
        await eventually(lambda: requested(stand_in, ERIN, "Review1.a"))
        # Erin's first reminder falls due an hour after she was asked (2.5 h); Alice's second
        # one (3 h) never comes.
        await time_skipping_env.sleep(timedelta(hours=2))
        status = await status_of(handle)

    reminded = [(r.request.stage, r.request.reviewer, r.number) for r in stand_in.reminders()]
    assert sorted(reminded) == [
        ("Review1.a", ALICE, 1),
        ("Review1.a", ERIN, 1),
        ("Review1.b", BOB, 1),
        ("Review1.b", BOB, 2),
    ]
    assert f"Reminder 1 of 2 sent to {ERIN} for Review1.a of version 1." in [
        e.text for e in status.history
    ]


async def closed_for(stand_in: StandInActivities, reviewer: str, outcome: str) -> None:
    closed = [(u.reviewer, update_outcome(u)) for u in stand_in.message_updates()]
    assert (reviewer, outcome) in closed, closed


async def requested(stand_in: StandInActivities, reviewer: str, stage: str) -> None:
    stages = [r.stage for r in requests_to(stand_in, reviewer)]
    assert stage in stages, stand_in.calls
