"""Someone registers an incompatible version under the subject, without the bot, while the
review runs: the approval cannot be registered (409), the review stays open as
`approved_not_registered` (its status and its SchemaReviewState search attribute) with the
registry's words; once that version is deleted, `retry_registration` registers the approved
version once. A real worker process, the local registry over HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from bot.reviews.registration_retry import send_registration_retry
from registry_sandbox import RegistrySandbox
from tests.faults.conftest import RegistryRow
from tests.faults.registry_reviews import (
    ORDER_PLACED,
    ORDER_PLACED_BREAKING,
    REGISTER,
    HeldVersion,
    approve_by_clicks,
    delete_version,
    held_versions,
    owner_notices,
    register_directly,
    subject_of,
)
from tests.fixtures.bot_stack import OWNER
from tests.fixtures.registry import RegistryFaults
from tests.fixtures.worker_processes import WorkerStack, until_completed
from tests.helpers import eventually
from workflow.models import SA_REVIEW_STATE, RegistrationRetry, ReviewStatus


async def test_a_conflicting_direct_registration_then_a_retry_registers_once(
    registry_worker_stack: WorkerStack,
    schema_registry: RegistrySandbox,
    registry_faults: RegistryFaults,
    report_registry_fault: Callable[[RegistryRow], None],
) -> None:
    stack = registry_worker_stack.bot
    schema_id = f"order-{uuid.uuid4().hex[:8]}"
    subject = subject_of(schema_id)
    await registry_worker_stack.start_worker()
    workflow_id = await stack.submit(schema_id, document=ORDER_PLACED)
    handle = stack.handle(workflow_id)
    await until_completed(stack, workflow_id, "upload_schema", 1)
    # After the upload's checks, before the approval: a version the review's document cannot
    # read (a field retyped, one added without a default).
    await register_directly(schema_registry.url, subject, ORDER_PLACED_BREAKING)
    await approve_by_clicks(stack)

    async def left_unregistered() -> ReviewStatus:
        status = await stack.status(workflow_id)
        assert status.state == "approved_not_registered", status.state
        return status

    status = await eventually(left_unregistered, within=60)
    listed = (await handle.describe()).typed_search_attributes.get(SA_REVIEW_STATE)

    async def owner_told() -> None:
        assert owner_notices(stack, "incompatible"), "the owner was not told why"

    await eventually(owner_told, within=20)

    await delete_version(schema_registry.url, subject, 1)
    held: list[HeldVersion] = []
    try:
        # As the admin's Retry registration button sends it.
        answer = await send_registration_retry(
            stack.temporal, workflow_id, RegistrationRetry(requested_by=OWNER), "retry-1"
        )
        result = await stack.result(workflow_id, within=30)
    finally:
        # The direct version is deleted: what the subject holds is the bot's.
        held = await held_versions(schema_registry.url, subject)
        report_registry_fault(
            RegistryRow(
                "incompatible version registered directly during the review; deleted; retried",
                attempted=1,
                registered=min(len(held), 1),
                lost=1 - min(len(held), 1),
                duplicated=max(len(held) - 1, 0),
                note=f"{registry_faults.calls[REGISTER] - 1} registrations by the bot (one 409)",
            )
        )

    assert listed == "approved_not_registered"
    assert status.registry is None
    assert status.registry_problem is not None and "incompatible" in status.registry_problem
    # The deleted version's number is not given again: the approved version is version 2.
    assert [v.version for v in held] == [2]
    assert answer.startswith("Registered"), answer
    assert result.registry is not None
    assert (result.registry.subject, result.registry.version) == (subject, 2)
    # One refused by the conflict, one after the retry; plus the direct one.
    assert registry_faults.calls[REGISTER] == 3
