"""The `people_away` workflow on Temporal's time-skipping server: an absence hands the open seat
to the delegate with a note, refuses what cannot be, and gives the seat back once the date has
passed (a durable timer), while a review started with a stand-in says for whom."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment

from activities.away_seats import AwaySeatActivities
from bot.reviews.away_client import back_at
from tests.helpers import eventually, new_worker
from tests.workflow.review_harness import (
    REVIEWERS,
    StandInActivities,
    decide,
    review_input,
    status_of,
    until_called,
)
from workflow.away_contract import Absence, AwayState, StandIn
from workflow.models import REVIEW_1A, REVIEW_1B, REVIEW_2
from workflow.people_away import PeopleAwayWorkflow
from workflow.schema_approval import SchemaApprovalWorkflow

CAROL, ERIN = REVIEWERS.senior_reviewer, "erin@example.com"


def absence(today: date, days: int, **changes: Any) -> Absence:
    until = today + timedelta(days=days)
    fields: dict[str, Any] = {
        "person": CAROL,
        "until": until.isoformat(),
        "delegate": ERIN,
        "back_at": back_at(until, None).isoformat(),
        "set_by": CAROL,
    }
    return Absence(**(fields | changes))


async def test_an_open_seat_goes_to_the_delegate_and_returns_after_the_date(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    client: Client = time_skipping_env.client
    stand_in = StandInActivities()
    review_id = f"schema-approval-away-{uuid.uuid4()}"

    async def waiting_on(_: Client, person: str, __: str) -> list[str]:
        return [review_id]

    seats = AwaySeatActivities(client, find=waiting_on)
    async with new_worker(
        client,
        SchemaApprovalWorkflow,
        PeopleAwayWorkflow,
        activities=[*stand_in.activities(), *seats.all()],
    ) as worker:
        review = await client.start_workflow(
            SchemaApprovalWorkflow.run, review_input(), id=review_id, task_queue=worker.task_queue
        )
        await until_called(stand_in, "dispatch_review_request Review1.b v1")
        await decide(review, REVIEW_1A)
        await decide(review, REVIEW_1B)
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        away = await client.start_workflow(
            PeopleAwayWorkflow.run,
            AwayState(),
            id=f"people-away-{uuid.uuid4()}",
            task_queue=worker.task_queue,
        )
        today = (await time_skipping_env.get_current_time()).date()

        await away.execute_update(PeopleAwayWorkflow.set_away, absence(today, 2))

        async def handed_over() -> None:
            status = await status_of(review)
            assert status.reviewers.senior_reviewer == ERIN
            assert any(
                f"is away until {today + timedelta(days=2)}" in e.text for e in status.history
            )

        await eventually(handed_over)
        # Nobody decided: the date passes (the timer), and the seat still open goes back.
        await time_skipping_env.sleep(timedelta(days=3, hours=1))

        async def returned() -> None:
            status = await status_of(review)
            assert status.reviewers.senior_reviewer == CAROL
            assert [(p.stage, p.reviewer) for p in status.pending_reviewers] == [(REVIEW_2, CAROL)]

        await eventually(returned)
        assert await away.query(PeopleAwayWorkflow.absences) == []
        await review.terminate("test finished")
        await away.terminate("test finished")


async def test_absences_that_cannot_be_are_refused_with_a_sentence(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    client = time_skipping_env.client
    async with new_worker(
        client, PeopleAwayWorkflow, activities=AwaySeatActivities(client).all()
    ) as worker:
        away = await client.start_workflow(
            PeopleAwayWorkflow.run,
            AwayState(),
            id=f"people-away-{uuid.uuid4()}",
            task_queue=worker.task_queue,
        )
        today = (await time_skipping_env.get_current_time()).date()
        await away.execute_update(
            PeopleAwayWorkflow.set_away, absence(today, 5, person=ERIN, delegate="dave@example.com")
        )
        refusals = {
            "has passed already: give a date in the future": absence(today, -2),
            "cannot stand in for yourself": absence(today, 2, delegate=CAROL),
            "erin@example.com is away too": absence(today, 2),
        }
        for sentence, refused in refusals.items():
            try:
                await away.execute_update(PeopleAwayWorkflow.set_away, refused)
            except WorkflowUpdateFailedError as error:
                assert sentence in str(error.cause)
            else:
                raise AssertionError(f"accepted: {refused}")
        absences = await away.query(PeopleAwayWorkflow.absences)
        assert [a.person for a in absences] == [ERIN]
        await away.terminate("test finished")


async def test_a_review_started_with_a_stand_in_asks_the_delegate_for_the_absent(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    client = time_skipping_env.client
    stand_in = StandInActivities()
    roster = REVIEWERS.with_seat("senior_reviewer", ERIN)
    review = replace(review_input(stand_ins=[StandIn(ERIN, CAROL, "2026-12-24")]), reviewers=roster)
    async with new_worker(client, SchemaApprovalWorkflow, activities=stand_in.activities()) as w:
        handle = await client.start_workflow(
            SchemaApprovalWorkflow.run, review, id=f"away-{uuid.uuid4()}", task_queue=w.task_queue
        )
        await until_called(stand_in, "dispatch_review_request Review1.b v1")
        await decide(handle, REVIEW_1A)
        await decide(handle, REVIEW_1B)
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        request = stand_in.review_requests()[-1]
        assert (request.reviewer, request.standing_in_for, request.away_until) == (
            ERIN,
            CAROL,
            "2026-12-24",
        )
        await decide(handle, REVIEW_2, reviewer=ERIN)
        assert (await handle.result()).approved_version == 1
