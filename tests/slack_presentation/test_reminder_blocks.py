"""How a reminder reads: the wait in words people use, and people's text kept as text."""

from __future__ import annotations

import pytest

from slack_presentation.reminder_blocks import reminder_summary, waited
from tests.activities.review_fixtures import review_request, submission
from workflow.activity_payloads import ReviewReminder
from workflow.models import REVIEW_2


@pytest.mark.parametrize(
    ("seconds", "said"),
    [
        (20, "1 minute"),
        (45 * 60, "45 minutes"),
        (3600.02, "1 hour"),
        (5400, "1.5 hours"),
        (86400.3, "24 hours"),
        (2 * 86400, "48 hours"),
        (3 * 86400, "3 days"),
        (30 * 86400, "30 days"),
    ],
)
def test_the_wait_is_said_in_minutes_hours_or_days(seconds: float, said: str) -> None:
    assert waited(seconds) == said


def test_a_schema_id_is_shown_as_text_and_the_stage_by_its_name() -> None:
    request = review_request(
        stage=REVIEW_2, reviewer="carol@example.com", submission=submission(4, schema_id="a<b>")
    )

    summary = reminder_summary(ReviewReminder(request, 1, 3, 7200))

    assert summary == (
        "⏰ Reminder: *a&lt;b&gt;* v4 has waited 2 hours for your review (Review2 — senior review)."
    )
