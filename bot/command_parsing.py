"""What people type after `/submit-schema` and `/schema-status`, checked before anything runs.

Pure functions: every problem becomes a sentence saying what was wrong, so that the reply can
list them all with the usage line and nothing is started.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from slack_presentation.mrkdwn import escape
from workflow.models import schema_id_problem

SUBMIT_USAGE = (
    "Usage: `/submit-schema schema_id version content_uri [description…]`, "
    "or `/submit-schema` alone to open a form."
)
# A description is read in every review message, status and list: a sentence or two. Longer
# text belongs in the schema document; Slack would otherwise cut it mid-word.
DESCRIPTION_MAX_LENGTH = 500

STATUS_USAGE = "Usage: `/schema-status schema_id`, or `/schema-status` alone to list open reviews."

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
    if int(text) < 1:
        return f"version {int(text)} is too low: versions start at 1"
    return None


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


def parse_submit_text(text: str) -> SubmitArgs:
    """`schema_id version content_uri [description…]`; raise CommandInputError otherwise.

    Call only with non-blank text: a blank command opens the form instead.
    """
    words = text.split()
    raw_id, raw_version, raw_url = [*words, "", "", ""][:3]
    schema_id = clean_schema_id(raw_id)
    content_uri = clean_url(raw_url)
    description = " ".join(words[3:])
    problems = [
        p
        for p in (
            schema_id_problem(schema_id),
            version_problem(raw_version),
            content_uri_problem(content_uri),
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
    )


def parse_status_text(text: str) -> str | None:
    """The schema id asked about, or None for "list the open reviews"."""
    words = text.split()
    if not words:
        return None
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
