"""`/schema-status` without a schema id: one page of a list of open reviews, with the true
count, the buttons to the neighbouring pages and, on the first page of everything open, what
waits for the reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import ActionsBlock, Block, ButtonElement, DividerBlock

from slack_presentation.mentions import Mentions, mention
from slack_presentation.slack_blocks import context, section
from slack_presentation.status_blocks import review_list_people, summary_line
from workflow.read_models import PAGE_SIZE, ListedReviews, ReviewSummary

ACTION_PREVIOUS_PAGE = "review_list_previous"
ACTION_NEXT_PAGE = "review_list_next"
# How many of the reviews waiting for the reader the full list shows above itself.
WAITING_PREVIEW = 5
# Lines per section: a section holds 3,000 characters, a line up to about 250.
LINES_PER_SECTION = 10

HINT = (
    "Details of one review: `/schema-status schema_id` · yours: `/schema-status mine` ·"
    " waiting for you: `/schema-status waiting` · someone's: `/schema-status owner email`"
)


@dataclass(frozen=True)
class ListedPage:
    """What was read for one page: the reviews on it and how many the whole list holds."""

    listing: ListedReviews
    reviews: list[ReviewSummary]
    total: int
    # The owner's email for an `owner` list.
    owner_email: str | None = None
    # The reviews waiting for the reader, and their number (first page of everything open).
    waiting: list[ReviewSummary] = field(default_factory=list)
    waiting_total: int = 0
    # The page asked for, when it was past the end and the last page is shown instead.
    asked_page: int | None = None
    # The visibility store's token for the next page, if it gave one.
    next_token: bytes | None = None

    @property
    def last_page(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    def people(self) -> list[str]:
        return review_list_people([*self.waiting, *self.reviews]) + (
            [self.owner_email] if self.owner_email else []
        )


def _title(page: ListedPage, people: Mentions) -> str:
    kind = page.listing.kind
    if kind == "mine":
        return "Your open reviews"
    if kind == "waiting":
        return "Waiting for your review"
    if kind == "owner":
        return f"Open reviews owned by {mention(page.owner_email or '', people)}"
    return "Open reviews"


def _nothing(page: ListedPage, people: Mentions) -> str:
    kind = page.listing.kind
    if kind == "mine":
        return "You own no open reviews. Start one with `/submit-schema`."
    if kind == "waiting":
        return "No open review is waiting for you."
    if kind == "owner":
        return f"{mention(page.owner_email or '', people)} owns no open reviews."
    return "No schema reviews are open. Start one with `/submit-schema`."


def count_line(page: ListedPage) -> str:
    """`56 open; showing 1–20` (plain text)."""
    first = page.listing.offset + 1
    last = page.listing.offset + len(page.reviews)
    if not page.reviews:
        return f"{page.total} open"
    line = f"{page.total} open; showing {first}–{last}"
    if page.asked_page is not None:
        line += (
            f" (there is no page {page.asked_page}: {page.last_page} is the last, so it is shown)"
        )
    return line


def review_list_text(page: ListedPage) -> str:
    """The notification text beside the blocks."""
    text = f"{_title(page, {})}: {count_line(page)}"
    if page.waiting_total:
        text += f", {page.waiting_total} waiting for your review"
    return text


def _lines(reviews: list[ReviewSummary], people: Mentions, *, submitter: bool) -> list[Block]:
    lines = [summary_line(r, people, submitter=submitter) for r in reviews]
    return [
        section("\n".join(lines[i : i + LINES_PER_SECTION]))
        for i in range(0, len(lines), LINES_PER_SECTION)
    ]


def _page_buttons(page: ListedPage) -> list[Block]:
    listing = page.listing
    buttons = []
    if listing.page > 1:
        buttons.append(
            ButtonElement(
                text=f"Previous {PAGE_SIZE}",
                action_id=ACTION_PREVIOUS_PAGE,
                value=listing.at_page(listing.page - 1).encode(),
            )
        )
    if listing.page < page.last_page:
        buttons.append(
            ButtonElement(
                text=f"Next {PAGE_SIZE}",
                action_id=ACTION_NEXT_PAGE,
                value=listing.at_page(listing.page + 1, page.next_token).encode(),
            )
        )
    return [ActionsBlock(block_id="review_list_pages", elements=buttons)] if buttons else []


def _waiting_preview(page: ListedPage, people: Mentions) -> list[Block]:
    if not page.waiting_total:
        return []
    shown = page.waiting[:WAITING_PREVIEW]
    blocks: list[Block] = [section(f"*Waiting for your review*: {page.waiting_total}")]
    blocks += _lines(shown, people, submitter=True)
    if page.waiting_total > len(shown):
        more = page.waiting_total - len(shown)
        blocks.append(context(f"…and {more} more: `/schema-status waiting`"))
    return [*blocks, DividerBlock()]


def review_list_blocks(page: ListedPage, people: Mentions) -> list[dict[str, Any]]:
    blocks = _waiting_preview(page, people)
    if page.reviews:
        blocks.append(section(f"*{_title(page, people)}*: {count_line(page)}"))
        blocks += _lines(page.reviews, people, submitter=page.listing.kind != "mine")
        blocks += _page_buttons(page)
    else:
        blocks.append(section(_nothing(page, people)))
    blocks.append(context(HINT))
    return [b.to_dict() for b in blocks]
