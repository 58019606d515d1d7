"""The schema registry checked when a process starts (`worker`, `web`, the all-in-one run):
refused credentials stop the start with one line naming the setting to fix; a registry that
does not answer is a warning, and the process starts (approvals wait to be registered)."""

from __future__ import annotations

import logging

from bot.runtime.registry_health import RegistryHealth
from bot.runtime.settings import Settings
from schemas.registry_errors import RegistryUnauthorized

log = logging.getLogger(__name__)

# A start waits this long for the registry before going on without it.
START_CHECK_SECONDS = 5.0


class RegistryCredentialsRefused(RuntimeError):
    """The start stops: the message says which setting to fix."""


async def check_registry_at_start(settings: Settings) -> RegistryHealth | None:
    """The registry's health as checked now; None without a registry."""
    access = settings.registry_access(timeout_seconds=START_CHECK_SECONDS)
    if access is None:
        return None
    health = RegistryHealth(access)
    problem = await health.check()
    if isinstance(problem, RegistryUnauthorized):
        raise RegistryCredentialsRefused(problem.sentence)
    if problem is not None:
        log.warning(
            "%s. Starting anyway: approved versions wait to be registered until it answers.",
            problem.sentence.rstrip("."),
        )
    else:
        log.info("The schema registry at %s answers", access.shown_url)
    return health
