"""The lookup memory: answers expire, and the oldest make room for new ones."""

from __future__ import annotations

import pytest

from slack_api.ttl_cache import TtlCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_answer_is_forgotten_once_it_expires() -> None:
    clock = Clock()
    cache: TtlCache[str] = TtlCache(ttl_seconds=60, clock=clock)
    cache.put("alice@example.com", "U0ALICE001")

    clock.now += 59
    assert cache.get("alice@example.com") == "U0ALICE001"
    clock.now += 1
    assert cache.get("alice@example.com") is None
    assert len(cache) == 0


def test_the_least_recently_used_answer_makes_room() -> None:
    cache: TtlCache[str] = TtlCache(max_entries=2)
    cache.put("a", "1")
    cache.put("b", "2")
    assert cache.get("a") == "1"  # b is now the least recently used

    cache.put("c", "3")

    assert (cache.get("a"), cache.get("b"), cache.get("c")) == ("1", None, "3")
    assert len(cache) == 2


def test_a_cache_that_holds_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one entry"):
        TtlCache(max_entries=0)
