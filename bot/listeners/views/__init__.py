"""Modal submissions: the reject reason, the reassignment and the `/submit-schema` form."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.blocks.reassign_modal import REASSIGN_CALLBACK
from bot.blocks.reject_modal import REJECT_REASON_CALLBACK
from bot.listeners.views.reassign_reviewer import reassign_from_form
from bot.listeners.views.reject_reason import reject_with_reason
from bot.listeners.views.submit_schema import submit_schema_view
from bot.submit_form import CALLBACK_ID as SUBMIT_FORM_CALLBACK


def register(app: AsyncApp) -> None:
    app.view_submission(REJECT_REASON_CALLBACK)(reject_with_reason)
    app.view_submission(REASSIGN_CALLBACK)(reassign_from_form)
    app.view_submission(SUBMIT_FORM_CALLBACK)(submit_schema_view)
