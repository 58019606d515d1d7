"""An approved version is registered in the schema registry once, before anyone is told: at
once, after the registry recovers (the owner told once that it waits), or, refused for good,
when someone asks again; never silently dropped, never registered twice."""

from __future__ import annotations

from typing import Any

import pytest
from temporalio.client import Client, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError
from temporalio.testing import WorkflowEnvironment

from tests.helpers import as_payload, eventually
from tests.workflow.review_harness import (
    OWNER,
    StandInActivities,
    approve_version_1,
    decide,
    review_input,
    running_review,
    status_of,
    submission,
    until_called,
)
from tests.workflow.stand_in_registry import SUBJECT, StandInRegistry, registry_error
from workflow.activity_payloads import FinalizeRequest
from workflow.models import (
    SA_REVIEW_STATE,
    UPDATE_RETRY_REGISTRATION,
    UPDATE_SUBMIT,
    UPDATE_WITHDRAW,
    CarriedState,
    Registration,
    RegistrationRetry,
    ReviewStatus,
    SubmissionOutcome,
    Withdrawal,
)
from workflow.registry_contract import (
    REGISTRY_CONFLICT,
    REGISTRY_UNAUTHORIZED,
    REGISTRY_UNAVAILABLE,
)

ADMIN = "admin@example.com"
CONFLICT = (
    "Schema being registered is incompatible with an earlier schema for subject"
    f" \"{SUBJECT}\" (version 4): the field 'sku' was removed."
)


def finalized(stand_in: StandInActivities) -> list[FinalizeRequest]:
    return [r for r in stand_in.requests if isinstance(r, FinalizeRequest)]


async def retry(handle: WorkflowHandle[Any, Any], by: str = ADMIN) -> str:
    return await handle.execute_update(
        UPDATE_RETRY_REGISTRATION, RegistrationRetry(requested_by=by), result_type=str
    )


async def approved_not_registered(handle: WorkflowHandle[Any, Any]) -> ReviewStatus:
    async def check() -> ReviewStatus:
        status = await status_of(handle)
        assert status.state == "approved_not_registered", status.state
        return status

    return await eventually(check)


async def test_an_approved_version_is_registered_once_before_everyone_is_told(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities(registry=StandInRegistry())
    async with running_review(temporal_client, stand_in) as handle:
        result = await approve_version_1(handle, stand_in)
        status = await status_of(handle)

    held = Registration(subject=SUBJECT, version=4, id=100)
    assert result.registry == held
    assert (status.state, status.registry, status.registry_problem) == ("approved", held, None)
    main = stand_in.main_calls()
    assert main[-2:] == ["register_approved_schema v1", "finalize_review v1"]
    assert [f.registration for f in finalized(stand_in)] == [held]
    request = stand_in.requests[stand_in.calls.index("register_approved_schema v1")]
    assert (request.subject, request.digest, request.document) == (
        SUBJECT,
        result.digest,
        '{"type": "object"}',
    )
    assert status.history[-1].code == "registered"
    assert status.history[-1].text == (
        f"Version 1 registered in the schema registry as {SUBJECT} version 4 (id 100)."
    )
    assert stand_in.registration_notices() == []


async def test_without_a_registry_the_approval_completes_as_before(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        result = await approve_version_1(handle, stand_in)
        status = await status_of(handle)

    assert result.approved_version == 1 and result.registry is None
    assert (status.registry, status.registry_problem) == (None, None)
    assert not any(c.startswith("register_approved_schema") for c in stand_in.calls)
    assert [f.registration for f in finalized(stand_in)] == [None]


async def test_a_registry_down_for_a_while_gets_the_version_once_it_recovers(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    # Failing for longer than the first minute of attempts: the registration goes pending.
    down = registry_error(REGISTRY_UNAUTHORIZED, "The schema registry answered 401 Unauthorized")
    registry = StandInRegistry(failures=[down] * 14)
    stand_in = StandInActivities(registry=registry)
    review = review_input(review_channel="C-schemas")
    async with running_review(time_skipping_env.client, stand_in, review) as handle:
        result = await approve_version_1(handle, stand_in)
        status = await status_of(handle)

    assert result.registry == Registration(subject=SUBJECT, version=4, id=100)
    assert status.registry == result.registry and status.registry_problem is None
    # Told once, owner and review channel, of why it waits.
    (notice,) = stand_in.registration_notices()
    assert (notice.kind, notice.owner, notice.review_channel) == ("pending", OWNER, "C-schemas")
    assert notice.reason.startswith("The schema registry answered 401 Unauthorized. Check the")
    assert "SCHEMA_REGISTRY_" in notice.reason
    assert len(registry.requests) == 15 and len(registry.held) == 1
    codes = [entry.code for entry in status.history]
    assert codes[-2:] == ["registration_pending", "registered"]
    assert [f.registration for f in finalized(stand_in)] == [result.registry]


async def test_a_registry_down_past_the_retry_hours_leaves_the_review_open(
    time_skipping_env: WorkflowEnvironment,
) -> None:
    down = registry_error(REGISTRY_UNAVAILABLE, "The schema registry did not answer (503)")
    registry = StandInRegistry(retry_hours=0.5, failing=down)
    stand_in = StandInActivities(registry=registry)
    async with running_review(time_skipping_env.client, stand_in) as handle:
        await until_called(stand_in, "dispatch_review_request Review1.a v1")
        await decide(handle, "Review1.a")
        await decide(handle, "Review1.b")
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        await decide(handle, "Review2")
        # Time passes only while the test server is told to skip it.
        await time_skipping_env.sleep(3600)
        status = await approved_not_registered(handle)

    assert status.registry is None
    assert status.registry_problem is not None
    assert status.registry_problem.startswith(
        "the schema registry did not take it within 0.5 hours of the approval."
    )
    assert [n.kind for n in stand_in.registration_notices()] == ["pending", "not_registered"]
    assert finalized(stand_in) == []


async def test_a_conflict_keeps_the_review_open_until_a_retry_registers_it(
    temporal_client: Client,
) -> None:
    registry = StandInRegistry(failing=registry_error(REGISTRY_CONFLICT, CONFLICT))
    stand_in = StandInActivities(registry=registry)
    async with running_review(temporal_client, stand_in) as handle:
        with pytest.raises(WorkflowUpdateFailedError) as too_early:
            await retry(handle)
        await until_called(stand_in, "dispatch_review_request Review1.a v1")
        await decide(handle, "Review1.a")
        await decide(handle, "Review1.b")
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        await decide(handle, "Review2")
        waiting = await approved_not_registered(handle)
        listed = (await handle.describe()).typed_search_attributes.get(SA_REVIEW_STATE)
        await until_called(stand_in, "notify_registration not_registered v1")
        with pytest.raises(WorkflowUpdateFailedError) as new_version:
            await handle.execute_update(
                UPDATE_SUBMIT, as_payload(submission(2)), result_type=SubmissionOutcome
            )
        # Someone removes the conflicting version from the subject; an admin asks again.
        registry.failing = None
        answer = await retry(handle)
        result = await handle.result()
        status = await status_of(handle)

    assert "has no registration to retry" in str(too_early.value.cause)
    assert waiting.registry_problem == CONFLICT
    assert listed == "approved_not_registered"
    assert [n.kind for n in stand_in.registration_notices()] == ["not_registered"]
    cause = new_version.value.cause
    assert isinstance(cause, ApplicationError)
    refusal = cause.message
    assert refusal.startswith(
        "Version 2 of inventory-service was not taken: version 1 was approved but is not"
        " registered in the schema registry (Schema being registered is incompatible"
    )
    assert "retry the registration" in refusal
    assert answer == f"Registered: version 1 of inventory-service is {SUBJECT} version 4 (id 100)."
    assert result.approved_version == 1 and result.registry == status.registry
    assert len(registry.requests) == 2 and len(registry.held) == 1
    assert [f.registration for f in finalized(stand_in)] == [result.registry]
    codes = [entry.code for entry in status.history]
    assert codes[-3:] == ["not_registered", "registration_retry_asked", "registered"]
    # The reviewers' messages closed as approved when the version was approved.
    assert {u.stage for u in stand_in.message_updates()} >= {"Review1.a", "Review1.b", "Review2"}


async def test_a_review_left_unregistered_can_be_withdrawn(temporal_client: Client) -> None:
    registry = StandInRegistry(failing=registry_error(REGISTRY_CONFLICT, CONFLICT))
    stand_in = StandInActivities(registry=registry)
    async with running_review(temporal_client, stand_in) as handle:
        await until_called(stand_in, "dispatch_review_request Review1.a v1")
        await decide(handle, "Review1.a")
        await decide(handle, "Review1.b")
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        await decide(handle, "Review2")
        await approved_not_registered(handle)
        await handle.execute_update(
            UPDATE_WITHDRAW, Withdrawal(requested_by=OWNER, reason="Wrong subject"), result_type=str
        )
        result = await handle.result()
        status = await status_of(handle)

    assert (result.approved_version, result.withdrawn_by, result.registry) == (None, OWNER, None)
    assert status.state == "withdrawn"
    assert finalized(stand_in) == [] and len(registry.requests) == 1


async def test_a_review_carried_from_a_run_before_registration_does_not_register(
    temporal_client: Client,
) -> None:
    # What a run started before the patch carries into the run it continues as.
    carried = CarriedState(
        round=0, history=[], all_decisions=[], awaiting_revision_reason=None, last_upload=None
    )
    stand_in = StandInActivities(registry=StandInRegistry())
    async with running_review(temporal_client, stand_in, review_input(carried=carried)) as handle:
        result = await approve_version_1(handle, stand_in)

    assert result.approved_version == 1 and result.registry is None
    assert not any(c.startswith("register_approved_schema") for c in stand_in.calls)


async def test_continue_as_new_carries_the_registration_on(temporal_client: Client) -> None:
    stand_in = StandInActivities(registry=StandInRegistry())
    review = review_input(continue_as_new_after_rounds=1)
    async with running_review(temporal_client, stand_in, review) as handle:
        first_run = (await handle.describe()).run_id
        await until_called(stand_in, "dispatch_review_request Review1.a v1")
        await decide(handle, "Review1.a")
        await decide(handle, "Review1.b", "reject")
        await until_called(stand_in, "record_revision_request Review1.b v1")

        async def continued() -> None:
            assert (await handle.describe()).run_id != first_run

        await eventually(continued)
        await handle.execute_update(
            UPDATE_SUBMIT, as_payload(submission(2)), result_type=SubmissionOutcome
        )
        for stage in ("Review1.a", "Review1.b"):
            await until_called(stand_in, f"dispatch_review_request {stage} v2")
            await decide(handle, stage, version=2)
        await until_called(stand_in, "dispatch_review_request Review2 v2")
        await decide(handle, "Review2", version=2)
        result = await handle.result()

    assert result.approved_version == 2
    assert result.registry == Registration(subject=SUBJECT, version=4, id=100)
