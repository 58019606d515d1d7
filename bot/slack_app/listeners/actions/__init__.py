"""Buttons: the review message's Approve, Reject (opens the reason modal) and Escalate, and
"Reassign a reviewer" (opens the reassign modal), "Withdraw review" (opens the confirmation),
"Approve now (override)" (opens the break-glass confirmation), App Home's "I'm away…" (opens
the absence form) and "Back now",
"Retry registration" (asks the schema registry again), and the pages of `/schema-status`
lists."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.slack_app.listeners.actions.approve_or_escalate import approve_or_escalate
from bot.slack_app.listeners.actions.back_now import back_now
from bot.slack_app.listeners.actions.open_away_form import open_away_form
from bot.slack_app.listeners.actions.open_override_form import open_override_form
from bot.slack_app.listeners.actions.open_reassign_form import open_reassign_form
from bot.slack_app.listeners.actions.open_withdraw_form import open_withdraw_form
from bot.slack_app.listeners.actions.reject_review import reject_review
from bot.slack_app.listeners.actions.retry_registration_click import retry_registration_click
from bot.slack_app.listeners.actions.review_list_page import review_list_page
from slack_presentation.away_modal import ACTION_AWAY, ACTION_BACK_NOW
from slack_presentation.override_modal import ACTION_OVERRIDE
from slack_presentation.reassign_modal import ACTION_REASSIGN
from slack_presentation.registration_blocks import RETRY_REGISTRATION_ACTION
from slack_presentation.review_actions import ACTION_APPROVE, ACTION_ESCALATE, ACTION_REJECT
from slack_presentation.review_list_blocks import ACTION_NEXT_PAGE, ACTION_PREVIOUS_PAGE
from slack_presentation.withdraw_modal import ACTION_WITHDRAW


def register(app: AsyncApp) -> None:
    app.action(ACTION_APPROVE)(approve_or_escalate)
    app.action(ACTION_REJECT)(reject_review)
    # Escalate is an approval with one more flag; the listener reads which button it was.
    app.action(ACTION_ESCALATE)(approve_or_escalate)
    app.action(ACTION_REASSIGN)(open_reassign_form)
    app.action(ACTION_PREVIOUS_PAGE)(review_list_page)
    app.action(ACTION_NEXT_PAGE)(review_list_page)
    app.action(ACTION_WITHDRAW)(open_withdraw_form)
    app.action(RETRY_REGISTRATION_ACTION)(retry_registration_click)
    app.action(ACTION_OVERRIDE)(open_override_form)
    app.action(ACTION_AWAY)(open_away_form)
    app.action(ACTION_BACK_NOW)(back_now)
