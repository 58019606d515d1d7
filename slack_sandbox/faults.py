"""Planned failures, so tests can see how the bot copes with a rate limit or an outage."""

from __future__ import annotations

from dataclasses import dataclass

# Statuses Slack answers these errors with; slack_sdk's retry handlers key on them.
_DEFAULT_STATUS = {"ratelimited": 429, "internal_error": 500, "fatal_error": 500}


@dataclass
class Fault:
    method: str
    error: str
    status: int
    retry_after: int | None
    times: int
    # A body that is not Slack's JSON (a proxy's "503 Service Unavailable" page), sent as is:
    # text/html when it starts with "<", else text/plain. None: Slack's JSON error.
    text: str | None = None

    @property
    def content_type(self) -> str:
        return "text/html" if (self.text or "").lstrip().startswith("<") else "text/plain"

    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)} if self.retry_after is not None else {}


class FaultPlan:
    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(
        self,
        method: str,
        *,
        error: str,
        status: int | None,
        retry_after: int | None,
        times: int,
        text: str | None = None,
    ) -> Fault:
        if times < 1:
            raise ValueError(f"times must be at least 1 (got {times}): how often should it fail?")
        if error == "ratelimited" and retry_after is None:
            retry_after = 1
        fault = Fault(
            method, error, status or _DEFAULT_STATUS.get(error, 200), retry_after, times, text
        )
        self._faults.append(fault)
        return fault

    def take(self, method: str) -> Fault | None:
        """The fault for this call, if one is planned; `*` matches every method."""
        for fault in self._faults:
            if fault.method in (method, "*"):
                fault.times -= 1
                if fault.times == 0:
                    self._faults.remove(fault)
                return fault
        return None

    def clear(self) -> None:
        self._faults.clear()
