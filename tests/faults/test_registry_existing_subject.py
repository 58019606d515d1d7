"""A schema the bot has never reviewed, whose subject already holds versions in the registry:
its first review is compared with the latest of them (not "nothing to compare with"), and the
breaking change found there reaches the reviewers, with the registry's own verdict beside it.
A real worker process, the local registry over HTTP."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

from registry_sandbox import RegistrySandbox
from tests.faults.conftest import RegistryRow
from tests.faults.registry_reviews import (
    ORDER_PLACED,
    ORDER_PLACED_BREAKING,
    REGISTER,
    held_versions,
    register_directly,
    subject_of,
)
from tests.fixtures.registry import RegistryFaults
from tests.fixtures.worker_processes import WorkerStack


def with_optional_field(name: str, *, base: str = ORDER_PLACED) -> str:
    """A compatible next version: one more field, with a default."""
    document = json.loads(base)
    document["fields"].append({"name": name, "type": "string", "default": ""})
    return json.dumps(document)


async def test_a_subject_with_versions_is_compared_with_its_latest(
    registry_worker_stack: WorkerStack,
    schema_registry: RegistrySandbox,
    registry_faults: RegistryFaults,
    report_registry_fault: Callable[[RegistryRow], None],
) -> None:
    stack = registry_worker_stack.bot
    schema_id = f"order-{uuid.uuid4().hex[:8]}"
    subject = subject_of(schema_id)
    # Three versions registered by the platform team's own pipeline, before the bot.
    second = with_optional_field("channel")
    for document in (ORDER_PLACED, second, with_optional_field("region", base=second)):
        await register_directly(schema_registry.url, subject, document)
    await registry_worker_stack.start_worker()
    await stack.submit(schema_id, version=4, document=ORDER_PLACED_BREAKING)

    request = await stack.review_message("alice@example.com", version=4, within=40)
    shown = json.dumps(request.blocks)
    held = await held_versions(schema_registry.url, subject)
    report_registry_fault(
        RegistryRow(
            "a subject holding 3 versions before the bot: first review compared with v3",
            attempted=0,
            registered=0,
            lost=0,
            duplicated=len(held) - 3,
            note="breaking change found against v3; nothing registered while under review",
        )
    )

    assert "Breaking change* against approved v3 (BACKWARD)" in shown, shown
    assert "nothing to compare with" not in shown
    assert "The schema registry says:" in shown
    assert "Compliance review (Review3) is required" in shown
    # The review's checks registered nothing: only the pipeline's three.
    assert [v.version for v in held] == [1, 2, 3]
    assert registry_faults.calls[REGISTER] == 3
