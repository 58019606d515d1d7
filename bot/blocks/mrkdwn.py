"""Putting people's text into Slack mrkdwn safely, within Block Kit's length limits."""

from __future__ import annotations

from datetime import UTC, datetime


def escape(text: str) -> str:
    """Slack reads `<…>` as links and mentions; text typed by people must stay text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def link(url: str, label: str) -> str:
    return f"<{url}|{escape(label)}>"


def when(iso: str) -> str:
    """An ISO 8601 time shown in each reader's own time zone (Slack's date formatting)."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return escape(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    fallback = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"
