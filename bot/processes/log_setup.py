"""Where every process's log lines go: stderr, at `LOG_LEVEL`, in `LOG_FORMAT`, secrets
redacted; Temporal core's own lines (the Rust part of the SDK) through the same formatter."""

from __future__ import annotations

import logging
import sys
from typing import TextIO

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
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(log_handler(settings))
    root.setLevel(level)
    log_format.install()
    if settings and settings.log_format == "json":
        # The JSON line carries the review's details as fields: not again inside the message.
        workflow.logger.workflow_info_on_message = False
        activity.logger.activity_info_on_message = False
    Runtime.set_default(Runtime(telemetry=TelemetryConfig(logging=core_logging(level))))


def log_handler(settings: Settings | None, stream: TextIO = sys.stderr) -> logging.Handler:
    handler = logging.StreamHandler(stream)
    handler.setFormatter(log_format.formatter_for(settings.log_format if settings else "text"))
    # On the handler, not a logger: it then sees every line, whichever logger it came from.
    handler.addFilter(SecretsRedacted(secrets_in(settings) if settings else ()))
    return handler


def core_logging(level: str) -> LoggingConfig:
    """Temporal core's lines at `level` (other Rust crates: errors only), as Python records."""
    return LoggingConfig(
        filter=TelemetryFilter(core_level=_CORE_LEVELS[level], other_level="ERROR"),
        # The target is in the logger's name already; not again at the start of the message.
        forwarding=LogForwardingConfig(
            logger=logging.getLogger(CORE_LOGGER), prepend_target_on_message=False
        ),
    )
