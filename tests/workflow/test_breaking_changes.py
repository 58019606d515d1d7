"""What a breaking change does to a review, under each BREAKING_CHANGE_POLICY, with the real
upload activity judging an Avro change against the version a completed review approved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from temporalio.client import Client, WorkflowHandle

from tests.fixtures.compatibility_corpus import ID, NOTE, QTY, avro
from tests.workflow.compatibility_runs import UploadStack, upload_stack
from tests.workflow.review_harness import decide, status_of, until_called, until_history

APPROVED = avro(ID, QTY)
BREAKING = avro(ID, QTY, NOTE)  # `note` without a default: readers of v2 cannot read v1 data
COMPATIBLE = avro(ID, QTY, {"name": "note", "type": "string", "default": ""})


async def through_first_round(stack: UploadStack, handle: WorkflowHandle[Any, Any]) -> None:
    """Both Review1 seats approve version 2; returns once the senior reviewer was asked."""
    await until_called(stack.stand_in, "dispatch_review_request Review1.b v2")
    for stage in ("Review1.a", "Review1.b"):
        await decide(handle, stage, version=2)
    await until_called(stack.stand_in, "dispatch_review_request Review2 v2")


async def test_a_breaking_change_requires_compliance_even_without_escalation(
    temporal_client: Client, tmp_path: Path
) -> None:
    async with upload_stack(temporal_client, tmp_path) as stack:
        stack.approve_earlier("orders", ".avsc", (APPROVED,))
        handle = await stack.submit("orders", 2, BREAKING, ".avsc")
        await through_first_round(stack, handle)
        await decide(handle, "Review2", version=2)
        await until_called(stack.stand_in, "dispatch_review_request Review3 v2")
        status = await status_of(handle)
        await decide(handle, "Review3", version=2)
        result = await handle.result()

    assert status.active_stages == ["Review3"]
    assert status.compatibility is not None and not status.compatibility.compatible
    assert "Field `note` was added without a default" in status.compatibility.problems[0]
    assert any("Compliance review (Review3) is required" in h.text for h in status.history)
    # The compliance reviewer's request carries the verdict that explains why it was sent.
    review3 = [r for r in stack.stand_in.review_requests() if r.stage == "Review3"]
    assert review3[0].upload.requires_compliance()
    assert result.approved_version == 2


async def test_a_compatible_change_follows_the_conductor_graph(
    temporal_client: Client, tmp_path: Path
) -> None:
    async with upload_stack(temporal_client, tmp_path) as stack:
        stack.approve_earlier("orders", ".avsc", (APPROVED,))
        handle = await stack.submit("orders", 2, COMPATIBLE, ".avsc")
        await through_first_round(stack, handle)
        await decide(handle, "Review2", version=2)
        result = await handle.result()

    assert result.approved_version == 2
    assert "dispatch_review_request Review3 v2" not in stack.stand_in.calls


async def test_under_allow_a_breaking_change_needs_no_compliance_review(
    temporal_client: Client, tmp_path: Path
) -> None:
    async with upload_stack(temporal_client, tmp_path, policy="allow") as stack:
        stack.approve_earlier("orders", ".avsc", (APPROVED,))
        handle = await stack.submit("orders", 2, BREAKING, ".avsc")
        await through_first_round(stack, handle)
        status = await status_of(handle)
        await decide(handle, "Review2", version=2)
        result = await handle.result()

    assert status.compatibility is not None and not status.compatibility.compatible
    assert result.approved_version == 2
    assert "dispatch_review_request Review3 v2" not in stack.stand_in.calls


async def test_under_refuse_the_owner_is_told_and_no_reviewer_is_asked(
    temporal_client: Client, tmp_path: Path
) -> None:
    async with upload_stack(temporal_client, tmp_path, policy="refuse") as stack:
        stack.approve_earlier("orders", ".avsc", (APPROVED,))
        handle = await stack.submit("orders", 2, BREAKING, ".avsc")
        status = await until_history(handle, "Waiting for a revised version")
        await until_called(stack.stand_in, "record_revision_request upload v2")
        await handle.terminate("test finished")

    assert status.state == "awaiting_revision"
    assert status.revision_reason is not None
    assert "breaks consumers of the approved version 1 (BACKWARD)" in status.revision_reason
    assert "Field `note` was added without a default" in status.revision_reason
    assert not stack.stand_in.review_requests()
    assert stack.store.versions("orders") == [1]


async def test_a_copy_of_the_approved_version_starts_no_review(
    temporal_client: Client, tmp_path: Path
) -> None:
    async with upload_stack(temporal_client, tmp_path) as stack:
        stack.approve_earlier("orders", ".avsc", (APPROVED,))
        handle = await stack.submit("orders", 2, APPROVED, ".avsc")
        status = await until_history(handle, "Waiting for a revised version")
        await handle.terminate("test finished")

    assert status.revision_reason is not None
    assert "identical to the approved version 1" in status.revision_reason
    assert not stack.stand_in.review_requests()


async def test_a_mode_sent_with_submit_schema_reaches_the_upload(
    temporal_client: Client, tmp_path: Path
) -> None:
    async with upload_stack(temporal_client, tmp_path) as stack:
        stack.approve_earlier("orders", ".avsc", (APPROVED,))
        handle = await stack.submit("orders", 2, COMPATIBLE, ".avsc")
        await until_called(stack.stand_in, "dispatch_review_request Review1.b v2")
        stack.server.documents["v3.avsc"] = BREAKING.encode()
        await handle.signal(
            "submit_schema",
            {
                "schema_id": "orders",
                "version": 3,
                "description": "Under FORWARD",
                "content_uri": stack.server.url("/schemas/v3.avsc"),
                "submitted_by": "owner@example.com",
                "compatibility_mode": "FORWARD",
            },
        )
        await until_called(stack.stand_in, "dispatch_review_request Review1.b v3")
        status = await status_of(handle)
        await handle.terminate("test finished")

    # Readers still using v1 skip the new field: compatible FORWARD, though not BACKWARD.
    assert status.compatibility is not None
    assert (status.compatibility.mode, status.compatibility.compatible) == ("FORWARD", True)
    assert stack.store.compatibility_mode("orders") == "FORWARD"
