"""Who may submit what to a schema's review."""

from __future__ import annotations

from typing import Any

import pytest

from bot.review_lookup import ExistingReview
from bot.submissions import SubmissionRefused, plan_submission
from workflow.models import Reviewers, ReviewInput, ReviewStatus, Submission

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
