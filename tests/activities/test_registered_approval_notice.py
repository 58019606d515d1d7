"""`finalize_review` of a version the schema registry registered: no directory store is
needed, and the owner's notice says where the registry holds it."""

from __future__ import annotations

import json
from dataclasses import replace

from activities.review_messages import ReviewMessageActivities
from slack_api.client import WORKER, build_slack_client
from tests.activities.activity_runs import dm_of, scheduled_activity
from tests.activities.review_fixtures import finalize_request
from tests.fixtures.slack_standin import SlackStandInForTests
from workflow.registry_contract import Registration


async def test_a_registered_approval_needs_no_store_and_names_the_registered_version(
    slack_standin: SlackStandInForTests,
) -> None:
    no_store = ReviewMessageActivities(
        build_slack_client(slack_standin.bot_token, slack_standin.api_url, profile=WORKER), None
    )
    request = replace(finalize_request(), registration=Registration("order-placed-value", 1, 1))

    await scheduled_activity().run(no_store.finalize_review, request)

    owner_note = slack_standin.last_message_to("owner@example.com")
    assert owner_note is not None
    shown = json.dumps(owner_note.blocks, ensure_ascii=False)
    assert "Registered as `order-placed-value` version 1 (id 1)." in shown
    assert "Registered as `order-placed-value` version 1 (id 1)." in owner_note.text
    assert "schema store" not in shown
    # The reviewers hear of the approval as without a registry.
    [note] = dm_of(slack_standin, "alice@example.com")
    assert "inventory-service v2 is approved" in note.text
