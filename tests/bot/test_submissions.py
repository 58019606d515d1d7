"""Who may submit what to a schema's review."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from temporalio.testing import WorkflowEnvironment

from bot.review_lookup import ExistingReview
from bot.settings import Settings, load_settings
from bot.submissions import SubmissionRefused, plan_submission, review_input, submit
from tests.helpers import new_worker
from tests.workflow.review_harness import StandInActivities, until_called, until_history
from workflow.models import (
    ReminderPolicy,
    Reviewers,
    ReviewInput,
    ReviewStatus,
    Submission,
    workflow_id_for,
)
from workflow.schema_approval import SchemaApprovalWorkflow

OWNER, ADMIN, CAROL = "owner@example.com", "erin@example.com", "carol@example.com"
ROSTER = Reviewers("alice@example.com", "bob@example.com", CAROL, "dave@example.com")


def review(version: int, by: str = OWNER, reviewers: Reviewers = ROSTER) -> ReviewInput:
    return ReviewInput(Submission("inventory", version, "", "https://x.test/s.json", by), reviewers)


def existing(version: int, *, running: bool = True, by: str = OWNER) -> ExistingReview:
    status: Any = ReviewStatus(
        schema_id="inventory",
        version=version,
        state="awaiting_review" if running else "approved",
        round=1,
        active_round=None,
        active_stages=[],
        pending_reviewers=[],
        decisions=[],
        digest=None,
        history=[],
        submitted_by=by,
        description="",
        content_uri="https://x.test/s.json",
        reviewers=ROSTER,
    )
    return ExistingReview("schema-approval-inventory", running, status)


def refusal(*args: Any) -> SubmissionRefused:
    with pytest.raises(SubmissionRefused) as caught:
        plan_submission(*args)
    return caught.value


def test_a_schema_without_review_starts_one() -> None:
    assert plan_submission(None, review(1), []).kind == "start"
    ended = ExistingReview("schema-approval-inventory", False, None, ended_as="terminated")
    assert plan_submission(ended, review(1, by=ADMIN), []).kind == "start"


def test_the_submitter_sends_a_higher_version_to_the_running_review() -> None:
    plan = plan_submission(existing(2), review(3, by=OWNER.upper()), [])

    assert (plan.kind, plan.previous_version) == ("new_version", 2)


def test_a_version_not_higher_is_refused_with_the_current_one() -> None:
    error = refusal(existing(2), review(2), [])

    assert (
        str(error) == "inventory is in review at version 2: submit a version higher than 2, e.g. 3."
    )
    assert error.field == "version"


def test_only_the_submitter_or_an_admin_may_submit_the_next_version() -> None:
    error = refusal(existing(1), review(2, by=CAROL), [ADMIN])
    assert "was submitted by owner@example.com: only they or an admin" in str(error)
    assert error.field == "schema_id"

    assert plan_submission(existing(1), review(2, by=ADMIN), [ADMIN]).kind == "new_version"


def test_after_approval_a_higher_version_starts_a_new_review() -> None:
    plan = plan_submission(existing(2, running=False), review(3), [])
    assert (plan.kind, plan.previous_version) == ("restart_after_approval", 2)

    error = refusal(existing(2, running=False), review(2), [])
    assert str(error).startswith("Version 2 of inventory was approved already")


def test_a_new_review_needs_reviewers_other_than_the_submitter() -> None:
    error = refusal(None, review(1, by=CAROL), [])

    assert "carol@example.com submitted this schema and may not review it" in str(error)
    assert error.field == "reviewers"
    # The running review keeps its own roster: a reviewer who is also an admin may submit.
    assert plan_submission(existing(1), review(2, by=CAROL), [CAROL]).kind == "new_version"


def test_a_slack_submission_carries_the_configured_channel_and_reminders() -> None:
    settings = load_settings(
        _env_file=None,
        slack_review_channel="C0REVIEWS01",
        review_reminder_hours="2",
        review_max_reminders="1",
    )
    sub = Submission("inventory", 1, "", "https://x.test/s.json", OWNER)

    review = review_input(sub, ROSTER, settings)

    assert (review.submission, review.reviewers) == (sub, ROSTER)
    assert review.review_channel == "C0REVIEWS01"
    assert review.reminders == ReminderPolicy(7200, 7200, 1)
    quiet = load_settings(_env_file=None, review_reminder_hours="0")
    assert review_input(sub, ROSTER, quiet).reminders is None


async def test_a_new_version_for_a_running_review_keeps_its_reminders(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    """Reminders were switched off after the review started: the running review still reminds
    the reviewers of the version handed to it, as it was started to."""
    client = time_skipping_env.client
    stand_in = StandInActivities()
    schema_id = f"inventory-{uuid.uuid4().hex[:8]}"

    def submitted(version: int, settings: Settings) -> ReviewInput:
        sub = Submission(schema_id, version, "", f"https://x.test/v{version}.json", OWNER)
        return review_input(sub, ROSTER, settings)

    async with new_worker(
        client, SchemaApprovalWorkflow, activities=stand_in.activities()
    ) as worker:
        started = load_settings(
            _env_file=None,
            temporal_task_queue=worker.task_queue,
            review_reminder_hours="1",
            review_max_reminders="2",
        )
        assert (await submit(client, started, submitted(1, started))).kind == "start"
        await until_called(stand_in, "dispatch_review_request Review1.a v1")
        quiet = load_settings(
            _env_file=None, temporal_task_queue=worker.task_queue, review_reminder_hours="0"
        )
        assert (await submit(client, quiet, submitted(2, quiet))).kind == "new_version"
        await until_called(stand_in, "dispatch_review_request Review1.a v2")
        await time_skipping_env.sleep(timedelta(hours=1.5))
        handle = client.get_workflow_handle(workflow_id_for(schema_id))
        await until_history(
            handle, "Reminder 1 of 2 sent to alice@example.com for Review1.a of version 2."
        )
        await handle.terminate("test finished")

    assert sorted(
        (r.request.stage, r.request.submission.version) for r in stand_in.reminders()
    ) == [
        ("Review1.a", 2),
        ("Review1.b", 2),
    ]
