"""Each kind of listener registers all of its own: the modals are taken in one place."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from temporalio.client import Client

from bot.processes.web import start_http
from bot.slack_app.deps import BotDeps
from bot.slack_app.listeners import views
from bot.slack_app.listeners.context import DEPS_KEY
from slack_api.people import SlackPeople
from slack_presentation.submit_modal import (
    FIELD_CONTENT_URI,
    FIELD_SCHEMA_ID,
    FIELD_VERSION,
    submit_modal,
)
from slack_sandbox import modals
from tests.fixtures.bot_stack import OWNER, ROSTER, stack_settings
from tests.fixtures.slack import sandbox_client
from tests.fixtures.slack_standin import SlackStandInForTests

URL = "https://example.com/schemas/orders-v1.json"


async def test_views_register_takes_the_submit_form(
    slack_standin: SlackStandInForTests, temporal_client: Client, tmp_path: Path
) -> None:
    settings = stack_settings(slack_standin, f"listeners-{uuid.uuid4()}", tmp_path)
    deps = BotDeps(settings=settings, temporal=temporal_client, people=SlackPeople())
    app = AsyncApp(
        client=sandbox_client(slack_standin), signing_secret=slack_standin.signing_secret
    )

    async def attach_deps(context: AsyncBoltContext, next_: Callable[[], Awaitable[None]]) -> None:
        context[DEPS_KEY] = deps
        await next_()

    app.middleware(attach_deps)
    views.register(app)
    server = await start_http(app, "127.0.0.1", 0)
    try:
        slack_standin.point_at_bot(server.events_url)
        owner = slack_standin.user_by_email(OWNER).id
        picks = {
            seat: slack_standin.user_by_email(email).id
            for seat, email in dataclasses.asdict(ROSTER).items()
        }
        form = modals.open_modal(slack_standin.state, owner, submit_modal(picks))
        typed = {FIELD_SCHEMA_ID: "orders", FIELD_VERSION: "0", FIELD_CONTENT_URI: URL}

        result = await slack_standin.submit_view(owner, form.id, typed)

        # The form's own checks answered: its listener is registered with the other modals'.
        assert result.status == 200, result.body
        assert result.json()["errors"] == {
            FIELD_VERSION: "Version 0 is too low: versions start at 1."
        }
    finally:
        await server.stop()
