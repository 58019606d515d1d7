"""What every listener needs, handed over by the entry point (never read from the environment).

`build_app` puts one `BotDeps` into each request's Bolt context as `context["deps"]`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from temporalio.client import Client

from bot.runtime.settings import Settings
from bot.slack_app.services.ack_hold import HeldBeforeAck

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
    # Decisions waiting for Temporal before their ack, capped (bot.slack_app.services.ack_hold).
    held_before_ack: HeldBeforeAck = field(default_factory=HeldBeforeAck)
    # The schema registry's last known health (None without a registry), for /schema-status.
    registry: RegistryHealth | None = None
