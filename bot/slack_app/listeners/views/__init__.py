"""Modal submissions: the reject reason, the reassignment, the `/submit-schema` form and the
withdrawal."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.slack_app.listeners.views.reassign_reviewer import reassign_from_form
from bot.slack_app.listeners.views.reject_reason import reject_with_reason
from bot.slack_app.listeners.views.submit_form_view import submit_schema_view
from bot.slack_app.listeners.views.withdraw_review import withdraw_from_form
from slack_presentation.reassign_modal import REASSIGN_CALLBACK
from slack_presentation.reject_modal import REJECT_REASON_CALLBACK
from slack_presentation.submit_modal import CALLBACK_ID as SUBMIT_FORM_CALLBACK
from slack_presentation.withdraw_modal import WITHDRAW_CALLBACK


def register(app: AsyncApp) -> None:
    app.view_submission(REJECT_REASON_CALLBACK)(reject_with_reason)
    app.view_submission(REASSIGN_CALLBACK)(reassign_from_form)
    app.view_submission(SUBMIT_FORM_CALLBACK)(submit_schema_view)
    app.view_submission(WITHDRAW_CALLBACK)(withdraw_from_form)
