"""Planned failures, so tests can see how the bot copes with a rate limit or an outage.

A fault fails a call before Slack acts (nothing happened: a retry is safe), or after it
(`after_effect`: the message was posted, but the answer was a 5xx or never came: a blind retry
posts it twice). A held call acts and then keeps its answer back until released, so a test can
kill the caller while it waits.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

# Statuses Slack answers these errors with; slack_sdk's retry handlers key on them.
_DEFAULT_STATUS = {
    "ratelimited": 429,
    "internal_error": 500,
    "fatal_error": 500,
    "service_unavailable": 503,
}


@dataclass
class Fault:
    method: str
    error: str
    status: int
    retry_after: int | None
    times: int
    # True: the call takes effect, and then its answer is the error.
    after_effect: bool = False
    # Set: the call takes effect and its (successful) answer waits until `release()`.
    held: asyncio.Event | None = None
    # How many calls this fault met so far.
    hits: int = 0
    # The calls of a held fault that are waiting for `release()`.
    waiting: int = field(default=0)
    # A body that is not Slack's JSON (a proxy's "503 Service Unavailable" page), sent as is:
    # text/html when it starts with "<", else text/plain. None: Slack's JSON error.
    text: str | None = None

    @property
    def content_type(self) -> str:
        return "text/html" if (self.text or "").lstrip().startswith("<") else "text/plain"

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}

    def release(self) -> None:
        """Let held answers go (to whoever still listens)."""
        if self.held is not None:
            self.held.set()


@dataclass
class RandomFaults:
    """A share of the calls to `methods` fails before Slack acts, drawn from a seeded
    generator so that a run can be repeated."""

    methods: frozenset[str]
    fraction: float
    errors: tuple[str, ...]
    rng: random.Random
    # How many calls it failed so far.
    hits: int = 0


class FaultPlan:
    def __init__(self) -> None:
        self._random: RandomFaults | None = None
        self._faults: list[Fault] = []
        # Every held fault, used up or not, so that none keeps an answer back forever.
        self._held: list[Fault] = []

    def add(
        self,
        method: str,
        *,
        error: str,
        status: int | None,
        retry_after: int | None,
        times: int,
        after_effect: bool = False,
        text: str | None = None,
    ) -> Fault:
        if times < 1:
            raise ValueError(f"times must be at least 1 (got {times}): how often should it fail?")
        if error == "ratelimited" and retry_after is None:
            retry_after = 1
        if error == "ratelimited" and after_effect:
            raise ValueError("Slack answers ratelimited without acting: it cannot be after_effect.")
        status = status or _DEFAULT_STATUS.get(error, 200)
        fault = Fault(
            method, error, status, retry_after, times, after_effect=after_effect, text=text
        )
        self._faults.append(fault)
        return fault

    def hold(self, method: str, *, times: int) -> Fault:
        """The next `times` calls of `method` act, then wait for `release()` to answer."""
        if times < 1:
            raise ValueError(f"times must be at least 1 (got {times}): how many calls to hold?")
        fault = Fault(method, "", 200, None, times, after_effect=True, held=asyncio.Event())
        self._faults.append(fault)
        self._held.append(fault)
        return fault

    def at_random(
        self, methods: Iterable[str], *, fraction: float, errors: Iterable[str], seed: int
    ) -> RandomFaults:
        """From now on, fail `fraction` of the calls to `methods` with one of `errors` (before
        Slack acts), until `clear()`."""
        if not 0 <= fraction <= 1:
            raise ValueError(f"fraction must be between 0 and 1 (got {fraction}).")
        chosen = tuple(errors)
        if not chosen:
            raise ValueError("errors must name at least one Slack error, e.g. internal_error.")
        self._random = RandomFaults(frozenset(methods), fraction, chosen, random.Random(seed))
        return self._random

    def take(self, method: str) -> Fault | None:
        """The fault for this call, if one is planned; `*` matches every method."""
        for fault in self._faults:
            if fault.method in (method, "*"):
                fault.times -= 1
                fault.hits += 1
                if fault.times == 0:
                    self._faults.remove(fault)
                return fault
        chance = self._random
        if (
            chance is not None
            and method in chance.methods
            and chance.rng.random() < chance.fraction
        ):
            chance.hits += 1
            error = chance.rng.choice(chance.errors)
            retry_after = 0 if error == "ratelimited" else None
            return Fault(method, error, _DEFAULT_STATUS.get(error, 200), retry_after, 1)
        return None

    def clear(self) -> None:
        """Forget the planned faults and let every held answer go."""
        for fault in self._held:
            fault.release()
        self._held.clear()
        self._faults.clear()
        self._random = None
