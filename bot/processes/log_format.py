"""How a log line looks: text for a console (the default), or one JSON object a line for a log
collector (`LOG_FORMAT=json`).

Text: one line per expected failure; tracebacks only for bugs. Activities raise
`ApplicationError` on purpose, with a sentence saying what went wrong (a schema document that is
not there, a Slack user that does not exist). Temporal's worker logs each failed attempt with its
traceback, which buries the sentence under frames nobody needs. The filter keeps the sentence and
drops the traceback for those; any other exception is a bug and keeps its traceback (in JSON, as
the line's `exception`).

JSON: time, level, logger and message, and, where the line knows them, the review's
`workflow_id` and `run_id`, the `activity` or `update` being run and its `attempt`, the Slack
user (`slack_user_id`) and the click (`click_id`): a click is followed from the web process to
the worker by its `click_id`.

The schema registry's client (confluent-kafka, over httpx) logs every request at INFO: a line
per registry call says nothing the activities' own lines do not, so only its warnings show.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from temporalio.exceptions import ApplicationError

ACTIVITY_LOGGER = "temporalio.activity"
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# What a line may carry besides its message, under the names the JSON line gives them. The
# bot passes them as `extra`; Temporal's workflow and activity loggers as a dict of their own.
CONTEXT_FIELDS = ("workflow_id", "run_id", "activity", "update", "attempt", "slack_user_id")
CLICK_FIELD = "click_id"
# Temporal's names, in `temporal_workflow` (workflow.logger) and `temporal_activity`.
_TEMPORAL_NAMES = {
    "workflow_id": "workflow_id",
    "run_id": "run_id",
    "workflow_run_id": "run_id",
    "activity_type": "activity",
    "update_name": "update",
    "attempt": "attempt",
}

# confluent-kafka's registry client uses httpx2 where installed, else httpx.
REGISTRY_HTTP_LOGGERS = ("httpx2", "httpx")


class ExpectedFailuresOnOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, ApplicationError):
            kind = f"{error.type}: " if error.type else ""
            record.msg = f"{record.getMessage()} {kind}{error.message}"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


class JsonLines(logging.Formatter):
    """One JSON object a line; a bug's traceback is the line's `exception`, not more lines."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(context_of(record))
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


def context_of(record: logging.LogRecord) -> dict[str, Any]:
    """The review, activity or update, attempt, Slack user and click a record names."""
    found: dict[str, Any] = {}
    for temporal in ("temporal_workflow", "temporal_activity"):
        details = getattr(record, temporal, None)
        if isinstance(details, dict):
            for name, field in _TEMPORAL_NAMES.items():
                if details.get(name) is not None:
                    found[field] = details[name]
    for field in (*CONTEXT_FIELDS, CLICK_FIELD):
        value = getattr(record, field, None)
        if value is not None and value != "":
            found[field] = value
    return found


def formatter_for(log_format: str) -> logging.Formatter:
    return JsonLines() if log_format == "json" else logging.Formatter(TEXT_FORMAT)


def install() -> None:
    logging.getLogger(ACTIVITY_LOGGER).addFilter(ExpectedFailuresOnOneLine())
    for name in REGISTRY_HTTP_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
