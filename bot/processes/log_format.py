"""One line per expected failure in the console; tracebacks only for bugs.

Activities raise `ApplicationError` on purpose, with a sentence saying what went wrong (a schema
document that is not there, a Slack user that does not exist). Temporal's worker logs each
failed attempt with its traceback, which buries the sentence under frames nobody needs. The
filter keeps the sentence and drops the traceback for those; any other exception is a bug and
keeps its traceback.

The schema registry's client (confluent-kafka, over httpx) logs every request at INFO: a line
per registry call says nothing the activities' own lines do not, so only its warnings show.
"""

from __future__ import annotations

import logging

from temporalio.exceptions import ApplicationError

ACTIVITY_LOGGER = "temporalio.activity"
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


def install() -> None:
    logging.getLogger(ACTIVITY_LOGGER).addFilter(ExpectedFailuresOnOneLine())
    for name in REGISTRY_HTTP_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
