"""An approved version registered exactly once, whatever happens between the worker and the
registry: the worker SIGKILLed while the registry holds its answer to the registration (which
it has carried out), and a registry that registers but answers 500. Real worker processes, the
local registry over HTTP."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from registry_sandbox import RegistrySandbox
from tests.faults.conftest import RegistryRow
from tests.faults.registry_reviews import (
    LOOKUP,
    ORDER_PLACED,
    REGISTER,
    approve_by_clicks,
    held_versions,
    owner_notices,
    subject_of,
)
from tests.fixtures.registry import RegistryFaults
from tests.fixtures.worker_processes import WorkerStack
from tests.helpers import eventually


def registry_row(fault: str, held: int, note: str) -> RegistryRow:
    return RegistryRow(
        fault,
        attempted=1,
        registered=min(held, 1),
        lost=1 - min(held, 1),
        duplicated=max(held - 1, 0),
        note=note,
    )


async def test_worker_killed_while_the_registry_answers_its_registration(
    registry_worker_stack: WorkerStack,
    schema_registry: RegistrySandbox,
    registry_faults: RegistryFaults,
    report_registry_fault: Callable[[RegistryRow], None],
) -> None:
    stack = registry_worker_stack.bot
    schema_id = f"order-{uuid.uuid4().hex[:8]}"
    subject = subject_of(schema_id)
    # The registry registers the version, then keeps its answer from the worker.
    registry_faults.hang(REGISTER, after_effect=True)
    first = await registry_worker_stack.start_worker()
    workflow_id = await stack.submit(schema_id, document=ORDER_PLACED)
    await approve_by_clicks(stack)

    async def registered_unanswered() -> None:
        assert registry_faults.calls[REGISTER] == 1, "no registration asked yet"
        assert len(await held_versions(schema_registry.url, subject)) == 1

    await eventually(registered_unanswered, within=40)
    first.kill()
    await first.proc.wait()
    registry_faults.release()
    await registry_worker_stack.start_worker()

    held: list[object] = []
    try:
        # The killed attempt times out (20 s), and the new worker's attempt finds the version.
        result = await stack.result(workflow_id, within=90)
    finally:
        held = list(await held_versions(schema_registry.url, subject))
        report_registry_fault(
            registry_row(
                "worker SIGKILL while the registry answers the registration it carried out",
                len(held),
                f"{registry_faults.calls[REGISTER]} registration,"
                f" {registry_faults.calls[LOOKUP]} look-ups",
            )
        )

    assert result.registry is not None
    assert (result.registry.subject, result.registry.version) == (subject, 1)
    assert len(held) == 1
    # The second worker looked the version up and did not register it again.
    assert registry_faults.calls[REGISTER] == 1

    async def owner_told() -> None:
        assert owner_notices(stack, f"Registered as `{subject}` version 1"), "not told yet"

    await eventually(owner_told, within=20)


async def test_a_registry_that_registers_then_answers_500(
    registry_worker_stack: WorkerStack,
    schema_registry: RegistrySandbox,
    registry_faults: RegistryFaults,
    report_registry_fault: Callable[[RegistryRow], None],
) -> None:
    stack = registry_worker_stack.bot
    schema_id = f"order-{uuid.uuid4().hex[:8]}"
    subject = subject_of(schema_id)
    registry_faults.fail_after_effect(REGISTER, status=500)
    await registry_worker_stack.start_worker()
    workflow_id = await stack.submit(schema_id, document=ORDER_PLACED)
    await approve_by_clicks(stack)

    held: list[object] = []
    try:
        result = await stack.result(workflow_id, within=60)
    finally:
        held = list(await held_versions(schema_registry.url, subject))
        report_registry_fault(
            registry_row(
                "registry 500 after it registered the approved version",
                len(held),
                f"{registry_faults.calls[REGISTER]} registration,"
                f" {registry_faults.calls[LOOKUP]} look-ups",
            )
        )

    assert result.registry is not None
    assert (result.registry.subject, result.registry.version) == (subject, 1)
    assert len(held) == 1
    assert registry_faults.calls[REGISTER] == 1

    async def owner_told() -> None:
        assert owner_notices(stack, f"Registered as `{subject}` version 1"), "not told yet"

    await eventually(owner_told, within=20)
