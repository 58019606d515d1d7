"""Where the schema registry is and how to sign in: what the processes read from settings and
hand to `schemas.registry_client` (kept apart so that reading settings does not import the
registry client)."""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas.fetch import display_uri


@dataclass(frozen=True)
class RegistryAccess:
    """Where the registry is and how to sign in; the credentials never show in a repr."""

    url: str
    basic_auth_user_info: str | None = field(default=None, repr=False)
    timeout_seconds: float = 10.0

    @property
    def shown_url(self) -> str:
        """The address as messages may show it: no credentials, no query."""
        return display_uri(self.url)
