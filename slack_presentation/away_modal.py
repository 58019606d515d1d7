"""People away in App Home: the line that says whether you are away (with "I'm away…" or
"Back now"), and the form that asks until when and who decides for you meanwhile."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ButtonElement,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    SectionBlock,
    UserSelectElement,
)
from slack_sdk.models.views import View

from slack_presentation.mentions import Mentions, mention
from slack_presentation.mrkdwn import escape
from workflow.away_contract import Absence

ACTION_AWAY = "set_away"
ACTION_BACK_NOW = "back_now"
AWAY_LABEL = "I'm away…"
BACK_LABEL = "Back now"
AWAY_CALLBACK = "set_away"
UNTIL_BLOCK = "away_until"
DELEGATE_BLOCK = "away_delegate"
INPUT_ACTION = "value"

NO_DATE = "Pick the last day you are away (you are back the day after)."
NO_DELEGATE = "Pick who decides for you while you are away."


def away_block(absence: Absence | None, people: Mentions) -> SectionBlock:
    """Your absence, with "Back now"; or, when you are not away, "I'm away…"."""
    if absence is None:
        return SectionBlock(
            block_id="away",
            text=MarkdownTextObject(
                text="*Away?* Say until when, and who decides your reviews meanwhile."
            ),
            accessory=ButtonElement(text=AWAY_LABEL, action_id=ACTION_AWAY, value="away"),
        )
    return SectionBlock(
        block_id="away",
        text=MarkdownTextObject(
            text=f":palm_tree: *You are away until {escape(absence.until)}*:"
            f" {mention(absence.delegate, people)} decides your reviews meanwhile."
        ),
        accessory=ButtonElement(text=BACK_LABEL, action_id=ACTION_BACK_NOW, value="back"),
    )


def away_modal() -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=AWAY_CALLBACK,
        title="I'm away",
        submit="Save",
        close="Cancel",
        blocks=[
            SectionBlock(
                text="Your open review requests go to the person you pick, new ones too, and"
                " come back to you when the day you pick ends (in your Slack time zone).",
                block_id="away_explained",
            ),
            InputBlock(
                block_id=UNTIL_BLOCK,
                label="Away until (through that day)",
                element=DatePickerElement(action_id=INPUT_ACTION, placeholder="Pick a date"),
            ),
            InputBlock(
                block_id=DELEGATE_BLOCK,
                label="Who decides for you",
                element=UserSelectElement(action_id=INPUT_ACTION, placeholder="Pick a person"),
            ),
        ],
    )
    return view.to_dict()


@dataclass(frozen=True)
class AwayForm:
    until: date
    # The Slack user picked as the delegate.
    delegate_user_id: str


class AwayFormInvalid(ValueError):
    """A sentence for the field it is about; nothing was sent."""

    def __init__(self, block_id: str, sentence: str) -> None:
        super().__init__(sentence)
        self.block_id = block_id


def read_away_form(state_values: dict[str, Any]) -> AwayForm:
    def element(block_id: str) -> dict[str, Any]:
        return dict((state_values.get(block_id) or {}).get(INPUT_ACTION) or {})

    try:
        until = date.fromisoformat(str(element(UNTIL_BLOCK).get("selected_date") or ""))
    except ValueError:
        raise AwayFormInvalid(UNTIL_BLOCK, NO_DATE) from None
    delegate = str(element(DELEGATE_BLOCK).get("selected_user") or "")
    if not delegate:
        raise AwayFormInvalid(DELEGATE_BLOCK, NO_DELEGATE)
    return AwayForm(until, delegate)
