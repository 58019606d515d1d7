"""Which network addresses `upload_schema` may fetch from.

Cloud metadata services (169.254.169.254, fd00:ec2::254, ...) hand out credentials to whoever
asks from inside the machine; link-local, multicast, unspecified and reserved addresses have no
business serving schemas. Those are refused always. Loopback, private and other non-global
addresses reach the worker's own network, so they are refused unless the operator allows them.
`VettedResolver` applies the rule when aiohttp connects, so a DNS answer that changes after an
earlier check (DNS rebinding) is checked again on the addresses actually used.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from aiohttp.abc import AbstractResolver, ResolveResult

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, Oracle
        "169.254.170.2",  # AWS ECS task credentials
        "fd00:ec2::254",  # AWS over IPv6
        "100.100.100.200",  # Alibaba Cloud
    )
)
# "This network": Linux connects 0.0.0.0/8 to the local host.
_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressForbidden(Exception):
    """A host resolved to an address that must not be contacted. Not an OSError, so that
    aiohttp passes it through from the resolver unchanged."""

    def __init__(self, host: str, address: str, problem: str) -> None:
        super().__init__(f"{host} resolves to {address}, {problem}")
        self.host = host
        self.address = address
        self.problem = problem


def literal_address(host: str) -> str | None:
    """The host as an IP address if it is written as one (brackets and zone ids removed)."""
    candidate = host.strip("[]").split("%", 1)[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def address_problem(address: str, *, allow_private: bool) -> str | None:
    """Why `address` may not be contacted, as a phrase, or None when it may."""
    try:
        ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "which is not an IP address"
    for candidate in _judged_as(ip):
        if problem := _problem(candidate, allow_private=allow_private):
            return problem
    return None


def _problem(ip: IPAddress, *, allow_private: bool) -> str | None:
    if ip in METADATA_ADDRESSES:
        return "a cloud metadata address, which is never contacted"
    if ip.is_link_local:
        return "a link-local address, which is never contacted"
    if ip.is_multicast or ip.is_unspecified or (ip.version == 4 and ip in _THIS_NETWORK):
        return "an address that cannot serve documents"
    # Loopback first: IPv6's ::1 sits inside the reserved ::/8.
    if ip.is_reserved and not ip.is_loopback:
        return "a reserved address, which is never contacted"
    if ip.is_loopback or not ip.is_global:
        if allow_private:
            return None
        return "a loopback or private network address, which is not contacted here"
    return None


def _judged_as(ip: IPAddress) -> list[IPAddress]:
    """The addresses `ip` must pass as: otherwise an IPv6 address carrying an IPv4 one, like
    ::ffff:169.254.169.254, would dodge the IPv4 rules.

    Translated addresses (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96) are only the IPv4
    address. Tunnelled ones reach the IPv4 addresses they carry through relays, so they must
    pass as each of those and as themselves: 6to4 (2002::/16) as its site's address, Teredo
    (2001::/32) as its server and its client. IPv4-compatible addresses (::a.b.c.d) need no
    unwrapping: they sit in the reserved ::/8 and are refused as such.
    """
    if not isinstance(ip, ipaddress.IPv6Address):
        return [ip]
    if ip.ipv4_mapped is not None:
        return [ip.ipv4_mapped]
    if ip in _NAT64:
        return [ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)]
    if ip.sixtofour is not None:
        return [ip.sixtofour, ip]
    if ip.teredo is not None:
        return [*ip.teredo, ip]
    return [ip]


class VettedResolver(AbstractResolver):
    """Resolves like the system resolver but refuses hosts with any forbidden address, so the
    connection can only go to addresses that passed the check."""

    def __init__(self, allow_private: bool) -> None:
        self._allow_private = allow_private

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        infos = await asyncio.get_running_loop().getaddrinfo(
            host, port, type=socket.SOCK_STREAM, family=family
        )
        results: list[ResolveResult] = []
        for info_family, _, proto, _, sockaddr in infos:
            address = str(sockaddr[0])
            if problem := address_problem(address, allow_private=self._allow_private):
                raise AddressForbidden(host, address, problem)
            results.append(
                ResolveResult(
                    hostname=host,
                    host=address,
                    port=int(sockaddr[1]),
                    family=info_family,
                    proto=proto,
                    flags=socket.AI_NUMERICHOST,
                )
            )
        if not results:
            raise OSError(f"{host} has no address")
        return results

    async def close(self) -> None:
        return None
