"""A person deciding a review from Slack, as the listeners receive it and the journal keeps it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_presentation.review_actions import ReviewButtonValue


@dataclass(frozen=True)
class DecisionClick:
    """A person deciding a review from Slack: a button, or the reject modal's submission."""

    # The Slack-verified person; only this says who decides.
    user_id: str
    # Where to answer; None when they decided in App Home, which has no channel.
    channel: str | None
    button: ReviewButtonValue
    approved: bool
    escalate: bool = False
    reason: str = ""
    # What Slack sent that names this click (action_ts, or the modal's view id): the
    # decision's update id is derived from it, so a retry of the request is the same update.
    click_id: str = ""

    def journal_form(self) -> dict[str, Any]:
        """As the click journal keeps it (bot.slack_app.services.click_journal)."""
        return {
            "user": self.user_id,
            "channel": self.channel,
            "button": self.button.encode(),
            "approved": self.approved,
            "escalate": self.escalate,
            "reason": self.reason,
            "click": self.click_id,
        }

    @classmethod
    def from_journal(cls, data: dict[str, Any]) -> DecisionClick:
        """Raises KeyError, TypeError or ValueError for a line that is not a click."""
        channel = data["channel"]
        return cls(
            user_id=str(data["user"]),
            channel=str(channel) if channel is not None else None,
            button=ReviewButtonValue.decode(str(data["button"])),
            approved=bool(data["approved"]),
            escalate=bool(data["escalate"]),
            reason=str(data["reason"]),
            click_id=str(data["click"]),
        )
