"""A small memory for Slack lookups (who has this email, which DM is theirs): bounded in size so
a long-running worker does not grow with every person it ever met, and in age so a renamed or
re-created Slack account is picked up within minutes."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

# Long enough to spare Slack's rate limits during a busy review round, short enough that a
# changed email address or account is picked up within minutes.
LOOKUP_TTL_SECONDS = 600.0
# Far more people than one workspace's reviewers; the least recently used go first.
LOOKUP_MAX_ENTRIES = 2048


class TtlCache(Generic[T]):
    def __init__(
        self,
        ttl_seconds: float = LOOKUP_TTL_SECONDS,
        max_entries: int = LOOKUP_MAX_ENTRIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_entries < 1:
            raise ValueError("A cache must hold at least one entry: give max_entries >= 1.")
        self._ttl = ttl_seconds
        self._max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[str, tuple[T, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str) -> T | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        value, expires_at = entry
        if expires_at <= self._clock():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    def put(self, key: str, value: T) -> None:
        self._entries[key] = (value, self._clock() + self._ttl)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)
