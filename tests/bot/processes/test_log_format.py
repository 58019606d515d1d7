"""Expected activity failures are one line in the console; a bug keeps its traceback."""

from __future__ import annotations

import logging
import sys

from temporalio.exceptions import ApplicationError

from bot.processes.log_format import ExpectedFailuresOnOneLine

FORMAT = logging.Formatter("%(levelname)s %(name)s: %(message)s")


def logged(error: Exception) -> str:
    try:
        raise error
    except Exception:
        record = logging.LogRecord(
            "temporalio.activity",
            logging.WARNING,
            __file__,
            1,
            "Completing activity as failed",
            None,
            sys.exc_info(),
        )
    ExpectedFailuresOnOneLine().filter(record)
    return FORMAT.format(record)


def test_a_document_that_is_not_there_is_one_line_with_its_sentence() -> None:
    shown = logged(
        ApplicationError(
            "The schema document at http://x/y.json could not be fetched: the server answered"
            " 404 Not Found.",
            type="SchemaNotFound",
            non_retryable=True,
        )
    )

    assert shown == (
        "WARNING temporalio.activity: Completing activity as failed SchemaNotFound: The schema"
        " document at http://x/y.json could not be fetched: the server answered 404 Not Found."
    )


def test_a_bug_keeps_its_traceback() -> None:
    shown = logged(KeyError("stage"))

    assert "Traceback (most recent call last)" in shown
    assert "KeyError: 'stage'" in shown
