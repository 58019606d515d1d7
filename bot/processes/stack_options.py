"""The all-in-one run's options (`python -m bot run --port …`), apart from the run itself so
that the command line reads them without loading every part of the bot."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class StackOptions:
    data_dir: Path = Path(".data")
    sandbox_port: int = 3001
    temporal_port: int = 7233
    temporal_ui_port: int = 8233
    # The local schema registry's, unless SCHEMA_REGISTRY_URL names one (Confluent's port).
    registry_port: int = 8081
    # None: the PORT setting.
    bot_port: int | None = None
    # Start from nothing: an empty Temporal database, sandbox workspace and local registry.
    fresh: bool = False
