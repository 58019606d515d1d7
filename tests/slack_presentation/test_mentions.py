"""Emails in what the bot and the activities write, shown as Slack mentions."""

from __future__ import annotations

from slack_presentation.mentions import (
    NO_MENTIONS,
    emails_in,
    mention,
    unique_people,
    with_mentions,
)

PEOPLE = {"bob@example.com": "U0BOB00001", "carol@example.com": "U0CAROL001"}


def test_a_sentence_from_the_workflow_names_people_slack_knows() -> None:
    sentence = (
        "Review1.b for version 1 is not assigned to carol@example.com; it is assigned to"
        " Bob@Example.com."
    )

    assert with_mentions(sentence, PEOPLE) == (
        "Review1.b for version 1 is not assigned to <@U0CAROL001>; it is assigned to <@U0BOB00001>."
    )
    assert emails_in(sentence) == ["carol@example.com", "Bob@Example.com"]


def test_unknown_people_stay_emails_and_the_rest_stays_text() -> None:
    sentence = "<!here> dave@example.com & bob@example.com"

    assert with_mentions(sentence, PEOPLE) == "&lt;!here&gt; dave@example.com &amp; <@U0BOB00001>"
    assert with_mentions(sentence, NO_MENTIONS) == (
        "&lt;!here&gt; dave@example.com &amp; bob@example.com"
    )
    assert mention("eve<x>@example.com", PEOPLE) == "eve&lt;x&gt;@example.com"


def test_each_person_is_looked_up_once() -> None:
    assert unique_people(["Bob@example.com", "", "bob@example.com ", "carol@example.com"]) == [
        "Bob@example.com",
        "carol@example.com",
    ]
