"""Whether a process can do its work now: the parts it depends on answer.

`/readyz` (docs/operations.md, "Probes") asks each part at most once per probe, all at once,
each within a short timeout, so that a probe answers well inside a platform's own timeout.
Temporal is asked every time (one cheap call); Slack's `auth.test` is kept for
`SLACK_RECHECK_SECONDS`, so that probes every few seconds from several replicas stay far from
Slack's rate limits. With `SCHEMA_REGISTRY_URL` set, the schema registry is a part too (its
last check kept for a minute, `bot.runtime.registry_health`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from slack_sdk.web.async_client import AsyncWebClient
from temporalio.api.workflowservice.v1 import GetSystemInfoRequest
from temporalio.client import Client

from bot.runtime.registry_health import RegistryHealth
from slack_api.client import SLACK_FAILURES, slack_error_code

TEMPORAL_TIMEOUT_SECONDS = 2.0
SLACK_TIMEOUT_SECONDS = 3.0
SLACK_RECHECK_SECONDS = 30.0


class ReadinessCheck(Protocol):
    @property
    def name(self) -> str:
        """The part's name in `/readyz`'s answer: "temporal", "slack"."""
        ...

    async def problem(self) -> str | None:
        """Why the part cannot be used now, as a sentence; None when it can."""
        ...


@dataclass(frozen=True)
class TemporalAnswers:
    """Temporal's frontend answers `GetSystemInfo` (what the client asks when it connects)."""

    client: Client
    address: str
    name: str = "temporal"

    async def problem(self) -> str | None:
        try:
            await self.client.workflow_service.get_system_info(
                GetSystemInfoRequest(),
                retry=False,
                timeout=timedelta(seconds=TEMPORAL_TIMEOUT_SECONDS),
            )
        except Exception as error:
            return (
                f"Temporal at {self.address} did not answer within"
                f" {TEMPORAL_TIMEOUT_SECONDS:g} s ({type(error).__name__}: {error})."
            )
        return None


class SlackAuthHolds:
    """Slack accepts the bot token (`auth.test`); the answer is kept for a while."""

    name = "slack"

    def __init__(
        self, client: AsyncWebClient, recheck_seconds: float = SLACK_RECHECK_SECONDS
    ) -> None:
        self._client = client
        self._recheck_seconds = recheck_seconds
        self._checked_at: float | None = None
        self._problem: str | None = None
        self._asking: asyncio.Future[str | None] | None = None

    async def problem(self) -> str | None:
        now = asyncio.get_running_loop().time()
        if self._checked_at is not None and now - self._checked_at < self._recheck_seconds:
            return self._problem
        # Probes that arrive while auth.test runs share its answer.
        if self._asking is None:
            self._asking = asyncio.ensure_future(self._ask())
        asking = self._asking
        try:
            return await asyncio.shield(asking)
        finally:
            if asking.done() and self._asking is asking:
                self._asking = None

    async def _ask(self) -> str | None:
        try:
            async with asyncio.timeout(SLACK_TIMEOUT_SECONDS):
                await self._client.auth_test()
        except SLACK_FAILURES as error:
            problem: str | None = (
                f"Slack's auth.test failed ({slack_error_code(error)}): the bot token is refused"
                " or Slack cannot be reached."
            )
        else:
            problem = None
        self._checked_at, self._problem = asyncio.get_running_loop().time(), problem
        return problem


@dataclass(frozen=True)
class RegistryAnswers:
    """The schema registry answers and accepts the process's credentials."""

    health: RegistryHealth

    @property
    def name(self) -> str:
        return "registry"

    async def problem(self) -> str | None:
        trouble = await self.health.trouble()
        if trouble is None:
            return None
        if trouble.credentials_refused:
            return (
                f"The schema registry at {trouble.shown_url} refuses the credentials: check"
                " SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO."
            )
        return f"The schema registry at {trouble.shown_url} is not answering."


@dataclass(frozen=True)
class Readiness:
    checks: Sequence[ReadinessCheck]

    async def problems(self) -> dict[str, str | None]:
        """Each part's name, and why it cannot be used now (None: it can)."""
        answers = await asyncio.gather(*(check.problem() for check in self.checks))
        return {check.name: answer for check, answer in zip(self.checks, answers, strict=True)}
