"""People as Slack shows them: the workflow knows everyone by email, a Slack reader expects
`<@U…>` mentions (rendered as the person's name, linked to their profile).

Emails are turned into user ids by whoever renders, through the lookup the bot and the
activities share (`slack_api.people`); the builders only receive the answers. An email
without an answer stays visible as plain text, so a failed lookup never hides a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from slack_presentation.mrkdwn import escape

# Normalised email (see `person_key`) -> Slack user id.
Mentions = Mapping[str, str]
NO_MENTIONS: Mentions = {}

# Emails inside sentences the workflow wrote ("… is assigned to bob@example.com."): the domain
# ends in letters, so a full stop after it stays out of the match.
EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def person_key(email: str) -> str:
    """Emails are compared case-insensitively, as Slack and the workflow compare them."""
    return email.strip().lower()


def mention(email: str, mentions: Mentions) -> str:
    """The person as mrkdwn: a mention when their Slack user is known, else their email."""
    user_id = mentions.get(person_key(email))
    return f"<@{user_id}>" if user_id else escape(email)


def emails_in(text: str) -> list[str]:
    return EMAIL_IN_TEXT.findall(text)


def with_mentions(text: str, mentions: Mentions) -> str:
    """Plain text (a sentence from the workflow) as mrkdwn, its known people as mentions."""
    shown: list[str] = []
    start = 0
    for found in EMAIL_IN_TEXT.finditer(text):
        shown += [escape(text[start : found.start()]), mention(found.group(), mentions)]
        start = found.end()
    shown.append(escape(text[start:]))
    return "".join(shown)


def unique_people(emails: Iterable[str]) -> list[str]:
    """Each person once (first spelling kept), empty entries dropped: one lookup per person."""
    seen: dict[str, str] = {}
    for email in emails:
        if email and email.strip():
            seen.setdefault(person_key(email), email.strip())
    return list(seen.values())
