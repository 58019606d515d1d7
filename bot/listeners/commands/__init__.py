"""Slash commands: `/submit-schema` and `/schema-status`."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.listeners.commands.schema_status import schema_status_command
from bot.listeners.commands.submit_schema import submit_schema_command

SUBMIT_SCHEMA = "/submit-schema"
SCHEMA_STATUS = "/schema-status"


def register(app: AsyncApp) -> None:
    app.command(SUBMIT_SCHEMA)(submit_schema_command)
    app.command(SCHEMA_STATUS)(schema_status_command)
