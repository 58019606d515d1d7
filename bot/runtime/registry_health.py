"""Whether the schema registry answers, as the web process last saw it: checked at start, and
again when asked, at most once a minute, so that `/schema-status` can say that approvals wait
for it without asking the registry on every command."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass

from schemas.registry_access import RegistryAccess
from schemas.registry_client import RegistryClient
from schemas.registry_errors import RegistryError, RegistryUnauthorized

RECHECK_SECONDS = 60.0


@dataclass(frozen=True)
class RegistryTrouble:
    """The registry does not serve the bot: where (no credentials), and whether it refuses the
    credentials (else it is not answering)."""

    shown_url: str
    credentials_refused: bool


class RegistryHealth:
    def __init__(
        self, access: RegistryAccess, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.access = access
        self._clock = clock
        self._checked_at: float | None = None
        self._problem: RegistryError | None = None
        self._lock = asyncio.Lock()

    async def check(self) -> RegistryError | None:
        """Ask the registry now; the failure, or None when it answers and accepts us."""
        client = RegistryClient(self.access)
        try:
            await client.check()
            self._problem = None
        except RegistryError as error:
            self._problem = error
        finally:
            await client.aclose()
            self._checked_at = self._clock()
        return self._problem

    async def trouble(self) -> RegistryTrouble | None:
        """The last check's trouble, checking again first when the last is a minute old."""
        async with self._lock:
            if self._checked_at is None or self._clock() - self._checked_at >= RECHECK_SECONDS:
                await self.check()
        if self._problem is None:
            return None
        refused = isinstance(self._problem, RegistryUnauthorized)
        return RegistryTrouble(self.access.shown_url, refused)
