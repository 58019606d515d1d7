"""A review started since the patch `lean-review-commands` writes the commands it needs and no
more: one patch marker (and the real markers of `review-messages-carry-facts`,
`strict-payloads` and `registry-registration`, see `workflow.patches`), the review channel copy
posted with its DM, the messages of the round that ends closed by one activity, and the search
attributes right once it completes."""

from __future__ import annotations

from collections import Counter

from temporalio.api.enums.v1 import EventType
from temporalio.client import Client

from slack_presentation.closing_sentences import update_ending
from tests.workflow.review_harness import (
    StandInActivities,
    approve_version_1,
    review_input,
    running_review,
)
from workflow.models import SA_PENDING_REVIEWERS, SA_REVIEW_STATE, SA_SCHEMA_ID
from workflow.patches import (
    PATCH_LEAN_REVIEW_COMMANDS,
    PATCH_MESSAGE_FACTS,
    PATCH_REGISTRY_REGISTRATION,
    PATCH_STRICT_PAYLOADS,
)

CHANNEL = "C0REVIEWS01"


async def test_a_whole_review_writes_its_run_markers_and_one_activity_per_message_job(
    temporal_client: Client,
) -> None:
    stand_in = StandInActivities()
    review = review_input(review_channel=CHANNEL)
    async with running_review(temporal_client, stand_in, review) as handle:
        result = await approve_version_1(handle, stand_in)
        history = await handle.fetch_history()
        attributes = (await handle.describe()).typed_search_attributes

    assert result.approved_version == 1
    markers = [
        e.marker_recorded_event_attributes.details["patch-data"].payloads[0].data
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_MARKER_RECORDED
    ]
    # One marker per decision a run makes once, in its first activation; no marker per patch.
    patch_ids = [
        PATCH_STRICT_PAYLOADS,
        PATCH_LEAN_REVIEW_COMMANDS,
        PATCH_MESSAGE_FACTS,
        PATCH_REGISTRY_REGISTRATION,
    ]
    assert len(markers) == len(patch_ids)
    assert all(p.encode() in m for p, m in zip(patch_ids, markers, strict=True))
    activities = Counter(
        e.activity_task_scheduled_event_attributes.activity_type.name
        for e in history.events
        if e.event_type == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
    )
    # The copies went out with their DMs; Review2's approval closed all three requests at once.
    assert "post_review_channel_copy" not in activities
    assert activities["update_review_messages"] == 1
    # Every request, DM and copy, ends up saying how the round ended.
    final: dict[str, list[str]] = {}
    for update in stand_in.message_updates():
        final[update.stage] = [m.channel for m in update.messages] + [update_ending(update) or ""]
    assert final == {
        stage: [f"D-{reviewer}", CHANNEL, "Version 1 was approved; the review is complete."]
        for stage, reviewer in (
            ("Review1.a", "alice@example.com"),
            ("Review1.b", "bob@example.com"),
            ("Review2", "carol@example.com"),
        )
    }
    assert attributes.get(SA_SCHEMA_ID) == "inventory-service"
    assert attributes.get(SA_REVIEW_STATE) == "approved"
    assert attributes.get(SA_PENDING_REVIEWERS) in (None, [])
