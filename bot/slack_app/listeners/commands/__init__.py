"""Slash commands: `/submit-schema`, `/schema-status` and `/schema-away`."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.slack_app.listeners.commands.schema_away import schema_away
from bot.slack_app.listeners.commands.schema_status import schema_status
from bot.slack_app.listeners.commands.slash_command import slash_command
from bot.slack_app.listeners.commands.submit_command import submit_schema

SUBMIT_SCHEMA = "/submit-schema"
SCHEMA_STATUS = "/schema-status"
SCHEMA_AWAY = "/schema-away"


def register(app: AsyncApp) -> None:
    app.command(SUBMIT_SCHEMA)(slash_command(submit_schema))
    app.command(SCHEMA_STATUS)(slash_command(schema_status))
    app.command(SCHEMA_AWAY)(slash_command(schema_away))
