"""Fetches that fail on the wire tell the owner what happened in plain words, and operators
the technical detail in the log."""

from __future__ import annotations

import asyncio
import logging
import shutil
import socket
import ssl
import struct
import subprocess
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from schemas import error_kinds as kinds
from schemas.fetch import FetchPolicy, SchemaFetchError, fetch_document

LOCAL = FetchPolicy(max_bytes=10_000, timeout_seconds=5.0, allow_private=True)


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway self-signed certificate for 127.0.0.1 with its key, made for this run (so
    no key lives in the repository)."""
    openssl = shutil.which("openssl")
    assert openssl, "the `openssl` command is needed for this test: apt-get install openssl"
    pem = tmp_path_factory.mktemp("tls") / "self_signed.pem"
    key = pem.with_suffix(".key")
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(pem), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    pem.write_text(pem.read_text() + key.read_text())
    return pem


Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@asynccontextmanager
async def raw_server(handler: Handler, tls: ssl.SSLContext | None = None) -> AsyncIterator[int]:
    """A TCP server on 127.0.0.1 that answers like `handler`; yields its port."""

    async def guarded(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await handler(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(guarded, "127.0.0.1", 0, ssl=tls)
    try:
        yield server.sockets[0].getsockname()[1]
    finally:
        server.close()
        await server.wait_closed()


async def fetch_error(uri: str) -> SchemaFetchError:
    with pytest.raises(SchemaFetchError) as caught:
        await fetch_document(uri, LOCAL)
    return caught.value


async def closes_without_answering(reader: asyncio.StreamReader, _: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")


async def sends_half_the_document(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"type": ')
    await writer.drain()


async def answers_garbage(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    writer.write(b"garbage\r\n\r\n")
    await writer.drain()


async def resets_the_connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.readuntil(b"\r\n\r\n")
    # Linger 0: closing sends a TCP reset instead of an orderly end.
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    writer.transport.abort()


async def speaks_plain_http(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    await reader.read(100)
    writer.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
    await writer.drain()


@pytest.mark.parametrize(
    ("handler", "scheme", "phrase"),
    [
        (closes_without_answering, "http", "the server closed the connection without answering"),
        (
            sends_half_the_document,
            "http",
            "the connection broke off before the whole document arrived",
        ),
        (answers_garbage, "http", "the server's answer was not valid HTTP"),
        (resets_the_connection, "http", "the server dropped the connection"),
        (speaks_plain_http, "https", "the TLS handshake with the server failed"),
    ],
)
async def test_connection_trouble_is_retried_and_told_in_plain_words(
    handler: Handler, scheme: str, phrase: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with raw_server(handler) as port:
        uri = f"{scheme}://127.0.0.1:{port}/schema.json"
        with caplog.at_level(logging.WARNING, logger="activities"):
            error = await fetch_error(uri)

    assert error.kind == kinds.SCHEMA_FETCH_UNAVAILABLE
    assert not error.permanent
    assert error.message == f"The schema document at {uri} could not be fetched: {phrase}."
    # The class and the low-level reason are for operators only.
    assert "Error" in caplog.text and uri in caplog.text


async def test_a_refused_connection_is_told_in_plain_words() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    uri = f"http://127.0.0.1:{port}/schema.json"
    error = await fetch_error(uri)

    assert error.kind == kinds.SCHEMA_FETCH_UNAVAILABLE
    assert error.message == (
        f"The schema document at {uri} could not be fetched: the server refused the connection."
    )


async def test_an_untrusted_certificate_is_permanent_and_says_why_plainly(
    self_signed: Path,
) -> None:
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(self_signed)
    async with raw_server(speaks_plain_http, tls) as port:
        uri = f"https://127.0.0.1:{port}/schema.json"
        error = await fetch_error(uri)

    assert error.kind == kinds.SCHEMA_NOT_FOUND
    assert error.permanent
    assert error.message == (
        f"The schema document at {uri} could not be fetched: the server's TLS certificate could"
        " not be verified (self-signed certificate). Publish it on a server with a valid"
        " certificate and submit a new version."
    )


async def test_the_log_keeps_secrets_of_the_url_out(caplog: pytest.LogCaptureFixture) -> None:
    async with raw_server(answers_garbage) as port:
        uri = f"http://127.0.0.1:{port}/schema.json?X-Amz-Signature=s3cr3t"
        with caplog.at_level(logging.WARNING, logger="activities"):
            error = await fetch_error(uri)

    assert "not valid HTTP" in error.message
    assert "Bad status line" in caplog.text
    assert "s3cr3t" not in caplog.text and "s3cr3t" not in error.message
