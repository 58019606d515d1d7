"""Who may submit what to a schema's review, and what a review that ended without approval
leaves for the next submission."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from temporalio.client import Client, WorkflowFailureError
from temporalio.testing import WorkflowEnvironment

from bot.reviews.lookup import ExistingReview, find_review
from bot.reviews.submission_plan import SubmissionRefused, plan_submission, review_input
from bot.reviews.submit import submit
from bot.runtime.settings import Settings, load_settings
from tests.fixtures.bot_stack import INVENTORY_V1
from tests.helpers import as_payload, new_worker
from tests.workflow.review_harness import StandInActivities, until_called, until_history
from workflow.models import (
    SA_SUBMITTED_BY,
    WORKFLOW_TYPE,
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


def existing(
    version: int, *, running: bool = True, by: str = OWNER, owner: str | None = OWNER
) -> ExistingReview:
    """The review as `find_review` reports it: the current version, who submitted it (`by`),
    and whose schema it is (`owner`; None as reported by reviews older than the field)."""
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
        owner=owner,
    )
    return ExistingReview("schema-approval-inventory", running, status)


def document_url(directory: Path, version: int) -> str:
    """A valid schema document per version, for the check that runs before a submission."""
    path = directory / f"v{version}.json"
    path.write_text(json.dumps({**INVENTORY_V1, "title": f"Inventory v{version}"}))
    return path.as_uri()


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


async def test_a_review_that_failed_on_its_input_says_why_and_frees_the_schema(
    temporal_client: Client,
) -> None:
    schema_id = f"inventory-{uuid.uuid4().hex[:8]}"
    submission = as_payload(Submission(schema_id, 1, "", "https://x.test/s.json", OWNER))
    async with new_worker(temporal_client, SchemaApprovalWorkflow) as worker:
        handle = await temporal_client.start_workflow(
            WORKFLOW_TYPE,
            {"submission": submission},
            id=workflow_id_for(schema_id),
            task_queue=worker.task_queue,
        )
        with pytest.raises(WorkflowFailureError):
            await handle.result()

        found = await find_review(temporal_client, schema_id)

    assert found is not None and (found.running, found.status, found.ended_as) == (
        False,
        None,
        "failed",
    )
    text = found.ending_text(schema_id)
    assert text.startswith(
        f"The last review of '{schema_id}' failed without an approval: The review cannot"
        " start: the input lacks reviewers. Start it again with an input shaped like this"
    )
    assert text.endswith("Start a new one with `/submit-schema`.")
    assert plan_submission(found, review(1), []).kind == "start"


def test_a_review_stopped_by_an_operator_says_so() -> None:
    stopped = ExistingReview("schema-approval-inventory", False, None, "terminated", "test over")
    quiet = ExistingReview("schema-approval-inventory", False, None, "timed_out")

    assert stopped.ending_text("inventory") == (
        "The last review of 'inventory' was stopped by an operator without an approval: test"
        " over. Start a new one with `/submit-schema`."
    )
    assert quiet.ending_text("inventory") == (
        "The last review of 'inventory' timed out without an approval."
        " Start a new one with `/submit-schema`."
    )


def test_the_owner_submits_again_after_an_admin_submitted_a_version() -> None:
    after_admin = existing(2, by=ADMIN, owner=OWNER)

    plan = plan_submission(after_admin, review(3, by=OWNER), [ADMIN])

    assert (plan.kind, plan.previous_version, plan.owner) == ("new_version", 2, OWNER)
    error = refusal(after_admin, review(3, by="mallory@example.com"), [ADMIN])
    assert str(error).startswith(f"inventory was submitted by {OWNER}: only they or an admin")


def test_a_review_older_than_the_owner_field_is_owned_by_its_submitter() -> None:
    assert plan_submission(existing(1, owner=None), review(2), []).owner == OWNER
    error = refusal(existing(1, by=ADMIN, owner=None), review(2), [])
    assert f"was submitted by {ADMIN}: only they or an admin" in str(error)


def test_a_new_review_after_approval_keeps_the_owner_off_its_roster() -> None:
    approved = existing(2, running=False, by=ADMIN, owner=OWNER)

    plan = plan_submission(approved, review(3, by=ADMIN), [ADMIN])
    assert (plan.kind, plan.owner) == ("restart_after_approval", OWNER)

    roster_with_owner = Reviewers("alice@example.com", "bob@example.com", CAROL, OWNER)
    error = refusal(approved, review(3, by=ADMIN, reviewers=roster_with_owner), [ADMIN])
    assert f"{OWNER} submitted this schema and may not review it" in str(error)
    assert error.field == "reviewers"


def test_a_reviewer_of_the_running_review_may_not_submit_its_next_version() -> None:
    error = refusal(existing(1), review(2, by=CAROL), [CAROL])

    assert str(error) == (
        "inventory is in review with carol@example.com as its Review2 reviewer, and the"
        f" submitter may not review their own schema: ask {OWNER} or another admin to submit"
        " version 2, or have your seat reassigned first."
    )
    assert error.field == "schema_id"


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
    time_skipping_env: WorkflowEnvironment, tmp_path: Path
) -> None:
    """Reminders were switched off after the review started: the running review still reminds
    the reviewers of the version handed to it, as it was started to."""
    client = time_skipping_env.client
    stand_in = StandInActivities()
    schema_id = f"inventory-{uuid.uuid4().hex[:8]}"

    def submitted(version: int, settings: Settings) -> ReviewInput:
        sub = Submission(schema_id, version, "", document_url(tmp_path, version), OWNER)
        return review_input(sub, ROSTER, settings)

    async with new_worker(
        client, SchemaApprovalWorkflow, activities=stand_in.activities()
    ) as worker:
        started = load_settings(
            _env_file=None,
            temporal_task_queue=worker.task_queue,
            review_reminder_hours="1",
            review_max_reminders="2",
            schema_fetch_allow_private=True,
            schema_fetch_file_root=tmp_path,
        )
        first = await submit(client, started, submitted(1, started))
        assert (first.plan.kind, first.outcome.kind) == ("start", "under_review")
        await until_called(stand_in, "dispatch_review_request Review1.a v1")
        quiet = load_settings(
            _env_file=None,
            temporal_task_queue=worker.task_queue,
            review_reminder_hours="0",
            schema_fetch_allow_private=True,
            schema_fetch_file_root=tmp_path,
        )
        second = await submit(client, quiet, submitted(2, quiet))
        assert (second.plan.kind, second.outcome.kind) == ("new_version", "new_version")
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


async def test_the_owner_submits_the_version_after_an_admins_in_temporal(
    temporal_client: Client, tmp_path: Path
) -> None:
    """The audit's reproduction: owner Olivia starts, admin Erin submits v2, Olivia's v3 must
    be taken; the review stays Olivia's, also in the list of her submissions."""
    stand_in = StandInActivities()
    schema_id = f"inventory-{uuid.uuid4().hex[:8]}"

    def submitted(version: int, by: str, settings: Settings) -> ReviewInput:
        sub = Submission(schema_id, version, "", document_url(tmp_path, version), by)
        return review_input(sub, ROSTER, settings)

    async with new_worker(
        temporal_client, SchemaApprovalWorkflow, activities=stand_in.activities()
    ) as worker:
        settings = load_settings(
            _env_file=None,
            temporal_task_queue=worker.task_queue,
            slack_admins=ADMIN,
            schema_fetch_allow_private=True,
            schema_fetch_file_root=tmp_path,
        )
        plans = [
            await submit(temporal_client, settings, submitted(1, OWNER, settings)),
            await submit(temporal_client, settings, submitted(2, ADMIN, settings)),
        ]
        await until_called(stand_in, "dispatch_review_request Review1.a v2")
        plans.append(await submit(temporal_client, settings, submitted(3, OWNER, settings)))
        await until_called(stand_in, "dispatch_review_request Review1.a v3")
        handle = temporal_client.get_workflow_handle(workflow_id_for(schema_id))
        status = await handle.query(SchemaApprovalWorkflow.status)
        listed = (await handle.describe()).typed_search_attributes.get(SA_SUBMITTED_BY)
        await handle.terminate("test finished")

    assert [s.plan.kind for s in plans] == ["start", "new_version", "new_version"]
    assert [(s.outcome.kind, s.outcome.previous_version) for s in plans] == [
        ("under_review", None),
        ("new_version", 1),
        ("new_version", 2),
    ]
    assert (status.version, status.submitted_by, status.owner) == (3, OWNER, OWNER)
    assert listed == OWNER
