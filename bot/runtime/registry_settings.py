"""The schema registry's settings (`SCHEMA_REGISTRY_*`), part of every process's `Settings`.

With `SCHEMA_REGISTRY_URL` unset there is no registry and nothing here is used. The
credentials are a secret: no message, log line or repr shows them, nor a URL that could hold
them.
"""

from __future__ import annotations

import math
import string
from typing import Any

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings
from yarl import URL

from schemas.registry_access import RegistryAccess

MAX_REGISTRY_RETRY_HOURS = 720
# Kafka's topic-name strategy: the value schema of the topic named like the schema.
DEFAULT_SUBJECT_TEMPLATE = "{schema_id}-value"


class RegistrySettings(BaseSettings):
    """The registry's fields; `Settings` adds the rest (and the environment's rules)."""

    # A Confluent-compatible schema registry that approved versions are registered in; None:
    # the directory store alone (docs/registry.md, "Using a registry").
    schema_registry_url: str | None = None
    # `user:password`, as Confluent's clients name it (`basic.auth.user.info`).
    schema_registry_basic_auth_user_info: SecretStr | None = None
    schema_registry_subject_template: str = DEFAULT_SUBJECT_TEMPLATE
    schema_registry_retry_hours: float = 24.0

    @field_validator("schema_registry_url")
    @classmethod
    def _registry_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        # The value is never repeated: it may carry credentials.
        try:
            url = URL(value.strip())
        except (ValueError, TypeError):
            url = None
        if url is None or url.scheme not in ("http", "https") or not url.host or "," in value:
            raise ValueError(
                "must be the http(s) address of one Confluent-compatible schema registry, such"
                " as https://registry.example.com:8081"
            )
        if url.user is not None or url.password is not None:
            raise ValueError(
                "must not carry credentials: put them in SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO"
                " (user:password)"
            )
        if url.query_string or url.fragment:
            raise ValueError(
                "must be the registry's base address, without a query or fragment, such as"
                " https://registry.example.com:8081"
            )
        return str(url).rstrip("/")

    @field_validator("schema_registry_basic_auth_user_info")
    @classmethod
    def _registry_user_info(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        user, colon, _ = value.get_secret_value().partition(":")
        if not colon or not user.strip():
            # Never the value itself: it is a password.
            raise ValueError(
                "must be user:password (a user name, a colon, then the password or API secret),"
                " as Confluent's clients take basic.auth.user.info"
            )
        return value

    @field_validator("schema_registry_subject_template", mode="before")
    @classmethod
    def _subject_template(cls, value: Any) -> str:
        template = str(value).strip()
        try:
            # A conversion or format spec ({schema_id!r}, {schema_id:>9}) changes the id.
            names = [
                name if not (spec or conversion) else "?"
                for _, name, spec, conversion in string.Formatter().parse(template)
                if name is not None
            ]
        except ValueError:
            names = ["?"]
        if names.count("schema_id") != 1 or len(names) != 1:
            raise ValueError(
                "must contain {schema_id} once and no other placeholder, such as"
                f" {DEFAULT_SUBJECT_TEMPLATE} (Kafka's topic-name strategy), not {template!r}"
            )
        return template

    @field_validator("schema_registry_retry_hours", mode="before")
    @classmethod
    def _registry_retry_hours(cls, value: Any) -> float:
        hours = number(value)
        if hours is None or not 0 < hours <= MAX_REGISTRY_RETRY_HOURS:
            raise ValueError(
                f"must be a number of hours above 0 and at most {MAX_REGISTRY_RETRY_HOURS}"
                f" (30 days), such as 24, not {value!r}"
            )
        return hours

    def registry_access(self, timeout_seconds: float = 10.0) -> RegistryAccess | None:
        """Where the schema registry is and how to sign in; None without one."""
        if self.schema_registry_url is None:
            return None
        secret = self.schema_registry_basic_auth_user_info
        return RegistryAccess(
            self.schema_registry_url,
            secret.get_secret_value() if secret is not None else None,
            timeout_seconds,
        )

    def subject_for(self, schema_id: str) -> str:
        """The registry subject of a schema (SCHEMA_REGISTRY_SUBJECT_TEMPLATE)."""
        return self.schema_registry_subject_template.format(schema_id=schema_id)


def number(value: Any) -> float | None:
    """A finite number from the environment's text (or a number given in code); else None."""
    if isinstance(value, bool):
        return None
    try:
        found = float(value.strip() if isinstance(value, str) else value)
    except (TypeError, ValueError):
        return None
    return found if math.isfinite(found) else None
