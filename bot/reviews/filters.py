"""Which open reviews `/schema-status` lists, and which page of them: `mine`, `waiting`,
`owner <email>`, `page N`; carried in the "Next 20" and "Previous 20" buttons so that a click
shows the neighbouring page of the same list.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass, field, replace

from bot.reviews.lookup import open_reviews_query, owned_by_query, pending_for_query
from workflow.read_models import PAGE_SIZE, ListKind

# The visibility store is read from the start for a typed page number, so there is a last one.
MAX_PAGE = 500
# A button's value holds 2,000 characters; a longer token is left out (the page is then read
# from the start).
MAX_TOKEN_BYTES = 1000
# Seals the tokens this process puts in buttons; after a restart, older buttons read from the
# start instead.
_TOKEN_KEY = secrets.token_bytes(32)

KINDS: tuple[ListKind, ...] = ("open", "mine", "waiting", "owner")


class InvalidListButton(ValueError):
    """A page button whose value was not written by this app."""

    def __init__(self) -> None:
        super().__init__(
            "This button's list could not be read, so nothing was shown. Run `/schema-status`"
            " again for a fresh list."
        )


@dataclass(frozen=True)
class ReviewList:
    """A list of open reviews: everything open, the reader's own, those waiting for the
    reader, or one owner's (`owner`: an email, or a Slack user id to look up)."""

    kind: ListKind = "open"
    page: int = 1
    owner: str | None = None
    # The visibility store's token for this page (from the page before it), when a button
    # carries one: the store seeks to it instead of reading past every earlier review.
    token: bytes | None = field(default=None, compare=False)

    @property
    def offset(self) -> int:
        return (self.page - 1) * PAGE_SIZE

    def at_page(self, page: int, token: bytes | None = None) -> ReviewList:
        return replace(self, page=page, token=token)

    def query(self, task_queue: str, reader: str | None, owner: str | None) -> str | None:
        """The visibility query; None when it needs a person who could not be known (the
        reader's or owner's email) or cannot be written as a query literal."""
        if self.kind == "open":
            return open_reviews_query(task_queue)
        if self.kind == "waiting":
            return pending_for_query(task_queue, reader) if reader else None
        person = reader if self.kind == "mine" else owner
        return owned_by_query(task_queue, person) if person else None

    def encode(self) -> str:
        """A button value (Slack allows 2,000 characters; an email is at most 254)."""
        fields: dict[str, str | int] = {"k": self.kind, "p": self.page}
        if self.owner is not None:
            fields["o"] = self.owner
        if self.token is not None and len(self.token) <= MAX_TOKEN_BYTES:
            fields["t"] = base64.b64encode(self.token).decode()
            fields["h"] = _seal(self.token)
        return json.dumps(fields, separators=(",", ":"))

    @classmethod
    def decode(cls, value: str) -> ReviewList:
        try:
            fields = json.loads(value)
        except ValueError:
            raise InvalidListButton() from None
        if not isinstance(fields, dict):
            raise InvalidListButton()
        kind, page, owner = fields.get("k"), fields.get("p"), fields.get("o")
        if kind not in KINDS or not isinstance(page, int) or not 1 <= page <= MAX_PAGE:
            raise InvalidListButton()
        if (owner is None) != (kind != "owner") or not (owner is None or isinstance(owner, str)):
            raise InvalidListButton()
        return cls(kind, page, owner, _token(fields.get("t"), fields.get("h")))


def _seal(token: bytes) -> str:
    return hmac.new(_TOKEN_KEY, token, hashlib.sha256).hexdigest()[:32]


def _token(text: object, seal: object) -> bytes | None:
    """The page token a button carries, if this process wrote it; None otherwise (the page is
    then read from the start: a token the store did not issue would make it fail)."""
    if not isinstance(text, str) or not isinstance(seal, str):
        return None
    try:
        token = base64.b64decode(text, validate=True)
    except ValueError:
        return None
    if not 0 < len(token) <= MAX_TOKEN_BYTES or not hmac.compare_digest(_seal(token), seal):
        return None
    return token
