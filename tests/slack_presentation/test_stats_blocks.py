"""The stats reply reads as people speak of time and counts."""

from __future__ import annotations

import pytest

from slack_presentation.stats_blocks import duration_text, stats_text
from workflow.read_models import Durations, ReviewStats


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(None, "—"), (42.4, "42 s"), (600, "10 min"), (5400, "1.5 h"), (3 * 86400, "3.0 days")],
)
def test_durations_read_in_the_unit_that_fits(seconds: float | None, said: str) -> None:
    assert duration_text(seconds) == said


def test_one_rejected_round_is_not_plural() -> None:
    none = Durations(0, None, None)
    stats = ReviewStats(30, 4, 2, 0, 1, none, [])

    assert stats_text(stats) == (
        "Reviews of the last 30 days: 4 opened · 2 approved · 0 withdrawn · 1 round rejected."
    )
