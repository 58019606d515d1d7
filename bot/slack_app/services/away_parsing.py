"""What people type after `/schema-away`, checked before anything runs: pure, one sentence
per problem (`CommandInputError`), as for the other commands."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from bot.slack_app.services.command_parsing import CommandInputError
from workflow.models import EMAIL_PATTERN

AWAY_USAGE = (
    "Usage: `/schema-away until 2026-12-24 delegate @erin` (away through that day; Erin"
    " decides for you meanwhile), `/schema-away off` when you are back, `/schema-away` alone"
    " to see who is away."
)

_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_MAILTO = re.compile(r"<mailto:([^|>]+)(?:\|[^>]*)?>")


@dataclass(frozen=True)
class AwayAsked:
    until: date
    # A Slack user id (from a mention) or an email.
    delegate: str


@dataclass(frozen=True)
class BackAsked:
    """`/schema-away off`."""


@dataclass(frozen=True)
class AwayListAsked:
    """`/schema-away` alone."""


def parse_away_text(text: str) -> AwayAsked | BackAsked | AwayListAsked:
    words = text.split()
    if not words:
        return AwayListAsked()
    if [w.lower() for w in words] == ["off"]:
        return BackAsked()
    problems: list[str] = []
    if len(words) != 4 or words[0].lower() != "until" or words[2].lower() != "delegate":
        raise CommandInputError(
            [f"'{text.strip()[:80]}' was not understood: say until when, then who decides"],
            AWAY_USAGE,
        )
    until: date | None = None
    try:
        until = date.fromisoformat(words[1])
    except ValueError:
        problems.append(f"'{words[1][:20]}' is not a date: write it as 2026-12-24")
    delegate = _person(words[3])
    if delegate is None:
        problems.append(
            f"'{words[3][:80]}' is not a person: mention them (@erin) or give their email"
        )
    if problems or until is None or delegate is None:
        raise CommandInputError(problems, AWAY_USAGE)
    return AwayAsked(until, delegate)


def _person(word: str) -> str | None:
    if mention := _USER_MENTION.fullmatch(word):
        return mention.group(1)
    if mailto := _MAILTO.fullmatch(word):
        word = mailto.group(1)
    return word.lower() if EMAIL_PATTERN.match(word) else None
