"""The worker's log line for each click a review handles, under the click's id.

The bot logs the same `click_id` when it signals the click and sends its update, so an operator
follows one click from the web process to the worker (docs/operations.md, Logs).
`workflow.logger` is replay-safe: a line is written when the click is handled, not again when
the review is replayed from its history.
"""

from __future__ import annotations

from temporalio import workflow


def click_handled(click_id: str, handler: str, accepted: bool, sentence: str) -> None:
    outcome = "accepted" if accepted else "refused"
    workflow.logger.info(
        "Click %s (%s): %s: %s",
        click_id or "without an id",
        handler,
        outcome,
        sentence,
        extra={"click_id": click_id},
    )
