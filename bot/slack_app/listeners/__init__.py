"""Every listener the bot has, registered per kind (bolt-python-starter-template layout)."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.slack_app.listeners import actions, commands, errors, events, views


def register(app: AsyncApp) -> None:
    actions.register(app)
    commands.register(app)
    events.register(app)
    views.register(app)
    errors.register(app)
