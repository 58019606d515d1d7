"""Workers that share nothing but Temporal and the registry: two worker processes with schema
stores of their own (one with none at all), each finalizing and registering the review the
other uploaded."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from registry_sandbox import RegistrySandbox
from tests.faults.conftest import RegistryRow
from tests.faults.registry_reviews import (
    ORDER_PLACED,
    approve_by_clicks,
    held_versions,
    owner_notices,
    subject_of,
)
from tests.fixtures.worker_processes import WorkerStack, until_completed
from tests.helpers import eventually


async def test_two_workers_with_stores_of_their_own_finish_each_others_reviews(
    registry_worker_stack: WorkerStack,
    schema_registry: RegistrySandbox,
    report_registry_fault: Callable[[RegistryRow], None],
) -> None:
    stack = registry_worker_stack.bot
    first_id, second_id = (f"order-{uuid.uuid4().hex[:8]}" for _ in range(2))
    own_store = registry_worker_stack.tmp_path / "worker-a-store"

    # Worker A alone uploads the first review's document, and stops (a deploy).
    worker_a = await registry_worker_stack.start_worker(store_dir=own_store)
    first = await stack.submit(first_id, document=ORDER_PLACED)
    await until_completed(stack, first, "upload_schema", 1)
    await worker_a.stop()

    # Worker B, keeping nothing locally, finalizes it, and uploads the second review.
    worker_b = await registry_worker_stack.start_worker(store_dir="none")
    await approve_by_clicks(stack)
    first_result = await stack.result(first, within=60)
    second = await stack.submit(second_id, document=ORDER_PLACED)
    await until_completed(stack, second, "upload_schema", 1)
    await worker_b.stop()

    # Worker A again finalizes that one.
    await registry_worker_stack.start_worker(store_dir=own_store)
    held: dict[str, int] = {}
    try:
        await approve_by_clicks(stack)
        second_result = await stack.result(second, within=60)
    finally:
        for schema_id in (first_id, second_id):
            held[schema_id] = len(await held_versions(schema_registry.url, subject_of(schema_id)))
        report_registry_fault(
            RegistryRow(
                "two workers with stores of their own (one none) finalize each other's uploads",
                attempted=2,
                registered=sum(min(n, 1) for n in held.values()),
                lost=sum(1 for n in held.values() if n == 0),
                duplicated=sum(max(n - 1, 0) for n in held.values()),
                note="worker A uploads, B finalizes; B uploads, A finalizes",
            )
        )

    assert held == {first_id: 1, second_id: 1}
    for schema_id, result in ((first_id, first_result), (second_id, second_result)):
        assert result.registry is not None
        assert (result.registry.subject, result.registry.version) == (subject_of(schema_id), 1)

    async def owner_told() -> None:
        for schema_id in (first_id, second_id):
            registered = f"Registered as `{subject_of(schema_id)}` version 1"
            assert owner_notices(stack, registered), f"not told of {schema_id}"

    await eventually(owner_told, within=20)
    # Nothing went through a shared directory: A's store never saw what B uploaded, and the
    # stack's shared one was never written.
    assert not list(own_store.rglob(f"*{second_id}*"))
    assert not (registry_worker_stack.tmp_path / "store").exists()
