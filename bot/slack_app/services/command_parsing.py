"""What people type after `/submit-schema` and `/schema-status`, checked before anything runs.

Pure functions: every problem becomes a sentence saying what was wrong, so that the reply can
list them all with the usage line and nothing is started.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast
from urllib.parse import urlsplit

from bot.reviews.filters import MAX_PAGE, ReviewList
from slack_presentation.mrkdwn import escape
from slack_presentation.submit_modal import DESCRIPTION_MAX_LENGTH
from workflow import models
from workflow.models import COMPATIBILITY_MODES, EMAIL_PATTERN, schema_id_problem
from workflow.read_models import ListKind

SUBMIT_USAGE = (
    "Usage: `/submit-schema schema_id version content_uri [mode=BACKWARD] [description…]`, "
    "or `/submit-schema` alone to open a form."
)
# The optional word right after the URL that sets the compatibility mode (first submission; an
# admin's afterwards), as the form's picker does.
MODE_PREFIX = "mode="
# A description is read in every review message, status and list: a sentence or two. Longer
# text belongs in the schema document; Slack would otherwise cut it mid-word.

STATUS_USAGE = (
    "Usage: `/schema-status schema_id` for one review; `/schema-status` alone lists the open"
    " reviews, `/schema-status mine` yours, `/schema-status waiting` those waiting for you,"
    " `/schema-status owner email` someone's; add `page N` for more. `/schema-status stats`"
    " sums up the last 30 days; `/schema-status policy schema_id` shows which rule of the"
    " policy file applies to it; a schema named like one of these words is asked about in"
    ' quotes: `/schema-status "stats"`.'
)

# People paste ids in quotes or backticks; an id never contains them.
_ID_QUOTES = "'\"`‘’“”"
# ASCII digits only: `str.isdigit()` also accepts '²', on which `int()` raises, and other
# scripts' digits such as '٣'.
_VERSION = re.compile(r"[0-9]+")


class CommandInputError(ValueError):
    """Text that cannot be acted on; `problems` holds one sentence per problem."""

    def __init__(self, problems: list[str], usage: str) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems
        self.usage = usage

    def reply(self, verb: str) -> str:
        """The ephemeral answer: what was wrong, that nothing happened, and the usage line."""
        lines = "\n".join(f"• {escape(_sentence(p))}" for p in self.problems)
        return f"{verb}:\n{lines}\n{self.usage}"


@dataclass(frozen=True)
class SubmitArgs:
    schema_id: str
    version: int
    content_uri: str
    description: str
    compatibility_mode: str | None = None


def _sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def clean_schema_id(raw: str) -> str:
    return raw.strip().strip(_ID_QUOTES)


def version_problem(raw: str) -> str | None:
    text = raw.strip()
    if not text:
        return "the version is missing: give a whole number of 1 or more, e.g. 2"
    if not _VERSION.fullmatch(text):
        return f"'{text}' is not a version: give a whole number of 1 or more, e.g. 2"
    return models.version_problem(int(text))


def clean_url(raw: str) -> str:
    """Slack may send a link as `<https://…>` or `<https://…|label>`; keep the URL itself."""
    text = raw.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1].split("|", 1)[0]
    return text


def content_uri_problem(url: str) -> str | None:
    if not url:
        return "the content URL is missing: give the http(s) address of the schema document"
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return (
            f"'{url}' is not an http(s) URL: give the address of the schema document, "
            "e.g. https://example.com/schemas/inventory-v2.json"
        )
    return None


def description_problem(description: str) -> str | None:
    if len(description) <= DESCRIPTION_MAX_LENGTH:
        return None
    return (
        f"the description is {len(description):,} characters long, more than the"
        f" {DESCRIPTION_MAX_LENGTH} allowed: say in a sentence or two what this version changes"
        " (details belong in the schema document)"
    )


def mode_problem(raw: str) -> str | None:
    if raw.upper() in COMPATIBILITY_MODES:
        return None
    shown = raw or "nothing"
    return (
        f"'{shown}' is not a compatibility mode: after {MODE_PREFIX} give one of"
        f" {', '.join(COMPATIBILITY_MODES)}"
    )


def parse_submit_text(text: str) -> SubmitArgs:
    """`schema_id version content_uri [mode=MODE] [description…]`; raise CommandInputError
    otherwise.

    Call only with non-blank text: a blank command opens the form instead.
    """
    words = text.split()
    raw_id, raw_version, raw_url = [*words, "", "", ""][:3]
    schema_id = clean_schema_id(raw_id)
    content_uri = clean_url(raw_url)
    rest = words[3:]
    raw_mode = None
    if rest and rest[0].lower().startswith(MODE_PREFIX):
        raw_mode = rest.pop(0)[len(MODE_PREFIX) :]
    description = " ".join(rest)
    problems = [
        p
        for p in (
            schema_id_problem(schema_id),
            version_problem(raw_version),
            content_uri_problem(content_uri),
            None if raw_mode is None else mode_problem(raw_mode),
            description_problem(description),
        )
        if p
    ]
    if problems:
        raise CommandInputError(problems, SUBMIT_USAGE)
    return SubmitArgs(
        schema_id=schema_id,
        version=int(raw_version),
        content_uri=content_uri,
        description=description,
        compatibility_mode=None if raw_mode is None else raw_mode.upper(),
    )


@dataclass(frozen=True)
class StatsAsked:
    """`/schema-status stats`: the numbers of the last days' reviews."""


STATS_WORD = "stats"
POLICY_WORD = "policy"


@dataclass(frozen=True)
class PolicyAsked:
    """`/schema-status policy <schema>`: which rule of the policy file applies, and why."""

    schema_id: str


def _policy_asked(words: list[str]) -> PolicyAsked:
    problem = None
    if len(words) != 2:
        problem = (
            "`policy` takes one schema id, e.g. `/schema-status policy payments-eu` (for the"
            ' schema named "policy", write `/schema-status "policy"`)'
        )
    else:
        problem = schema_id_problem(clean_schema_id(words[1]))
    if problem:
        raise CommandInputError([problem], STATUS_USAGE)
    return PolicyAsked(clean_schema_id(words[1]))


def parse_status_text(text: str) -> str | ReviewList | StatsAsked | PolicyAsked:
    """The schema id asked about, which list of open reviews (and which page) to show, or the
    stats.

    The list words (`mine`, `waiting`, `owner`, `page`) and `stats` come first; a schema with
    such a name is asked about in quotes: `/schema-status "mine"`.
    """
    words = text.split()
    if words and words[0].lower() == POLICY_WORD:
        return _policy_asked(words)
    if words and words[0].lower() == STATS_WORD:
        if len(words) > 1:
            raise CommandInputError(
                [
                    f"'{' '.join(words[1:])[:80]}' was not understood: `stats` takes nothing"
                    ' after it (for the schema named "stats", write `/schema-status "stats"`)'
                ],
                STATUS_USAGE,
            )
        return StatsAsked()
    if not words or words[0].lower() in LIST_WORDS or words[0].lower() == "page":
        return _review_list(words)
    if len(words) > 1:
        raise CommandInputError(
            [
                f"/schema-status takes one schema id, but got {len(words)} words "
                f"('{' '.join(words)[:80]}')"
            ],
            STATUS_USAGE,
        )
    schema_id = clean_schema_id(words[0])
    if problem := schema_id_problem(schema_id):
        raise CommandInputError([problem], STATUS_USAGE)
    return schema_id


LIST_WORDS = ("mine", "waiting", "owner")
_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_MAILTO = re.compile(r"<mailto:([^|>]+)(?:\|[^>]*)?>")


def _review_list(words: list[str]) -> ReviewList:
    rest = list(words)
    kind: ListKind = "open"
    owner: str | None = None
    problems: list[str] = []
    if rest and rest[0].lower() in LIST_WORDS:
        kind = cast(ListKind, rest.pop(0).lower())
    if kind == "owner":
        if not rest or rest[0].lower() == "page":
            problems.append(
                "`owner` needs the person: give their email, e.g."
                " `/schema-status owner alice@example.com`"
            )
        else:
            owner, problem = _owner(rest.pop(0))
            problems += [problem] if problem else []
    page = 1
    if rest and rest[0].lower() == "page":
        rest.pop(0)
        raw = rest.pop(0) if rest else ""
        page, problem = _page(raw)
        problems += [problem] if problem else []
    if rest:
        problems.append(
            f"'{' '.join(rest)[:80]}' was not understood: after the list's name only"
            " `page N` may follow, e.g. `/schema-status mine page 2`"
        )
    if problems:
        raise CommandInputError(problems, STATUS_USAGE)
    return ReviewList(kind, page, owner)


def _owner(word: str) -> tuple[str | None, str | None]:
    if mention := _USER_MENTION.fullmatch(word):
        return mention.group(1), None
    if mailto := _MAILTO.fullmatch(word):
        word = mailto.group(1)
    if EMAIL_PATTERN.match(word):
        return word.lower(), None
    return None, (
        f"'{word[:80]}' is not an email: give the owner's email, e.g."
        " `/schema-status owner alice@example.com`"
    )


def _page(raw: str) -> tuple[int, str | None]:
    if not _VERSION.fullmatch(raw) or not 1 <= int(raw) <= MAX_PAGE:
        shown = f"'{raw[:20]}'" if raw else "nothing"
        return 1, (
            f"`page` needs a page number from 1 to {MAX_PAGE}, but got {shown}:"
            " e.g. `/schema-status page 2`"
        )
    return int(raw), None
