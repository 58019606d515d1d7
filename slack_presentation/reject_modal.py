"""The modal that asks a reviewer why they reject, and what it carries to its submission."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement, SectionBlock
from slack_sdk.models.views import View

from slack_presentation.review_actions import InvalidButtonValue, ReviewButtonValue
from workflow.models import WORKFLOW_ID_PREFIX

REJECT_REASON_CALLBACK = "review_reject_reason"
REASON_BLOCK = "reject_reason"
REASON_ACTION = "reason"
REASON_MAX_CHARS = 3000
EMPTY_REASON = "Please say why you are rejecting, so the owner can fix it."


@dataclass(frozen=True)
class RejectTarget:
    """The review message whose Reject button opened the modal.

    Travels in `private_metadata` (Slack allows 3,000 characters; this needs about 200), so the
    submission knows the review and where to answer without trusting anything else.
    """

    button: ReviewButtonValue
    # None when Reject was clicked in App Home, which has no channel.
    channel: str | None
    message_ts: str

    def encode(self) -> str:
        return json.dumps(
            {"b": self.button.encode(), "c": self.channel, "t": self.message_ts},
            separators=(",", ":"),
        )

    @classmethod
    def decode(cls, raw: str) -> RejectTarget:
        try:
            data = json.loads(raw)
            button = ReviewButtonValue.decode(data["b"])
            channel, message_ts = data["c"], data["t"]
        except (ValueError, TypeError, KeyError) as error:
            raise InvalidButtonValue(
                "This form does not belong to a schema review message."
            ) from error
        if not isinstance(channel, str | None) or not isinstance(message_ts, str):
            raise InvalidButtonValue("This form does not belong to a schema review message.")
        return cls(button, channel, message_ts)


def reject_reason_modal(target: RejectTarget) -> View:
    button = target.button
    schema_id = button.workflow_id.removeprefix(WORKFLOW_ID_PREFIX)
    return View(
        type="modal",
        callback_id=REJECT_REASON_CALLBACK,
        private_metadata=target.encode(),
        title="Reject schema",
        submit="Reject",
        close="Cancel",
        blocks=[
            SectionBlock(
                text=f"You are rejecting *{schema_id}* version {button.version} at "
                f"*{button.stage}*. The owner receives your reason with the revision request."
            ),
            InputBlock(
                block_id=REASON_BLOCK,
                label="Why are you rejecting it?",
                element=PlainTextInputElement(
                    action_id=REASON_ACTION,
                    multiline=True,
                    max_length=REASON_MAX_CHARS,
                    placeholder="What must change before you can approve it",
                ),
            ),
        ],
    )


def submitted_reason(view: dict[str, Any]) -> str:
    """The reason typed into the modal, stripped; empty when none was given."""
    values = view.get("state", {}).get("values", {})
    value = values.get(REASON_BLOCK, {}).get(REASON_ACTION, {}).get("value")
    return str(value or "").strip()
