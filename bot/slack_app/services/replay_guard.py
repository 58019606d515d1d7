"""A signed request from Slack is acted on once.

Bolt accepts a request whose signature fits and whose timestamp is within five minutes of now,
so a captured click re-sent within those minutes would pass again. The HTTP front remembers the
(timestamp, signature) of every request Bolt verified until Bolt would refuse it anyway, and
refuses an exact repeat. Memory stays bounded: only verified requests are remembered, and each
is forgotten once its timestamp leaves the window. One process remembers what it saw; replicas
behind a load balancer do not share it.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Callable, Mapping

# slack_sdk's SignatureVerifier refuses timestamps more than five minutes from now, either way.
REPLAY_WINDOW_SECONDS = 5 * 60

TIMESTAMP_HEADER = "X-Slack-Request-Timestamp"
SIGNATURE_HEADER = "X-Slack-Signature"

RequestKey = tuple[str, str]


def request_key(headers: Mapping[str, str]) -> RequestKey | None:
    """What identifies a signed request; None when it is not signed (Bolt refuses it)."""
    timestamp, signature = headers.get(TIMESTAMP_HEADER), headers.get(SIGNATURE_HEADER)
    if not timestamp or not signature or not timestamp.isascii() or not timestamp.isdecimal():
        return None
    return timestamp, signature


class ReplayGuard:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        # Verified requests, and when Bolt stops accepting each (a heap, soonest first).
        self._seen: set[RequestKey] = set()
        self._expiries: list[tuple[int, RequestKey]] = []
        # Requests being verified right now: a copy sent alongside is a repeat too.
        self._in_flight: set[RequestKey] = set()

    def __len__(self) -> int:
        return len(self._seen) + len(self._in_flight)

    def claim(self, key: RequestKey) -> bool:
        """True for a request not seen before, held until `settle`; False for a repeat.

        No await between the check and the hold, so two copies sent at once cannot both pass.
        """
        self._forget_expired()
        if key in self._seen or key in self._in_flight:
            return False
        self._in_flight.add(key)
        return True

    def settle(self, key: RequestKey, *, verified: bool) -> None:
        """Remember a verified request until its timestamp leaves the window; forget the rest,
        so that unsigned or forged requests take no memory."""
        self._in_flight.discard(key)
        if verified:
            self._seen.add(key)
            # One second more than the window: Bolt compares with a fractional clock.
            heapq.heappush(self._expiries, (int(key[0]) + REPLAY_WINDOW_SECONDS + 1, key))

    def _forget_expired(self) -> None:
        now = self._clock()
        while self._expiries and self._expiries[0][0] < now:
            _, key = heapq.heappop(self._expiries)
            self._seen.discard(key)
