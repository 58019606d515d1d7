"""The all-in-one run's schema registry when SCHEMA_REGISTRY_URL names none: the project's local
Confluent-compatible registry (`registry_sandbox`, docs/registry.md) on a port of its own, its
subjects kept in the data directory beside Temporal's database and the sandbox's conversations,
so that what a run approved is still registered after a restart."""

from __future__ import annotations

from pathlib import Path

from bot.processes.stack_options import StackOptions
from registry_sandbox import RegistrySandbox

REGISTRY_STATE_FILE = "registry.json"


def registry_state_file(data_dir: Path) -> Path:
    return data_dir / REGISTRY_STATE_FILE


async def start_local_registry(options: StackOptions, host: str) -> RegistrySandbox:
    """Listening on `options.registry_port`; `--fresh` forgets its subjects first. Raises
    `RegistryStateFileError` for a state file it cannot read, OSError for a port in use."""
    options.data_dir.mkdir(parents=True, exist_ok=True)
    state_file = registry_state_file(options.data_dir)
    if options.fresh:
        state_file.unlink(missing_ok=True)
    registry = RegistrySandbox(host=host, port=options.registry_port, state_file=state_file)
    await registry.start()
    return registry
