"""Reassigning a reviewer: the button that offers it, the modal that asks whom, and what the
modal's submission carries."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ButtonElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from slack_presentation.mrkdwn import clip, escape
from workflow.models import REVIEWER_SEATS, SEAT_STAGES, ReviewStatus, schema_id_problem

ACTION_REASSIGN = "reassign_reviewer"
REASSIGN_LABEL = "Reassign a reviewer"
REASSIGN_CALLBACK = "reassign_reviewer"
SEAT_BLOCK = "reassign_seat"
REVIEWER_BLOCK = "new_reviewer"
REASON_BLOCK = "reassign_reason"
INPUT_ACTION = "value"
REASON_MAX_CHARS = 300
# Slack's limit for an option's text.
OPTION_TEXT_LIMIT = 75

NOT_OURS = "This form does not belong to a schema review. Close it and open it again."


class InvalidReassignTarget(ValueError):
    """A button value or form metadata that no message of ours could have carried."""


@dataclass(frozen=True)
class ReassignTarget:
    """The review whose reviewer changes, and where to confirm it. Travels as the button's
    value and the modal's `private_metadata`."""

    schema_id: str
    # None when the button was clicked in App Home, which has no channel.
    channel: str | None = None

    def encode(self) -> str:
        return json.dumps({"s": self.schema_id, "c": self.channel}, separators=(",", ":"))

    @classmethod
    def decode(cls, raw: str) -> ReassignTarget:
        try:
            data = json.loads(raw)
            schema_id, channel = data["s"], data["c"]
        except (ValueError, TypeError, KeyError) as error:
            raise InvalidReassignTarget(NOT_OURS) from error
        valid_channel = channel is None or (isinstance(channel, str) and channel)
        if not isinstance(schema_id, str) or schema_id_problem(schema_id) or not valid_channel:
            raise InvalidReassignTarget(NOT_OURS)
        return cls(schema_id, channel)


def reassign_button(schema_id: str) -> ButtonElement:
    return ButtonElement(
        text=REASSIGN_LABEL, action_id=ACTION_REASSIGN, value=ReassignTarget(schema_id).encode()
    )


def seat_options(status: ReviewStatus) -> list[Option]:
    """Every seat with whoever holds it: the ones waiting for a decision first, then those still
    to come, then those already decided for this version (which the workflow refuses)."""
    waiting = {p.stage for p in status.pending_reviewers}
    decided = {d.stage for d in status.decisions}

    def rank(seat: str) -> int:
        stage = SEAT_STAGES[seat]
        return 0 if stage in waiting else 2 if stage in decided else 1

    options = []
    for seat in sorted(REVIEWER_SEATS, key=rank):
        stage = SEAT_STAGES[seat]
        note = {0: " · waiting now", 1: "", 2: " · decided"}[rank(seat)]
        reviewer = getattr(status.reviewers, seat)
        label = clip(f"{stage}: {reviewer}", OPTION_TEXT_LIMIT - len(note)) + note
        options.append(Option(value=seat, text=label))
    return options


def reassign_modal(status: ReviewStatus, target: ReassignTarget) -> dict[str, Any]:
    options = seat_options(status)
    waiting = bool(status.pending_reviewers)
    view = View(
        type="modal",
        callback_id=REASSIGN_CALLBACK,
        private_metadata=target.encode(),
        title=REASSIGN_LABEL,
        submit="Reassign",
        close="Cancel",
        blocks=[
            SectionBlock(
                text=f"Who should take over a seat in the review of *{escape(status.schema_id)}*"
                f" (version {status.version})? If the seat's stage is open, the new reviewer"
                " is asked at once and the previous one's request is closed; decisions already"
                " made stay."
            ),
            InputBlock(
                block_id=SEAT_BLOCK,
                label="Seat",
                element=StaticSelectElement(
                    action_id=INPUT_ACTION,
                    placeholder="Pick the seat",
                    options=options,
                    initial_option=options[0] if waiting else None,
                ),
            ),
            InputBlock(
                block_id=REVIEWER_BLOCK,
                label="New reviewer",
                element=UserSelectElement(action_id=INPUT_ACTION, placeholder="Pick a person"),
            ),
            InputBlock(
                block_id=REASON_BLOCK,
                label="Reason",
                optional=True,
                element=PlainTextInputElement(
                    action_id=INPUT_ACTION,
                    placeholder="e.g. Alice is on holiday until Monday",
                    max_length=REASON_MAX_CHARS,
                ),
            ),
        ],
    )
    return view.to_dict()


@dataclass(frozen=True)
class ReassignForm:
    seat: str
    # The Slack user picked as the new reviewer.
    user_id: str
    reason: str


def read_reassign_form(state_values: dict[str, Any]) -> ReassignForm:
    """The modal's `view.state.values`, as picked and typed (Slack requires seat and person)."""

    def element(block_id: str) -> dict[str, Any]:
        return dict((state_values.get(block_id) or {}).get(INPUT_ACTION) or {})

    seat = (element(SEAT_BLOCK).get("selected_option") or {}).get("value")
    return ReassignForm(
        seat=str(seat or ""),
        user_id=str(element(REVIEWER_BLOCK).get("selected_user") or ""),
        reason=str(element(REASON_BLOCK).get("value") or "").strip(),
    )
