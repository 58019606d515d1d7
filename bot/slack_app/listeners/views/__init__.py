"""Modal submissions: the reject reason, the reassignment, the `/submit-schema` form, the
withdrawal, the override and App Home's "I'm away…" form."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.slack_app.listeners.views.approve_by_override import approve_by_override
from bot.slack_app.listeners.views.reassign_reviewer import reassign_from_form
from bot.slack_app.listeners.views.reject_reason import reject_with_reason
from bot.slack_app.listeners.views.set_away_form import set_away_from_form
from bot.slack_app.listeners.views.submit_form_view import submit_schema_view
from bot.slack_app.listeners.views.withdraw_review import withdraw_from_form
from slack_presentation.away_modal import AWAY_CALLBACK
from slack_presentation.override_modal import OVERRIDE_CALLBACK
from slack_presentation.reassign_modal import REASSIGN_CALLBACK
from slack_presentation.reject_modal import REJECT_REASON_CALLBACK
from slack_presentation.submit_modal import CALLBACK_ID as SUBMIT_FORM_CALLBACK
from slack_presentation.withdraw_modal import WITHDRAW_CALLBACK


def register(app: AsyncApp) -> None:
    app.view_submission(REJECT_REASON_CALLBACK)(reject_with_reason)
    app.view_submission(REASSIGN_CALLBACK)(reassign_from_form)
    app.view_submission(SUBMIT_FORM_CALLBACK)(submit_schema_view)
    app.view_submission(WITHDRAW_CALLBACK)(withdraw_from_form)
    app.view_submission(OVERRIDE_CALLBACK)(approve_by_override)
    app.view_submission(AWAY_CALLBACK)(set_away_from_form)
