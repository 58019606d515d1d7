"""Slack mrkdwn written safely: people's text escaped, links and dates in Slack's own syntax,
and texts cut to Block Kit's limits without breaking an entity.

Shared by the activities and the bot (the bot may import from `activities`, never the reverse).
"""

from __future__ import annotations

from datetime import UTC, datetime

ELLIPSIS = "…"


def escape(text: str) -> str:
    """Slack reads `<…>` as links and mentions; text typed by people must stay text.
    Only &, < and > are control characters."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fit(text: str, limit: int) -> str:
    """Cut mrkdwn (already escaped) to `limit` characters, never inside an `&amp;`-style entity
    or a `<…>` link, mention or date, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    opening = cut.rfind("<")
    if opening != -1 and ">" not in cut[opening:]:
        cut = cut[:opening]
    return cut + ELLIPSIS


def clip(text: str, limit: int) -> str:
    """Cut plain text (headers, button labels, text before escaping) to `limit` characters."""
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS


def link(url: str, label: str) -> str:
    """A mrkdwn link; the first `|` ends a link's URL part, so one inside it is encoded."""
    return f"<{escape(url).replace('|', '%7C')}|{escape(label)}>"


def slack_date(iso: str) -> str:
    """An ISO 8601 time every reader sees in their own time zone, with a UTC fallback."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return escape(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    fallback = moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"
