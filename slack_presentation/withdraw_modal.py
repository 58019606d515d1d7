"""Withdrawing a review from Slack: the button (on `/schema-status` and App Home) and the
modal that confirms it, with an optional reason."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import ButtonElement, InputBlock, PlainTextInputElement, SectionBlock
from slack_sdk.models.views import View

from slack_presentation.mrkdwn import escape
from slack_presentation.reassign_modal import ReassignTarget
from workflow.models import ReviewStatus

ACTION_WITHDRAW = "withdraw_review"
WITHDRAW_LABEL = "Withdraw review"
WITHDRAW_CALLBACK = "withdraw_review"
REASON_BLOCK = "withdraw_reason"
INPUT_ACTION = "value"
REASON_MAX_CHARS = 300

# The button and the modal carry the review as reassigning does: the schema, and where the
# button was clicked (None in App Home).
WithdrawTarget = ReassignTarget


def withdraw_button(schema_id: str) -> ButtonElement:
    return ButtonElement(
        text=WITHDRAW_LABEL,
        action_id=ACTION_WITHDRAW,
        value=WithdrawTarget(schema_id).encode(),
        style="danger",
    )


def withdraw_modal(status: ReviewStatus, target: WithdrawTarget) -> View:
    """The confirmation: what withdrawing does, and a reason for the reviewers."""
    question = (
        f"Withdraw the review of *{escape(status.schema_id)}* version {status.version}?\n"
        "Every open review request closes, reminders stop, and the review ends without an"
        " approval. You can submit the schema again afterwards."
    )
    return View(
        type="modal",
        callback_id=WITHDRAW_CALLBACK,
        private_metadata=target.encode(),
        title="Withdraw review",
        submit="Withdraw",
        close="Cancel",
        blocks=[
            SectionBlock(text=question, block_id="withdraw_question"),
            InputBlock(
                block_id=REASON_BLOCK,
                label="Reason (shown to the reviewers)",
                optional=True,
                element=PlainTextInputElement(
                    action_id=INPUT_ACTION,
                    placeholder="Submitted by mistake",
                    max_length=REASON_MAX_CHARS,
                ),
            ),
        ],
    )


def read_withdraw_reason(state_values: dict[str, Any]) -> str:
    field = (state_values.get(REASON_BLOCK) or {}).get(INPUT_ACTION) or {}
    return str(field.get("value") or "").strip()
