"""The stats' times: a median and a p90 that were actually taken, and nothing when none was."""

from __future__ import annotations

from bot.reviews.review_stats import durations
from workflow.read_models import Durations


def test_the_p90_is_a_time_that_was_taken() -> None:
    taken = durations([float(n) for n in range(10, 0, -1)])

    assert taken == Durations(10, 5.5, 9.0)


def test_one_time_is_its_own_median_and_p90() -> None:
    assert durations([42.0]) == Durations(1, 42.0, 42.0)


def test_no_times_give_no_median() -> None:
    assert durations([]) == Durations(0, None, None)
