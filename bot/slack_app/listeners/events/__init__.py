"""Events Slack sends the bot: App Home opened."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.slack_app.listeners.events.app_home_opened import app_home_opened


def register(app: AsyncApp) -> None:
    app.event("app_home_opened")(app_home_opened)
