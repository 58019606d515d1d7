"""A Temporal frontend that lets clients connect, then refuses every call with one gRPC status.

What a cluster says to an API key without the right permission, an expired key, or a request it
rejects. No gRPC server ships with our dependencies, so this speaks just enough HTTP/2 (h2c, as
the Temporal client does on a plain port): it answers the client's connection handshake
(`GetSystemInfo`, the only call with an empty request) with an empty message, and every other
call with a trailers-only error.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import struct
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from temporalio.service import RPCStatusCode

_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
_DATA, _HEADERS, _SETTINGS, _PING = 0x0, 0x1, 0x4, 0x6
_END_STREAM = _ACK = 0x1
_END_HEADERS, _PADDED = 0x4, 0x8
# HPACK static table entry 8 is ":status: 200".
_STATUS_200 = b"\x88"


@dataclass
class RefusingTemporal:
    address: str
    # The statuses sent back, one per refused call: proof that the call reached "Temporal".
    refused: list[RPCStatusCode] = field(default_factory=list)


def _frame(kind: int, flags: int, stream: int, payload: bytes = b"") -> bytes:
    return (
        struct.pack(">I", len(payload))[1:]
        + bytes([kind, flags])
        + struct.pack(">I", stream)
        + payload
    )


def _header(name: str, value: str) -> bytes:
    """A literal header field without indexing, not Huffman-coded (names and values < 127)."""
    raw_name, raw_value = name.encode(), value.encode()
    return b"\x00" + bytes([len(raw_name)]) + raw_name + bytes([len(raw_value)]) + raw_value


def _message(body: bytes) -> bytes:
    """The protobuf message inside one length-prefixed gRPC frame (gzip when flagged)."""
    if len(body) < 5:
        return b""
    compressed, length = body[0], int.from_bytes(body[1:5], "big")
    message = body[5 : 5 + length]
    return gzip.decompress(message) if compressed else message


def _answer(stream: int, request: bytes, status: RPCStatusCode) -> tuple[bytes, bool]:
    """The response frames for one finished request, and whether it was refused."""
    head = _STATUS_200 + _header("content-type", "application/grpc")
    if not request:
        return (
            _frame(_HEADERS, _END_HEADERS, stream, head)
            + _frame(_DATA, 0, stream, b"\x00\x00\x00\x00\x00")
            + _frame(_HEADERS, _END_HEADERS | _END_STREAM, stream, _header("grpc-status", "0")),
            False,
        )
    trailers = _header("grpc-status", str(int(status))) + _header(
        "grpc-message", f"refused by the test frontend ({status.name})"
    )
    return _frame(_HEADERS, _END_HEADERS | _END_STREAM, stream, head + trailers), True


@contextlib.asynccontextmanager
async def refusing_temporal(status: RPCStatusCode) -> AsyncIterator[RefusingTemporal]:
    frontend: RefusingTemporal | None = None
    connections: list[asyncio.StreamWriter] = []
    handlers: list[asyncio.Task[None]] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer)
        bodies: dict[int, bytes] = {}
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            if await reader.readexactly(len(_PREFACE)) != _PREFACE:
                return
            writer.write(_frame(_SETTINGS, 0, 0))
            while True:
                head = await reader.readexactly(9)
                kind, flags = head[3], head[4]
                stream = int.from_bytes(head[5:9], "big") & 0x7FFFFFFF
                payload = await reader.readexactly(int.from_bytes(head[:3], "big"))
                if kind == _SETTINGS and not flags & _ACK:
                    writer.write(_frame(_SETTINGS, _ACK, 0))
                elif kind == _PING and not flags & _ACK:
                    writer.write(_frame(_PING, _ACK, 0, payload))
                elif kind == _DATA:
                    if flags & _PADDED:
                        payload = payload[1 : len(payload) - payload[0]]
                    bodies[stream] = bodies.get(stream, b"") + payload
                if kind in (_HEADERS, _DATA) and flags & _END_STREAM:
                    frames, refused = _answer(stream, _message(bodies.pop(stream, b"")), status)
                    writer.write(frames)
                    if refused and frontend is not None:
                        frontend.refused.append(status)
                await writer.drain()

    def track(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handlers.append(asyncio.ensure_future(serve(reader, writer)))

    server = await asyncio.start_server(track, "127.0.0.1", 0)
    frontend = RefusingTemporal(f"127.0.0.1:{server.sockets[0].getsockname()[1]}")
    try:
        yield frontend
    finally:
        server.close()
        for writer in connections:
            writer.close()
        await asyncio.gather(*handlers, return_exceptions=True)
        await server.wait_closed()
