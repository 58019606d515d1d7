"""What every listener needs, handed over by the entry point (never read from the environment).

`build_app` puts one `BotDeps` into each request's Bolt context as `context["deps"]`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from temporalio.client import Client

from bot.runtime.settings import Settings
from bot.slack_app.services.click_journal import ClickJournal
from bot.slack_app.services.decision_turns import DecisionTurns

if TYPE_CHECKING:
    from bot.runtime.registry_health import RegistryHealth
    from bot.slack_app.services.workspace import Workspace
    from slack_api.people import SlackPeople


@dataclass
class BotDeps:
    settings: Settings
    temporal: Client
    people: SlackPeople
    # Set by `build_app`: this app's workspace, from auth.test.
    workspace: Workspace | None = None
    # Acknowledged decisions running at once, capped (bot.slack_app.services.decision_turns).
    decision_turns: DecisionTurns = field(default_factory=DecisionTurns)
    # Where a click is durable before its ack (bot.slack_app.services.click_journal). Without
    # one, a click is acknowledged only once its signal is in the review's history.
    click_journal: ClickJournal | None = None
    # The schema registry's last known health (None without a registry), for /schema-status.
    registry: RegistryHealth | None = None
