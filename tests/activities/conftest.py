"""Fixtures every activity test module may ask for."""

from __future__ import annotations

from pathlib import Path

import pytest

from activities.review_messages import ReviewMessageActivities
from schemas.store import SchemaStore
from slack_api.client import WORKER, build_slack_client
from tests.activities.review_fixtures import DIGEST
from tests.fixtures.slack_standin import SlackStandInForTests


@pytest.fixture
def store(tmp_path: Path) -> SchemaStore:
    """The real store, holding version 2 of inventory-service as `upload_schema` would have
    left it (the version the review fixtures approve)."""
    store = SchemaStore(tmp_path / "schemas")
    store.save("inventory-service", 2, b'{"type": "object"}', "JSON Schema", DIGEST)
    return store


@pytest.fixture
def slack_activities(
    slack_standin: SlackStandInForTests, store: SchemaStore
) -> ReviewMessageActivities:
    """The Slack activities on a worker with that store, talking to the Slack stand-in."""
    return ReviewMessageActivities(
        build_slack_client(slack_standin.bot_token, slack_standin.api_url, profile=WORKER), store
    )
