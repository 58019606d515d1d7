"""The closing updates of review messages, in the shape this run sends: facts since the patch
`review-messages-carry-facts`, the sentences before it (see `workflow.message_facts`)."""

from __future__ import annotations

from dataclasses import replace

from workflow import closing_words, patches
from workflow.activity_payloads import (
    PostedMessage,
    ReviewMessageUpdate,
    ReviewReminder,
    ReviewRequest,
)
from workflow.message_facts import MessageClosing, RoundEnding
from workflow.models import RecordedDecision


def closed_message(
    request: ReviewRequest,
    closing: MessageClosing,
    decision: RecordedDecision | None = None,
    *,
    messages: list[PostedMessage] | None = None,
    review_continues: bool = False,
    ending: RoundEnding | None = None,
    reminder: ReviewReminder | None = None,
) -> ReviewMessageUpdate:
    """`request`'s messages (or its `reminder`s) rewritten to say why they closed."""
    update = ReviewMessageUpdate(
        messages=list(messages or []),
        schema_id=request.submission.schema_id,
        version=request.submission.version,
        stage=request.stage,
        reviewer=request.reviewer,
        decision=decision,
        request=request,
        review_continues=review_continues,
        reminder=reminder,
    )
    if patches.message_facts():
        update.closing = closing
    else:
        update.outcome = closing_words.outcome(closing, decision)
    return with_ending(update, ending)


def with_ending(update: ReviewMessageUpdate, ending: RoundEnding | None) -> ReviewMessageUpdate:
    """`update` saying how its round ended (nothing when `ending` is None)."""
    if ending is None:
        return replace(update, ending=None, round_ending=None)
    if patches.message_facts():
        return replace(update, ending=None, round_ending=ending)
    return replace(update, ending=closing_words.ending(ending), round_ending=None)


def said(update: ReviewMessageUpdate) -> str:
    """Why the message closed, as the review's history notes say it, whichever the shape."""
    if update.closing is not None:
        return closing_words.outcome(update.closing, update.decision)
    return update.outcome or ""
