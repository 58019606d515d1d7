"""Where every process's log lines go: stderr, at `LOG_LEVEL`, in `LOG_FORMAT`, secrets
redacted; Temporal core's own lines (the Rust part of the SDK) through the same formatter."""

from __future__ import annotations

import logging
import sys

from temporalio import activity, workflow
from temporalio.runtime import (
    LogForwardingConfig,
    LoggingConfig,
    Runtime,
    TelemetryConfig,
    TelemetryFilter,
)

from bot.processes import log_format
from bot.processes.log_redaction import SecretsRedacted, secrets_in
from bot.runtime.settings import Settings

# Temporal core's lines arrive under this logger, then `.<target>` (e.g. temporalio_sdk_core).
CORE_LOGGER = "temporalio.core"
_CORE_LEVELS = {"DEBUG": "DEBUG", "INFO": "INFO", "WARNING": "WARN", "ERROR": "ERROR"}


def configure_logging(settings: Settings | None) -> None:
    """Before anything connects to Temporal. Without settings (they have problems, which the
    command reports), text at INFO, with the shapes of secrets still redacted."""
    level = settings.log_level if settings else "INFO"
    log_format_name = settings.log_format if settings else "text"
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(log_format.formatter_for(log_format_name))
    # On the handler, not a logger: it then sees every line, whichever logger it came from.
    handler.addFilter(SecretsRedacted(secrets_in(settings) if settings else ()))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    log_format.install()
    if log_format_name == "json":
        # The JSON line carries the review's details as fields: not again inside the message.
        workflow.logger.workflow_info_on_message = False
        activity.logger.activity_info_on_message = False
    Runtime.set_default(Runtime(telemetry=TelemetryConfig(logging=core_logging(level))))


def core_logging(level: str) -> LoggingConfig:
    """Temporal core's lines at `level` (other Rust crates: errors only), as Python records."""
    return LoggingConfig(
        filter=TelemetryFilter(core_level=_CORE_LEVELS[level], other_level="ERROR"),
        forwarding=LogForwardingConfig(logger=logging.getLogger(CORE_LOGGER)),
    )
