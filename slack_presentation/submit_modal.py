"""The `/submit-schema` modal: schema, version, description, document URL and four reviewers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from workflow.models import COMPATIBILITY_MODES

# The longest description a submission may carry (the form and `/submit-schema` text alike).
DESCRIPTION_MAX_LENGTH = 500

CALLBACK_ID = "submit_schema"
INPUT_ACTION = "value"

FIELD_SCHEMA_ID = "schema_id"
FIELD_VERSION = "version"
FIELD_DESCRIPTION = "description"
FIELD_CONTENT_URI = "content_uri"
# Optional: the schema's compatibility mode, set by its first submission.
FIELD_COMPATIBILITY = "compatibility_mode"

# Block ids equal the `Reviewers` field names, so a picked user lands in the matching seat.
SEAT_A = "reviewer_a"
SEAT_B = "reviewer_b"
SEAT_SENIOR = "senior_reviewer"
SEAT_COMPLIANCE = "compliance_reviewer"
SEATS: tuple[tuple[str, str], ...] = (
    (SEAT_A, "Review1 reviewer (a)"),
    (SEAT_B, "Review1 reviewer (b)"),
    (SEAT_SENIOR, "Review2: senior reviewer"),
    (SEAT_COMPLIANCE, "Review3: compliance reviewer"),
)


def _text_input(
    block_id: str, label: str, placeholder: str, hint: str | None = None, **options: Any
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        hint=hint,
        element=PlainTextInputElement(action_id=INPUT_ACTION, placeholder=placeholder, **options),
    )


def submit_modal(initial_reviewers: Mapping[str, str | None]) -> dict[str, Any]:
    """The form; `initial_reviewers` maps seats to the Slack user ids of the default roster."""
    blocks: list[Block] = [
        _text_input(
            FIELD_SCHEMA_ID,
            "Schema id",
            "inventory-service",
            "Lowercase letters, digits, '.', '_' and '-'.",
            max_length=100,
        ),
        _text_input(
            FIELD_VERSION,
            "Version",
            "1",
            "A whole number, higher than the version in review if one is running.",
            max_length=9,
        ),
        _text_input(
            FIELD_CONTENT_URI,
            "Content URL",
            "https://example.com/schemas/inventory-v1.json",
            "Where the reviewers and the bot can fetch the schema document.",
        ),
        InputBlock(
            block_id=FIELD_DESCRIPTION,
            label="Description",
            optional=True,
            hint=f"A sentence or two, at most {DESCRIPTION_MAX_LENGTH} characters.",
            element=PlainTextInputElement(
                action_id=INPUT_ACTION,
                placeholder="What this version changes",
                multiline=True,
                max_length=DESCRIPTION_MAX_LENGTH,
            ),
        ),
    ]
    for seat, label in SEATS:
        blocks.append(
            InputBlock(
                block_id=seat,
                label=label,
                element=UserSelectElement(
                    action_id=INPUT_ACTION,
                    placeholder="Pick a reviewer",
                    initial_user=initial_reviewers.get(seat) or None,
                ),
            )
        )
    blocks.append(
        InputBlock(
            block_id=FIELD_COMPATIBILITY,
            label="Compatibility mode",
            optional=True,
            hint=(
                "Set by a schema's first submission (default BACKWARD); each version is checked"
                " against the approved ones in this mode."
            ),
            element=StaticSelectElement(
                action_id=INPUT_ACTION,
                placeholder="BACKWARD (default)",
                options=[Option(text=mode, value=mode) for mode in COMPATIBILITY_MODES],
            ),
        )
    )
    view = View(
        type="modal",
        callback_id=CALLBACK_ID,
        title="Submit a schema",
        submit="Submit for review",
        close="Cancel",
        blocks=blocks,
    )
    return view.to_dict()
