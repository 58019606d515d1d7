"""Closed review messages from the facts newer reviews send read word for word as the sentences
older reviews sent: the wording moved out of the workflow, not the words."""

from __future__ import annotations

from dataclasses import replace

import pytest

from slack_presentation.closing_sentences import closing_sentence, ending_sentence
from slack_presentation.reminder_blocks import closed_reminder_blocks, closed_reminder_text
from slack_presentation.review_blocks import (
    closed_review_blocks,
    closed_review_people,
    closed_review_text,
)
from tests.activities.review_fixtures import (
    closed_update,
    closed_with_facts,
    decision,
    review_request,
)
from tests.slack_presentation.block_views import PEOPLE, texts, wire
from workflow import closing_words, message_facts
from workflow.activity_payloads import ReviewReminder
from workflow.message_facts import MessageClosing, RoundEnding
from workflow.models import RecordedDecision, Withdrawal

BOB, ERIN, OWNER = "bob@example.com", "erin@example.com", "owner@example.com"

CLOSINGS: list[tuple[MessageClosing, RecordedDecision | None, str]] = [
    (message_facts.decided(decision()), decision(), "Approved by alice@example.com"),
    (
        message_facts.decided(decision(escalate=True)),
        decision(escalate=True),
        "Escalated by alice@example.com",
    ),
    (
        message_facts.decided(decision(approved=False, reason="Missing units")),
        decision(approved=False, reason="Missing units"),
        "Rejected by alice@example.com: Missing units",
    ),
    (
        message_facts.rejected_elsewhere(decision("Review1.b", BOB, approved=False)),
        None,
        "No longer needed: bob@example.com rejected at Review1.b",
    ),
    (message_facts.reassigned(ERIN, OWNER), None, f"Reassigned to {ERIN} by {OWNER}"),
    (message_facts.reassigned(ERIN), None, f"Reassigned to {ERIN}"),
    (message_facts.superseded_by(3), None, "Superseded by version 3"),
    (message_facts.completed(2), None, "Review completed: version 2 approved"),
    (
        message_facts.withdrawn(Withdrawal(OWNER, "Wrong team's schema")),
        None,
        f"Withdrawn by {OWNER}: Wrong team's schema",
    ),
    (message_facts.withdrawn(Withdrawal(OWNER)), None, f"Withdrawn by {OWNER}"),
    (message_facts.NO_LONGER_NEEDED, None, "No longer needed"),
]

ENDINGS: list[tuple[RoundEnding, str]] = [
    (
        RoundEnding("rejected", 1, by=BOB, stage="Review1.b", submitter=OWNER),
        f"Version 1 was rejected by {BOB} at Review1.b; {OWNER} was asked for a new version.",
    ),
    (
        RoundEnding("superseded", 2, newer_version=3),
        "Version 2 was superseded by version 3; its review ended.",
    ),
    (RoundEnding("approved", 3), "Version 3 was approved; the review is complete."),
    (
        RoundEnding("withdrawn", 2, by=OWNER),
        f"The review of version 2 was withdrawn by {OWNER}; nothing is left to do.",
    ),
]


@pytest.mark.parametrize(("closing", "decided", "sentence"), CLOSINGS)
def test_each_closing_reads_as_older_reviews_said_it(
    closing: MessageClosing, decided: RecordedDecision | None, sentence: str
) -> None:
    assert closing_sentence(closing, decided) == sentence
    # What reviews started before the patch still send, and the history notes say.
    assert closing_words.outcome(closing, decided) == sentence


@pytest.mark.parametrize(("ending", "sentence"), ENDINGS)
def test_each_round_ending_reads_as_older_reviews_said_it(
    ending: RoundEnding, sentence: str
) -> None:
    assert ending_sentence(ending) == sentence
    assert closing_words.ending(ending) == sentence


@pytest.mark.parametrize("in_channel", [False, True])
@pytest.mark.parametrize(("closing", "decided", "sentence"), CLOSINGS)
@pytest.mark.parametrize(("ending", "ended"), [(None, None), *ENDINGS])
def test_a_message_closed_from_facts_shows_what_the_sentences_showed(
    closing: MessageClosing,
    decided: RecordedDecision | None,
    sentence: str,
    ending: RoundEnding | None,
    ended: str | None,
    in_channel: bool,
) -> None:
    request = review_request()
    old = closed_update(sentence, ending=ended, decision=decided, request=request)
    new = closed_with_facts(closing, round_ending=ending, decision=decided, request=request)

    shown = wire(closed_review_blocks(new, PEOPLE, in_channel=in_channel))

    assert shown == wire(closed_review_blocks(old, PEOPLE, in_channel=in_channel))
    assert closed_review_text(new, PEOPLE) == closed_review_text(old, PEOPLE)
    assert closed_review_people(new) == closed_review_people(old)


def test_the_facts_name_their_people_as_mentions() -> None:
    update = closed_with_facts(
        message_facts.rejected_elsewhere(decision("Review1.b", BOB, approved=False)),
        round_ending=RoundEnding("rejected", 2, by=BOB, stage="Review1.b", submitter=OWNER),
    )

    shown = texts(wire(closed_review_blocks(update, PEOPLE)))

    assert "*No longer needed: <@U0BOB00001> rejected at Review1.b*" in shown
    assert (
        "Version 2 was rejected by <@U0BOB00001> at Review1.b; <@U0OWNER001> was asked for a new"
        " version."
    ) in shown


@pytest.mark.parametrize(("closing", "decided", "sentence"), CLOSINGS)
def test_a_reminder_closed_from_facts_shows_what_the_sentence_showed(
    closing: MessageClosing, decided: RecordedDecision | None, sentence: str
) -> None:
    reminder = ReviewReminder(review_request(), number=1, max_reminders=2, waited_seconds=3600)
    old = replace(closed_update(sentence, decision=decided), reminder=reminder)
    new = replace(closed_with_facts(closing, decision=decided), reminder=reminder)

    assert wire(closed_reminder_blocks(new, PEOPLE)) == wire(closed_reminder_blocks(old, PEOPLE))
    assert closed_reminder_text(new, PEOPLE) == closed_reminder_text(old, PEOPLE)
    assert f"{sentence}." in closed_reminder_text(new, {})
