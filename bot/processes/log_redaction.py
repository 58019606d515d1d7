"""The last line of defence against a secret in the logs, whatever the format.

The code never logs a secret on purpose: settings hold them as `SecretStr`, which prints as
stars. But an error from a library may quote a request, a URL or a header it was given, so
every line leaving a process goes through this filter: the configured secrets' values, and
anything shaped like a Slack token, a private key, credentials in a URL or an Authorization
header, are replaced before the line is written.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from pydantic import BaseModel, SecretStr

REDACTED = "[REDACTED]"
# Shorter configured values would redact ordinary words; no real secret is this short.
MIN_SECRET_LENGTH = 6

_SHAPES: tuple[tuple[re.Pattern[str], str], ...] = (
    # Slack's bot, user, app-level, refresh and configuration tokens.
    (re.compile(r"\b(xox[a-z]?[a-z]?|xapp|xoxe\.xox[a-z])-[A-Za-z0-9-]+"), rf"\1-{REDACTED}"),
    (
        re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.S),
        f"{REDACTED} private key",
    ),
    # user:password@ in a URL (a schema registry's, a proxy's).
    (re.compile(r"(?<=://)[^\s/@:]+:[^\s/@]+@"), f"{REDACTED}@"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), rf"\1 {REDACTED}"),
)

# Formats a traceback once, so that the redacted text is what every handler writes.
_TRACEBACKS = logging.Formatter()


def secrets_in(settings: BaseModel) -> list[str]:
    """The values of every secret setting (every `SecretStr` field that is set)."""
    values = []
    for name in type(settings).model_fields:
        value = getattr(settings, name, None)
        if isinstance(value, SecretStr) and value.get_secret_value():
            values.append(value.get_secret_value())
    return values


class SecretsRedacted(logging.Filter):
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # Longest first: a secret that contains another is replaced whole.
        self._secrets = sorted(
            {s for s in secrets if len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True
        )

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        for shape, replacement in _SHAPES:
            text = shape.sub(replacement, text)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            # Arguments that do not fit the message: logging reports that itself.
            return True
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True
