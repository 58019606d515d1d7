"""A way in to the Web API's answers for whoever runs the stand-in.

Every authenticated Web API call (and `apps.connections.open`) passes through the hooks in
`SlackStandIn.call_hooks`, in order: a hook may answer for a method before it acts, replace
the answer of a method that acted, or keep that answer back for a while. The call record
(`SandboxState.calls`) holds what was answered, whoever answered it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass
class ApiAnswer:
    """One Web API answer: HTTP status, Slack's JSON body and headers."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    # Sent as is instead of the JSON body (a proxy's error page in front of Slack): text/html
    # when it starts with "<", else text/plain. The call record still keeps `body`.
    text: str | None = None
    # Awaited after the call is recorded and before the answer leaves: the caller waits.
    kept_back_until: Callable[[], Awaitable[None]] | None = None

    @property
    def content_type(self) -> str:
        return "text/html" if (self.text or "").lstrip().startswith("<") else "text/plain"

    @classmethod
    def error(
        cls, code: str, status: int = 200, headers: dict[str, str] | None = None
    ) -> ApiAnswer:
        return cls(status, {"ok": False, "error": code}, headers or {})


class CallHook(Protocol):
    def before(self, method: str) -> ApiAnswer | None:
        """The answer given instead of acting; None lets the method act."""

    def after(self, method: str, answer: ApiAnswer) -> ApiAnswer:
        """The answer sent for a method that acted (`answer` as the method gave it)."""


def answer_before(hooks: list[CallHook], method: str) -> ApiAnswer | None:
    for hook in hooks:
        answer = hook.before(method)
        if answer is not None:
            return answer
    return None


def answer_after(hooks: list[CallHook], method: str, answer: ApiAnswer) -> ApiAnswer:
    for hook in hooks:
        answer = hook.after(method, answer)
    return answer
