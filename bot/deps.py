"""What every listener needs, handed over by the entry point (never read from the environment).

`build_app` puts one `BotDeps` into each request's Bolt context as `context["deps"]`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from temporalio.client import Client

from bot.ack_hold import HeldBeforeAck
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.identity import SlackIdentity
    from bot.workspace import Workspace


@dataclass
class BotDeps:
    settings: Settings
    temporal: Client
    identity: SlackIdentity
    # Set by `build_app`: this app's workspace, from auth.test.
    workspace: Workspace | None = None
    # Decisions waiting for Temporal before their ack, capped (bot.ack_hold).
    held_before_ack: HeldBeforeAck = field(default_factory=HeldBeforeAck)
