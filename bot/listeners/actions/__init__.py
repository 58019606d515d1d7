"""The review message's buttons: Approve, Reject (opens the reason modal) and Escalate."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from activities.review_actions import ACTION_APPROVE, ACTION_ESCALATE, ACTION_REJECT
from bot.listeners.actions.approve_review import approve_review
from bot.listeners.actions.escalate_review import escalate_review
from bot.listeners.actions.reject_review import reject_review


def register(app: AsyncApp) -> None:
    app.action(ACTION_APPROVE)(approve_review)
    app.action(ACTION_REJECT)(reject_review)
    app.action(ACTION_ESCALATE)(escalate_review)
