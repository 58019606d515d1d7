"""The app manifest asks Slack for what the bot listens to, at the path the bot serves."""

from __future__ import annotations

import re
from pathlib import Path

from bot.processes.web import SLACK_EVENTS_PATH
from bot.slack_app.listeners.commands import SCHEMA_AWAY, SCHEMA_STATUS, SUBMIT_SCHEMA

MANIFEST = (Path(__file__).parent.parent / "slack-app-manifest.yaml").read_text()


def test_manifest_declares_the_commands_scopes_and_events_the_bot_uses() -> None:
    commands = re.findall(r"^\s*- command: (\S+)$", MANIFEST, re.MULTILINE)
    assert sorted(commands) == sorted([SUBMIT_SCHEMA, SCHEMA_STATUS, SCHEMA_AWAY])
    scopes = re.findall(r"^\s*- ([a-z.:]+)\s*(?:#.*)?$", MANIFEST, re.MULTILINE)
    for scope in (
        "chat:write",
        "commands",
        "im:write",
        "im:history",
        "channels:history",
        "users:read",
        "users:read.email",
    ):
        assert scope in scopes
    assert re.search(r"bot_events:\s*\n\s*- app_home_opened", MANIFEST)
    assert "home_tab_enabled: true" in MANIFEST
    assert "socket_mode_enabled: false" in MANIFEST


def test_every_request_url_points_at_the_bots_events_path() -> None:
    urls = re.findall(r"(?:url|request_url): (\S+)", MANIFEST)
    # Three slash commands, interactivity and events.
    assert len(urls) == 5
    assert all(url == f"https://YOUR-HOST{SLACK_EVENTS_PATH}" for url in urls)
