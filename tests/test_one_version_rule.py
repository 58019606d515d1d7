"""A schema version is a whole number of 1 or more wherever one arrives (a signal, an update,
the start input, the bot's forms, a button, the schema store), and each says so with the same
sentence (`workflow.payload_values.version_problem`): "2", 2.0 and true are refused, not read
as 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.slack_app.services.command_parsing import version_problem as typed_version_problem
from schemas.store import SchemaStore, SchemaStoreError
from slack_presentation.review_actions import InvalidButtonValue, ReviewButtonValue
from tests.helpers import as_payload
from workflow.models import Submission, version_problem
from workflow.payloads import parse_decision, parse_submission
from workflow.review_input import parse_review_input

SUBMISSION = Submission(
    schema_id="inventory-service",
    version=1,
    description="Initial schema",
    content_uri="https://example.com/schemas/inventory-v1.json",
    submitted_by="owner@example.com",
)
DECISION = {
    "stage": "Review1.a",
    "reviewer": "alice@example.com",
    "submission_version": 1,
    "approved": True,
}
ROSTER = {
    "reviewer_a": "alice@example.com",
    "reviewer_b": "bob@example.com",
    "senior_reviewer": "carol@example.com",
    "compliance_reviewer": "dave@example.com",
}
REFUSED = [
    ("2", "must be a whole number of 1 or more, not '2'"),
    (2.0, "must be a whole number of 1 or more, not 2.0"),
    (True, "must be a whole number of 1 or more, not true"),
    (None, "must be a whole number of 1 or more, not null"),
    (0, "0 is too low: versions start at 1"),
]


@pytest.mark.parametrize(("version", "sentence"), REFUSED)
def test_every_payload_refuses_a_version_that_is_not_a_whole_number_from_1(
    version: object, sentence: str
) -> None:
    assert version_problem(version) == f"version {sentence}"
    assert parse_submission({**as_payload(SUBMISSION), "version": version}) == (
        f"version {sentence}."
    )
    assert parse_decision({**DECISION, "submission_version": version}) == (
        f"submission_version {sentence}."
    )
    start = {"submission": {**as_payload(SUBMISSION), "version": version}, "reviewers": ROSTER}
    assert parse_review_input(start) == [f"submission.version {sentence}"]


@pytest.mark.parametrize(("version", "sentence"), REFUSED)
def test_the_store_and_the_buttons_refuse_the_same_versions(
    tmp_path: Path, version: object, sentence: str
) -> None:
    store = SchemaStore(tmp_path)
    with pytest.raises(SchemaStoreError) as refused:
        store.save("inventory-service", version, b"{}", "JSON", "sha256:0")  # type: ignore[arg-type]
    assert str(refused.value) == f"Cannot store this schema: version {sentence}."
    button = {"w": "schema-approval-inventory-service", "s": "Review1.a", "v": version}
    with pytest.raises(InvalidButtonValue):
        ReviewButtonValue.decode(json.dumps(button))


def test_the_bots_forms_say_the_same_of_version_0() -> None:
    assert (
        typed_version_problem("0")
        == version_problem(0)
        == ("version 0 is too low: versions start at 1")
    )
    assert Submission(**{**as_payload(SUBMISSION), "version": 0}).problems() == [
        "version 0 is too low: versions start at 1"
    ]
