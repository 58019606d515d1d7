"""What a failed fetch means, in words for the schema owner and in detail for operators.

Owners read these phrases in a revision request, so they name what happened ("the server
refused the connection") and never Python or OpenSSL internals; the detail goes to the log.
"""

from __future__ import annotations

import errno
import logging
import ssl

import aiohttp

logger = logging.getLogger(__name__)


class SchemaFetchError(Exception):
    """A fetch that failed; `kind` is one of `schemas.error_kinds`, `message` a sentence
    for the schema owner. Deliberately not an OSError, so aiohttp passes it through untouched."""

    def __init__(self, kind: str, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.permanent = permanent


def connection_trouble(error: BaseException) -> str:
    """What went wrong with the connection, in words a schema owner can act on."""
    if isinstance(error, aiohttp.ClientSSLError | ssl.SSLError):
        return "the TLS handshake with the server failed"
    if isinstance(error, aiohttp.ServerDisconnectedError):
        return "the server closed the connection without answering"
    if isinstance(error, aiohttp.ClientPayloadError):
        return "the connection broke off before the whole document arrived"
    if isinstance(error, aiohttp.ClientResponseError):
        # Statuses are checked by hand, so aiohttp raises this only for answers it cannot parse.
        return "the server's answer was not valid HTTP"
    os_error = error.os_error if isinstance(error, aiohttp.ClientConnectorError) else error
    if isinstance(os_error, ConnectionRefusedError):
        return "the server refused the connection"
    if isinstance(os_error, OSError) and os_error.errno in (errno.ECONNRESET, errno.EPIPE):
        return "the server dropped the connection"
    if isinstance(error, aiohttp.ClientConnectorError):
        return "no connection to the server could be made"
    return "the connection to the server failed"


def certificate_trouble(error: aiohttp.ClientConnectorCertificateError) -> str:
    # OpenSSL's own words ("self-signed certificate", "certificate has expired") without the
    # "[SSL: CERTIFICATE_VERIFY_FAILED] ... (_ssl.c:1006)" around them.
    reason = getattr(error.certificate_error, "verify_message", None)
    return f" ({str(reason).rstrip('.')})" if reason else ""


def log_fetch_failure(shown: str, error: BaseException) -> None:
    # The technical detail is for operators; owners get the plain phrase. aiohttp's response
    # errors print the full URL, query string and all, so they are logged by their parts.
    if isinstance(error, aiohttp.ClientResponseError):
        detail = f"{type(error).__name__}: {error.status}, {error.message}"
    elif isinstance(error, aiohttp.ClientConnectorError):
        detail = f"{type(error).__name__}: {error.os_error!r}"
    else:
        detail = f"{type(error).__name__}: {error}"
    logger.warning("Fetching the schema document at %s failed: %s", shown, detail)
