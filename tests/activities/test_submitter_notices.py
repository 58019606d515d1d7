"""What the submitter hears at the end of a pass: the revision request after a rejection, and
the approval (`finalize_review`), also when the schema store cannot record it."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError

from activities.review_messages import ReviewMessageActivities
from schemas.store import SchemaStore
from slack_api.client import WORKER, build_slack_client
from tests.activities.activity_runs import (
    ALICE,
    CAROL,
    another_worker,
    buttons,
    dm_of,
    scheduled_activity,
)
from tests.activities.review_fixtures import (
    finalize_request,
    revision_request,
)
from tests.fixtures.slack_standin import SlackStandInForTests
from workflow.activity_payloads import PostedMessage


async def test_submitter_is_told_the_reason_and_how_to_resubmit(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    posted = await scheduled_activity().run(
        slack_activities.record_revision_request, revision_request()
    )

    message = slack_standin.last_message_to("owner@example.com")
    assert message is not None
    assert posted == [PostedMessage(message.channel, message.ts)]
    shown = json.dumps(message.blocks, ensure_ascii=False)
    assert f"rejected by {CAROL} at Review2 — senior review." in shown
    assert f"rejected by {CAROL} at Review2" in message.text
    assert "The warehouse field needs a maximum length." in shown
    assert (
        "/submit-schema inventory-service 3 https://example.com/schemas/inventory-v2.json" in shown
    )


async def test_finalizing_marks_the_version_approved_and_tells_everyone_involved(
    slack_standin: SlackStandInForTests,
    slack_activities: ReviewMessageActivities,
    store: SchemaStore,
) -> None:
    request = finalize_request()

    await scheduled_activity().run(slack_activities.finalize_review, request)

    stored = store.get("inventory-service", 2)
    assert stored is not None
    assert stored.approved
    owner_note = slack_standin.last_message_to("owner@example.com")
    assert owner_note is not None
    shown = json.dumps(owner_note.blocks, ensure_ascii=False)
    assert "Approved: inventory-service v2" in shown
    assert f"• :white_check_mark: *Approved* by {ALICE} · Review1.a" in shown
    assert f"*Approved* by {CAROL} · Review2" in shown
    # Carol's rejection of version 1 is history, not part of this approval.
    assert "Rejected" not in shown
    for reviewer in ("alice@example.com", "bob@example.com", "carol@example.com"):
        [note] = dm_of(slack_standin, reviewer)
        assert "inventory-service v2 is approved" in note.text
    # Review3 was not needed, so the compliance reviewer was never involved.
    assert dm_of(slack_standin, "dave@example.com") == []


async def test_an_approved_version_an_admin_submitted_is_announced_to_the_owner_too(
    slack_standin: SlackStandInForTests,
    slack_activities: ReviewMessageActivities,
    store: SchemaStore,
) -> None:
    request = finalize_request()
    by_admin = replace(
        request,
        submission=replace(request.submission, submitted_by="erin@example.com"),
        owner="owner@example.com",
    )

    await scheduled_activity().run(slack_activities.finalize_review, by_admin)

    for person in ("erin@example.com", "owner@example.com"):
        [note] = dm_of(slack_standin, person)
        assert "Approved: inventory-service v2" in json.dumps(note.blocks, ensure_ascii=False)


async def test_a_revision_request_for_an_admins_version_reaches_the_owner_too(
    slack_standin: SlackStandInForTests, slack_activities: ReviewMessageActivities
) -> None:
    request = revision_request()
    by_admin = replace(
        request,
        submission=replace(request.submission, submitted_by="erin@example.com"),
        owner="owner@example.com",
    )

    posted = await scheduled_activity().run(slack_activities.record_revision_request, by_admin)

    assert len(posted) == 2
    for person in ("erin@example.com", "owner@example.com"):
        [note] = dm_of(slack_standin, person)
        assert "Changes requested: inventory-service v2" in json.dumps(note.blocks)


def only_the_submitter_heard(standin: SlackStandInForTests) -> str:
    """What the submitter was told, once no one else was told anything."""
    [posted] = standin.calls_to("chat.postMessage")
    [note] = dm_of(standin, "owner@example.com")
    assert posted.params["channel"] == note.channel
    assert buttons(note) == []
    return note.text + "\n" + json.dumps(note.blocks, ensure_ascii=False)


async def test_finalizing_without_a_store_fails_clearly_and_tells_only_the_submitter(
    slack_standin: SlackStandInForTests,
) -> None:
    no_store = ReviewMessageActivities(
        build_slack_client(slack_standin.bot_token, slack_standin.api_url, profile=WORKER), None
    )

    with pytest.raises(ApplicationError) as failed:
        await scheduled_activity().run(no_store.finalize_review, finalize_request())

    assert failed.value.type == "SchemaStoreMissing"
    assert failed.value.non_retryable
    assert "has no schema store (SCHEMA_STORE_DIR)" in only_the_submitter_heard(slack_standin)


async def test_a_version_the_store_holds_another_document_for_is_not_announced_as_approved(
    slack_standin: SlackStandInForTests,
    slack_activities: ReviewMessageActivities,
    store: SchemaStore,
) -> None:
    request = finalize_request()
    request.upload = replace(request.upload, digest="sha256:" + "f" * 64)

    with pytest.raises(ApplicationError) as failed:
        await scheduled_activity().run(slack_activities.finalize_review, request)

    assert failed.value.type == "SchemaNotApprovable"
    assert failed.value.non_retryable
    assert "not marked approved" in failed.value.message
    stored = store.get("inventory-service", 2)
    assert stored is not None
    assert not stored.approved
    told = only_the_submitter_heard(slack_standin)
    assert "Approved, not recorded: inventory-service v2" in told
    assert "version 2 was approved by its reviewers, but the schema store refused it" in told


async def test_a_version_uploaded_on_another_workers_store_is_approved_but_said_not_recorded(
    slack_standin: SlackStandInForTests, tmp_path: Path
) -> None:
    """A second worker, or a store directory lost since the upload: this worker's store does
    not hold the version the reviewers approved."""
    elsewhere = SchemaStore(tmp_path / "another-workers-schemas")
    worker = another_worker(slack_standin, elsewhere)

    with pytest.raises(ApplicationError) as failed:
        await scheduled_activity().run(worker.finalize_review, finalize_request())

    assert failed.value.type == "SchemaNotApprovable"
    assert failed.value.non_retryable
    assert failed.value.message == (
        "the schema store on the worker that finalized it does not hold version 2 of"
        " inventory-service, so it is not marked approved there, and only the submitter was"
        " told. SCHEMA_STORE_DIR must be one persistent volume that every worker shares."
    )
    told = only_the_submitter_heard(slack_standin)
    assert (
        "*inventory-service* version 2 was approved by its reviewers, but the schema store on"
        " the worker that finalized it does not hold version 2 of inventory-service" in told
    )
    assert "The reviewers were not told." in told
    assert "/schema-status inventory-service" in told
