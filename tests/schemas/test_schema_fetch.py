"""Fetching schema documents: address policy, redirects, size and time limits."""

from __future__ import annotations

import pytest

from schemas import error_kinds as kinds
from schemas.fetch import FetchPolicy, SchemaFetchError, fetch_document, fetch_session
from schemas.fetch_addresses import AddressForbidden, address_problem
from tests.fixtures.schema_server import SchemaServer

LOCAL = FetchPolicy(max_bytes=10_000, timeout_seconds=5.0, allow_private=True)
PUBLIC_ONLY = FetchPolicy(max_bytes=10_000, timeout_seconds=5.0, allow_private=False)


async def fetch_error(uri: str, policy: FetchPolicy) -> SchemaFetchError:
    with pytest.raises(SchemaFetchError) as caught:
        await fetch_document(uri, policy)
    return caught.value


async def test_document_is_fetched_from_an_allowed_address(server: SchemaServer) -> None:
    server.documents["a.json"] = b'{"type": "object"}'
    assert await fetch_document(server.url("/schemas/a.json"), LOCAL) == b'{"type": "object"}'


@pytest.mark.parametrize(
    "uri",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/",
        # 6to4 and Teredo (client 169.254.169.254 behind the inverted last 32 bits).
        "http://[2002:a9fe:a9fe::1]/latest/meta-data/",
        "http://[2001:0:4136:e378:8000:63bf:5601:5601]/latest/meta-data/",
        "http://[fe80::1]/schema.json",
        "http://0.0.0.0/schema.json",
    ],
)
async def test_metadata_and_link_local_addresses_are_refused_even_when_private_is_allowed(
    uri: str,
) -> None:
    error = await fetch_error(uri, LOCAL)
    assert error.kind == kinds.SCHEMA_ADDRESS_FORBIDDEN
    assert error.permanent
    assert "submit a new version" in error.message


async def test_loopback_is_refused_unless_private_addresses_are_allowed(
    server: SchemaServer,
) -> None:
    server.documents["a.json"] = b"{}"
    error = await fetch_error(server.url("/schemas/a.json"), PUBLIC_ONLY)
    assert error.kind == kinds.SCHEMA_ADDRESS_FORBIDDEN
    assert "127.0.0.1" in error.message
    assert "loopback or private" in error.message
    assert server.requests == []


async def test_a_host_name_resolving_to_loopback_is_refused(server: SchemaServer) -> None:
    server.documents["a.json"] = b"{}"
    error = await fetch_error(f"http://localhost:{server.port}/schemas/a.json", PUBLIC_ONLY)
    assert error.kind == kinds.SCHEMA_ADDRESS_FORBIDDEN
    assert server.requests == []


async def test_connections_are_vetted_again_when_they_are_made(server: SchemaServer) -> None:
    # What stops DNS rebinding: the session's resolver checks the addresses it connects to,
    # whatever an earlier lookup said.
    async with fetch_session(PUBLIC_ONLY) as session:
        with pytest.raises(AddressForbidden):
            await session.get(f"http://localhost:{server.port}/schemas/a.json")
    assert server.requests == []


async def test_a_redirect_to_a_forbidden_address_is_refused(server: SchemaServer) -> None:
    uri = server.url("/redirect?to=http://169.254.169.254/latest/meta-data/")
    error = await fetch_error(uri, LOCAL)
    assert error.kind == kinds.SCHEMA_ADDRESS_FORBIDDEN
    assert "169.254.169.254" in error.message


async def test_a_redirect_to_an_allowed_address_is_followed(server: SchemaServer) -> None:
    server.documents["moved.json"] = b'{"moved": true}'
    uri = server.url(f"/redirect?to={server.url('/schemas/moved.json')}")
    assert await fetch_document(uri, LOCAL) == b'{"moved": true}'


async def test_a_redirect_loop_is_given_up(server: SchemaServer) -> None:
    error = await fetch_error(server.url("/loop"), LOCAL)
    assert error.kind == kinds.SCHEMA_URI_INVALID
    assert "redirects more than" in error.message
    assert len(server.requests) == 6


@pytest.mark.parametrize(
    ("uri", "why"),
    [
        ("ftp://example.com/schema.json", "ftp"),
        ("example.com/schema.json", "(none)"),
        ("http:///schema.json", "no host"),
    ],
)
async def test_unusable_locations_are_refused(uri: str, why: str) -> None:
    error = await fetch_error(uri, LOCAL)
    assert error.kind == kinds.SCHEMA_URI_INVALID
    assert error.permanent
    assert why in error.message


async def test_a_redirect_to_a_file_url_is_refused(server: SchemaServer) -> None:
    error = await fetch_error(server.url("/redirect?to=file:///etc/passwd"), LOCAL)
    assert error.kind == kinds.SCHEMA_URI_INVALID


async def test_an_announced_oversized_body_is_refused_without_reading_it(
    server: SchemaServer,
) -> None:
    error = await fetch_error(server.url("/declared-huge"), LOCAL)
    assert error.kind == kinds.SCHEMA_TOO_LARGE
    assert "10,000,000 bytes" in error.message


async def test_an_endless_body_is_cut_off_at_the_limit(server: SchemaServer) -> None:
    error = await fetch_error(server.url("/endless"), LOCAL)
    assert error.kind == kinds.SCHEMA_TOO_LARGE
    assert "10,000 bytes" in error.message


@pytest.mark.parametrize(
    ("address", "private_allowed", "refused"),
    [
        ("8.8.8.8", False, False),
        ("2606:4700:4700::1111", False, False),
        ("127.0.0.1", False, True),
        ("127.0.0.1", True, False),
        ("::1", True, False),
        ("10.1.2.3", False, True),
        ("192.168.0.10", True, False),
        ("fd12:3456::1", False, True),
        ("100.64.0.1", False, True),
        ("169.254.169.254", True, True),
        ("169.254.10.10", True, True),
        ("100.100.100.200", True, True),
        ("fd00:ec2::254", True, True),
        ("::ffff:169.254.169.254", True, True),
        ("64:ff9b::a9fe:a9fe", True, True),
        ("224.0.0.1", True, True),
        ("240.0.0.1", True, True),
        ("0.0.0.0", True, True),
        # 6to4 (2002::/16) carries its site's IPv4 address in bits 16-48.
        ("2002:a9fe:a9fe::1", False, True),
        ("2002:a9fe:a9fe::1", True, True),
        ("2002:7f00:1::1", False, True),
        ("2002:7f00:1::1", True, False),
        ("2002:a00:1::1", False, True),
        # Teredo (2001::/32): server 65.54.227.120, client in the inverted last 32 bits.
        ("2001:0:4136:e378:8000:63bf:5601:5601", True, True),  # client 169.254.169.254
        ("2001:0:a9fe:a9fe:8000:63bf:f7ff:fffe", True, True),  # server 169.254.169.254
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False, True),  # client 192.0.2.45
        # IPv4-mapped and IPv4-compatible (deprecated, inside the reserved ::/8).
        ("::ffff:8.8.8.8", False, False),
        ("::ffff:127.0.0.1", False, True),
        ("::ffff:127.0.0.1", True, False),
        ("::a9fe:a9fe", True, True),
        ("::7f00:1", True, True),
        ("64:ff9b::808:808", False, False),
    ],
)
def test_address_policy(address: str, private_allowed: bool, refused: bool) -> None:
    assert (address_problem(address, allow_private=private_allowed) is not None) == refused
