"""The starter's workflow input: the review it starts reminds reviewers as settings say."""

from __future__ import annotations

import argparse

from bot.settings import load_settings
from bot.starter import add_arguments, review_input_from
from workflow.models import ReminderPolicy

ARGS = [
    "inventory-service",
    "--content-uri",
    "https://example.com/schemas/inventory-v1.json",
    "--submitted-by",
    "owner@example.com",
]
ROSTER = {
    "default_reviewer_a": "alice@example.com",
    "default_reviewer_b": "bob@example.com",
    "default_senior_reviewer": "carol@example.com",
    "default_compliance_reviewer": "dave@example.com",
}


def parsed() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(ARGS)


def test_a_started_review_carries_the_reminder_settings() -> None:
    settings = load_settings(
        _env_file=None, review_reminder_hours="12", review_max_reminders="5", **ROSTER
    )

    review = review_input_from(parsed(), settings)

    assert review.reminders == ReminderPolicy(43200, 43200, 5)
    assert review.reviewers.reviewer_a == "alice@example.com"


def test_with_reminders_off_the_review_never_reminds() -> None:
    settings = load_settings(_env_file=None, review_max_reminders="0", **ROSTER)

    assert review_input_from(parsed(), settings).reminders is None
