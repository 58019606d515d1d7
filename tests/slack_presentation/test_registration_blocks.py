"""The schema registry in `/schema-status` and App Home: where the approved version is
registered, why it is not (yet), and "Retry registration" while the review waits for it."""

from __future__ import annotations

import json
from typing import Any

from slack_presentation.home_blocks import home_view
from slack_presentation.mentions import NO_MENTIONS
from slack_presentation.registration_blocks import RETRY_REGISTRATION_ACTION
from slack_presentation.status_blocks import status_blocks
from workflow.models import Registration, Reviewers, ReviewStatus
from workflow.read_models import ReviewSummary

OWNER = "owner@example.com"
ROSTER = Reviewers("alice@example.com", "bob@example.com", "carol@example.com", "d@example.com")
UI_URL = "http://temporal.example:8233/namespaces/default/workflows/schema-approval-inventory"


def approved(**changes: Any) -> ReviewStatus:
    fields: dict[str, Any] = {
        "schema_id": "inventory",
        "version": 2,
        "state": "approved",
        "round": 1,
        "active_round": None,
        "active_stages": [],
        "pending_reviewers": [],
        "decisions": [],
        "digest": "sha256:" + "ab" * 32,
        "history": [],
        "submitted_by": OWNER,
        "description": "",
        "content_uri": "https://example.com/schemas/inventory-v2.json",
        "reviewers": ROSTER,
    }
    return ReviewStatus(**(fields | changes))


def registry_text(status: ReviewStatus) -> str:
    blocks = status_blocks(status, UI_URL, NO_MENTIONS)
    [registry] = [b for b in blocks if b.get("block_id") == "review_registry"]
    return json.dumps(registry)


def test_a_registered_version_shows_its_subject_version_and_id() -> None:
    shown = registry_text(approved(registry=Registration("inventory-value", 7, 1042)))

    assert "Registered in the schema registry: `inventory-value` version 7 (id 1042)" in shown
    assert RETRY_REGISTRATION_ACTION not in shown


def test_a_pending_registration_says_why_it_waits() -> None:
    status = approved(registry_problem="Registration pending: The registry answered 503.")

    shown = registry_text(status)

    assert "Registration pending: The registry answered 503." in shown
    assert RETRY_REGISTRATION_ACTION not in shown


def test_a_refused_registration_offers_the_retry_to_everyone() -> None:
    status = approved(
        state="approved_not_registered",
        registry_problem="Schema being registered is incompatible with an earlier schema.",
    )

    blocks = status_blocks(status, UI_URL, NO_MENTIONS)
    shown = registry_text(status)

    assert "Approved, not registered: Schema being registered is incompatible" in shown
    assert RETRY_REGISTRATION_ACTION in shown
    assert "Approved, not registered" in json.dumps(blocks[1])


def test_without_a_registry_the_status_says_nothing_of_one() -> None:
    blocks = status_blocks(approved(), UI_URL, NO_MENTIONS)

    assert "review_registry" not in json.dumps(blocks)


def test_app_home_offers_the_retry_beside_the_withdrawal() -> None:
    waiting = ReviewSummary(
        "inventory", "schema-approval-inventory", "approved_not_registered", OWNER, [], True
    )

    home = json.dumps(home_view([], [waiting], NO_MENTIONS))

    assert "Approved, not registered" in home
    assert RETRY_REGISTRATION_ACTION in home
    assert "reassign" not in home.lower()
