"""The `/submit-schema` form (built by `slack_presentation.submit_modal`): what a submission of
it says, and what is wrong with it, keyed by the field where Slack shows the message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.slack_app.services.command_parsing import (
    clean_schema_id,
    clean_url,
    content_uri_problem,
    description_problem,
    version_problem,
)
from slack_presentation.submit_modal import (
    FIELD_COMPATIBILITY,
    FIELD_CONTENT_URI,
    FIELD_DESCRIPTION,
    FIELD_SCHEMA_ID,
    FIELD_VERSION,
    INPUT_ACTION,
    SEAT_A,
    SEAT_B,
    SEATS,
)
from workflow.models import compatibility_mode_problem, schema_id_problem


@dataclass(frozen=True)
class SubmitForm:
    schema_id: str
    version: str
    description: str
    content_uri: str
    # Seat -> Slack user id, None where nobody was picked.
    reviewers: dict[str, str | None]
    compatibility_mode: str | None = None


def _field(values: dict[str, Any], block_id: str) -> dict[str, Any]:
    return dict((values.get(block_id) or {}).get(INPUT_ACTION) or {})


def read_submit_form(state_values: dict[str, Any]) -> SubmitForm:
    """The form's `view.state.values`, as typed and picked."""

    def text(block_id: str) -> str:
        return str(_field(state_values, block_id).get("value") or "").strip()

    return SubmitForm(
        schema_id=clean_schema_id(text(FIELD_SCHEMA_ID)),
        version=text(FIELD_VERSION),
        description=text(FIELD_DESCRIPTION),
        content_uri=clean_url(text(FIELD_CONTENT_URI)),
        reviewers={
            seat: _field(state_values, seat).get("selected_user") or None for seat, _ in SEATS
        },
        compatibility_mode=(
            (_field(state_values, FIELD_COMPATIBILITY).get("selected_option") or {}).get("value")
            or None
        ),
    )


def form_problems(form: SubmitForm, submitter_id: str) -> dict[str, str]:
    """Block id -> what is wrong there; empty when the form can be submitted."""
    problems: dict[str, str] = {}
    if problem := schema_id_problem(form.schema_id):
        problems[FIELD_SCHEMA_ID] = problem
    if problem := version_problem(form.version):
        problems[FIELD_VERSION] = problem
    if problem := content_uri_problem(form.content_uri):
        problems[FIELD_CONTENT_URI] = problem
    if problem := description_problem(form.description):
        problems[FIELD_DESCRIPTION] = problem
    if problem := compatibility_mode_problem(form.compatibility_mode):
        problems[FIELD_COMPATIBILITY] = problem
    for seat, label in SEATS:
        user = form.reviewers.get(seat)
        if not user:
            problems[seat] = f"Pick the {label}."
        elif user == submitter_id:
            problems[seat] = "You submit this schema, so you may not review it: pick someone else."
    a, b = form.reviewers.get(SEAT_A), form.reviewers.get(SEAT_B)
    if a and a == b and SEAT_B not in problems:
        problems[SEAT_B] = "One person may not hold both Review1 seats: pick someone else."
    return {block: _capitalised(text) for block, text in problems.items()}


def _capitalised(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."
