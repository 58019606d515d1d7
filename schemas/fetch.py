"""Fetching a schema document from the URL a submitter gave, safely.

The URL comes from whoever may submit a schema, so the worker must not become a way to reach
what only it can reach: cloud metadata endpoints and link-local addresses are refused always,
loopback and private networks unless the operator allows them (local development). Every
address a host name resolves to is checked, and the connection goes only to checked addresses
(a resolver that vets what it returns), so a DNS answer that changes between check and connect
cannot slip through. Size and time are bounded so a hostile server cannot exhaust the worker.
"""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from yarl import URL

from schemas import error_kinds as kinds
from schemas.fetch_addresses import (
    AddressForbidden,
    VettedResolver,
    address_problem,
    literal_address,
)
from schemas.fetch_failures import (
    SchemaFetchError,
    certificate_trouble,
    connection_trouble,
    log_fetch_failure,
)
from schemas.fetch_local import read_local_file

MAX_REDIRECTS = 5
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# 408 and 429 say "try again later"; every other 4xx is the submitter's to fix.
_RETRYABLE_CLIENT_STATUSES = {408, 425, 429}
_CHUNK_SIZE = 64 * 1024
# "No such host" is the submitter's typo; other resolver failures may pass.
_NO_SUCH_HOST = {socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME)}


@dataclass(frozen=True)
class FetchPolicy:
    max_bytes: int = 1_000_000
    timeout_seconds: float = 10.0
    allow_private: bool = False
    # The directory `file://` documents may be read from; None: no file is read.
    file_root: Path | None = None


def fetch_session(policy: FetchPolicy) -> aiohttp.ClientSession:
    """A session whose connections go only to vetted addresses; no proxies, no cookies."""
    connector = aiohttp.TCPConnector(resolver=VettedResolver(policy.allow_private))
    return aiohttp.ClientSession(
        connector=connector,
        cookie_jar=aiohttp.DummyCookieJar(),
        # Proxies would resolve the host themselves, past the address check.
        trust_env=False,
    )


def display_uri(uri: str | URL) -> str:
    """The URL as it may appear in messages: no credentials, query string or fragment
    (pre-signed URLs carry their secret in the query)."""
    try:
        url = URL(str(uri))
        shown = url.with_user(None).with_query(None).with_fragment(None)
        return str(shown) if url.scheme else str(uri)[:200]
    except (ValueError, TypeError):
        return str(uri)[:200]


async def fetch_document(
    uri: str, policy: FetchPolicy, session: aiohttp.ClientSession | None = None
) -> bytes:
    """The document at `uri`, at most `policy.max_bytes` long.

    A `session` given by the caller should come from `fetch_session`: other sessions get the
    address check before each request but not the check at connection time.
    """
    shown = display_uri(uri)
    try:
        url = URL(uri.strip())
    except (ValueError, TypeError):
        raise _invalid(shown, "it is not a valid URL") from None
    if url.scheme == "file":
        return await read_local_file(url, policy.file_root, policy.max_bytes, shown)
    try:
        async with asyncio.timeout(policy.timeout_seconds):
            if session is not None:
                return await _fetch_http(url, policy, session, shown)
            async with fetch_session(policy) as own_session:
                return await _fetch_http(url, policy, own_session, shown)
    except TimeoutError:
        raise SchemaFetchError(
            kinds.SCHEMA_FETCH_TIMED_OUT,
            f"The schema document at {shown} did not arrive within"
            f" {policy.timeout_seconds:g} seconds.",
            permanent=False,
        ) from None
    except AddressForbidden as error:
        raise _forbidden(shown, error) from None


async def _fetch_http(
    url: URL, policy: FetchPolicy, session: aiohttp.ClientSession, shown: str
) -> bytes:
    for _ in range(MAX_REDIRECTS + 1):
        await _vet_http_url(url, policy, shown)
        try:
            async with session.get(url, allow_redirects=False) as response:
                if response.status in _REDIRECT_STATUSES and "Location" in response.headers:
                    url = _redirect_target(url, response.headers["Location"], shown)
                    continue
                _check_status(response, shown)
                return await _read_limited(response, policy.max_bytes, shown)
        except TimeoutError:
            raise  # aiohttp's timeouts are OSErrors too; the caller reports them
        except aiohttp.ClientConnectorCertificateError as error:
            log_fetch_failure(shown, error)
            raise SchemaFetchError(
                kinds.SCHEMA_NOT_FOUND,
                f"The schema document at {shown} could not be fetched: the server's TLS"
                f" certificate could not be verified{certificate_trouble(error)}. Publish it on"
                " a server with a valid certificate and submit a new version.",
                permanent=True,
            ) from None
        except aiohttp.ClientConnectorDNSError as error:
            log_fetch_failure(shown, error)
            raise SchemaFetchError(
                kinds.SCHEMA_FETCH_UNAVAILABLE,
                f"The host of {shown} could not be resolved.",
                permanent=False,
            ) from None
        except aiohttp.InvalidURL:
            raise _invalid(shown, "it is not a valid URL") from None
        except (aiohttp.ClientError, OSError) as error:
            log_fetch_failure(shown, error)
            raise SchemaFetchError(
                kinds.SCHEMA_FETCH_UNAVAILABLE,
                f"The schema document at {shown} could not be fetched:"
                f" {connection_trouble(error)}.",
                permanent=False,
            ) from None
    raise _invalid(shown, f"it redirects more than {MAX_REDIRECTS} times")


async def _vet_http_url(url: URL, policy: FetchPolicy, shown: str) -> None:
    if url.scheme not in ("http", "https"):
        raise _invalid(shown, f"the scheme {url.scheme or '(none)'}: is not supported")
    host = url.raw_host
    if not host:
        raise _invalid(shown, "it names no host")
    if (address := literal_address(host)) is not None:
        if problem := address_problem(address, allow_private=policy.allow_private):
            raise AddressForbidden(host, address, problem)
        return
    # Also checked at connection time by VettedResolver; this early check gives the same answer
    # for sessions that do not use it.
    try:
        await VettedResolver(policy.allow_private).resolve(host, url.port or 0, socket.AF_UNSPEC)
    except OSError as error:
        if isinstance(error, socket.gaierror) and error.errno in _NO_SUCH_HOST:
            raise SchemaFetchError(
                kinds.SCHEMA_NOT_FOUND,
                f"The schema document at {shown} could not be fetched: the host {host} does not"
                " exist. Check the URL and submit a new version.",
                permanent=True,
            ) from None
        log_fetch_failure(shown, error)
        raise SchemaFetchError(
            kinds.SCHEMA_FETCH_UNAVAILABLE,
            f"The host {host} in {shown} could not be resolved.",
            permanent=False,
        ) from None


def _redirect_target(current: URL, location: str, shown: str) -> URL:
    try:
        target = current.join(URL(location))
    except (ValueError, TypeError):
        raise _invalid(shown, "it redirects to an address that is not a valid URL") from None
    if target.scheme not in ("http", "https"):
        raise _invalid(shown, f"it redirects to a {target.scheme}: URL, which is not supported")
    return target


def _check_status(response: aiohttp.ClientResponse, shown: str) -> None:
    status = f"{response.status} {response.reason or ''}".strip()
    if response.status >= 500 or response.status in _RETRYABLE_CLIENT_STATUSES:
        raise SchemaFetchError(
            kinds.SCHEMA_FETCH_UNAVAILABLE,
            f"The server of {shown} answered {status}.",
            permanent=False,
        )
    if response.status >= 300:
        raise SchemaFetchError(
            kinds.SCHEMA_NOT_FOUND,
            f"The schema document at {shown} could not be fetched: the server answered"
            f" {status}. Check the URL and submit a new version.",
            permanent=True,
        )


async def _read_limited(response: aiohttp.ClientResponse, max_bytes: int, shown: str) -> bytes:
    if response.content_length is not None and response.content_length > max_bytes:
        raise _too_large(shown, max_bytes, f"{response.content_length:,} bytes")
    body = bytearray()
    async for chunk in response.content.iter_chunked(_CHUNK_SIZE):
        body.extend(chunk)
        # Stop reading at once: a hostile server may stream without end.
        if len(body) > max_bytes:
            raise _too_large(shown, max_bytes, "more than that")
    return bytes(body)


def _invalid(shown: str, why: str) -> SchemaFetchError:
    return SchemaFetchError(
        kinds.SCHEMA_URI_INVALID,
        f"The schema location {shown} cannot be used: {why}. Give an http(s) URL of the"
        " document and submit a new version.",
        permanent=True,
    )


def _forbidden(shown: str, error: AddressForbidden) -> SchemaFetchError:
    return SchemaFetchError(
        kinds.SCHEMA_ADDRESS_FORBIDDEN,
        f"The schema document at {shown} was not fetched: {error.host} resolves to"
        f" {error.address}, {error.problem}. Publish the document at a public URL and submit a"
        " new version.",
        permanent=True,
    )


def _too_large(shown: str, max_bytes: int, actual: str) -> SchemaFetchError:
    return SchemaFetchError(
        kinds.SCHEMA_TOO_LARGE,
        f"The schema document at {shown} is too large: the limit is {max_bytes:,} bytes and it"
        f" is {actual}. Reduce its size and submit a new version.",
        permanent=True,
    )
