"""A malformed update payload (a hand-written `temporal workflow update execute`, a bot of an
older build) is refused with a sentence saying what was wrong and what to send, and the review
does not change: not Temporal's "Failed decoding arguments"."""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.client import Client, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from tests.helpers import eventually
from tests.workflow.review_harness import StandInActivities, running_review, status_of
from workflow.models import (
    REASSIGNMENT_REFUSED,
    SUBMISSION_REFUSED,
    UPDATE_DECIDE,
    UPDATE_REASSIGN,
    UPDATE_SUBMIT,
    UPDATE_WITHDRAW,
)
from workflow.withdrawal import WITHDRAWAL_REFUSED

CASES = [
    (
        UPDATE_SUBMIT,
        {"version": "two"},
        SUBMISSION_REFUSED,
        "The submission was not read, so nothing changed: the payload lacks schema_id,"
        " description, content_uri, submitted_by.",
    ),
    (
        UPDATE_SUBMIT,
        {
            "schema_id": "inventory-service",
            "version": "two",
            "description": "Adds the warehouse field",
            "content_uri": "https://example.com/schemas/inventory-v2.json",
            "submitted_by": "owner@example.com",
        },
        SUBMISSION_REFUSED,
        "The submission was not read, so nothing changed: version must be a whole number of 1"
        " or more, not 'two'.",
    ),
    (
        UPDATE_SUBMIT,
        "nonsense",
        SUBMISSION_REFUSED,
        "The submission was not read, so nothing changed: the payload must be a JSON object"
        " with schema_id, version, description, content_uri, submitted_by.",
    ),
    (
        UPDATE_SUBMIT,
        {
            "schema_id": "inventory-service",
            "version": True,
            "description": "Adds the warehouse field",
            "content_uri": "https://example.com/schemas/inventory-v2.json",
            "submitted_by": "owner@example.com",
            "urgent": True,
        },
        SUBMISSION_REFUSED,
        "The submission was not read, so nothing changed: the payload has an unknown field"
        " (urgent): its fields are schema_id, version, description, content_uri, submitted_by,"
        " compatibility_mode, references.",
    ),
    (
        UPDATE_DECIDE,
        {
            "stage": "Review1.a",
            "reviewer": "alice@example.com",
            "submission_version": 1.0,
            "approved": True,
        },
        "DecisionRefused",
        "The decision was not read, so nothing changed: submission_version must be a whole"
        " number of 1 or more, not 1.0.",
    ),
    (
        UPDATE_DECIDE,
        "approve",
        "DecisionRefused",
        "The decision was not read, so nothing changed: the payload must be a JSON object:"
        ' send {"stage": "Review1.a", "reviewer": "alice@example.com", "submission_version": 1,'
        ' "approved": true}.',
    ),
    (
        UPDATE_DECIDE,
        {"stage": "Review1.a", "reviewer": "alice@example.com", "approved": "yes"},
        "DecisionRefused",
        "The decision was not read, so nothing changed: the payload lacks submission_version:"
        ' send {"stage": "Review1.a", "reviewer": "alice@example.com", "submission_version": 1,'
        ' "approved": true}.',
    ),
    (
        UPDATE_REASSIGN,
        {"seat": "reviewer_a"},
        REASSIGNMENT_REFUSED,
        "The reassignment was not read, so nothing changed: the payload lacks reviewer,"
        ' requested_by: send {"seat": "reviewer_a", "reviewer": "erin@example.com",'
        ' "requested_by": "owner@example.com", "reason": "on leave"}.',
    ),
    (
        UPDATE_REASSIGN,
        {"seat": "reviewer_a", "reviewer": 7, "requested_by": "owner@example.com"},
        REASSIGNMENT_REFUSED,
        "The reassignment was not read, so nothing changed: reviewer must be a string, not 7.",
    ),
    (
        UPDATE_WITHDRAW,
        ["owner@example.com"],
        WITHDRAWAL_REFUSED,
        "The withdrawal was not read, so nothing changed: the payload must be a JSON object:"
        ' send {"requested_by": "owner@example.com", "reason": "no longer needed"}.',
    ),
]


@pytest.mark.parametrize(("update", "payload", "error_type", "sentence"), CASES)
async def test_a_malformed_update_gets_a_sentence_and_changes_nothing(
    temporal_client: Client, update: str, payload: Any, error_type: str, sentence: str
) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:

        async def requests_sent() -> Any:
            status = await status_of(handle)
            assert len(status.pending_reviewers) == 2
            return status

        before = await eventually(requests_sent)
        with pytest.raises(WorkflowUpdateFailedError) as failed:
            await handle.execute_update(update, payload)
        after = await status_of(handle)

    cause = failed.value.cause
    assert isinstance(cause, ApplicationError)
    assert (cause.type, cause.message) == (error_type, sentence)
    assert after == before
