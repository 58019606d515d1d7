"""Break glass from Slack: the "Approve now (override)" button (on `/schema-status`, for admins)
and the confirmation that asks what to approve and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ButtonElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from slack_presentation.mrkdwn import escape
from slack_presentation.reassign_modal import ReassignTarget
from workflow.models import ReviewStatus

ACTION_OVERRIDE = "override_review"
OVERRIDE_LABEL = "Approve now (override)"
OVERRIDE_CALLBACK = "override_review"
SCOPE_BLOCK = "override_scope"
REASON_BLOCK = "override_reason"
INPUT_ACTION = "value"
# The option that approves every round left, not one.
WHOLE_REVIEW = "whole"
REASON_MAX_CHARS = 500

EMPTY_OVERRIDE_REASON = (
    "Say why you override the review (an incident number, who asked): the review keeps it on"
    " record, and the owner and the review channel read it."
)
NO_SCOPE = "Pick what to approve: this stage, or the whole review."

# The button and the modal carry the review as reassigning does: the schema, and where the
# button was clicked.
OverrideTarget = ReassignTarget


def override_button(schema_id: str) -> ButtonElement:
    return ButtonElement(
        text=OVERRIDE_LABEL,
        action_id=ACTION_OVERRIDE,
        value=OverrideTarget(schema_id).encode(),
        style="danger",
    )


def override_modal(status: ReviewStatus, target: OverrideTarget) -> View:
    """The confirmation: the open stage or the whole review, and a reason that is required."""
    options = [Option(value=WHOLE_REVIEW, text="The whole review")]
    if status.active_round:
        options.insert(
            0, Option(value=status.active_round, text=f"This stage ({status.active_round})")
        )
    question = (
        f"Approve *{escape(status.schema_id)}* version {status.version} without its reviewers?\n"
        f"The open review requests close, and the owner and the review channel are told who"
        f" overrode the review and why. It is recorded in the review's status and history."
    )
    return View(
        type="modal",
        callback_id=OVERRIDE_CALLBACK,
        private_metadata=target.encode(),
        title=OVERRIDE_LABEL,
        submit="Approve now",
        close="Cancel",
        blocks=[
            SectionBlock(text=question, block_id="override_question"),
            InputBlock(
                block_id=SCOPE_BLOCK,
                label="What to approve",
                element=RadioButtonsElement(
                    action_id=INPUT_ACTION, options=options, initial_option=options[0]
                ),
            ),
            InputBlock(
                block_id=REASON_BLOCK,
                label="Reason (required)",
                element=PlainTextInputElement(
                    action_id=INPUT_ACTION,
                    placeholder="INC-4711: consumers are down until this ships",
                    max_length=REASON_MAX_CHARS,
                ),
            ),
        ],
    )


@dataclass(frozen=True)
class OverrideForm:
    # The round to approve, or None for the whole review.
    stage: str | None
    reason: str


class OverrideFormInvalid(ValueError):
    """A sentence for the field it is about; nothing was sent."""

    def __init__(self, block_id: str, sentence: str) -> None:
        super().__init__(sentence)
        self.block_id = block_id


def read_override_form(state_values: dict[str, Any]) -> OverrideForm:
    """The modal's `view.state.values`; a blank reason or no scope is refused."""

    def element(block_id: str) -> dict[str, Any]:
        return dict((state_values.get(block_id) or {}).get(INPUT_ACTION) or {})

    scope = str((element(SCOPE_BLOCK).get("selected_option") or {}).get("value") or "")
    if not scope:
        raise OverrideFormInvalid(SCOPE_BLOCK, NO_SCOPE)
    reason = " ".join(str(element(REASON_BLOCK).get("value") or "").split())
    if not reason:
        raise OverrideFormInvalid(REASON_BLOCK, EMPTY_OVERRIDE_REASON)
    return OverrideForm(stage=None if scope == WHOLE_REVIEW else scope, reason=reason)
