"""What every route handler shares: the state, the lock that keeps changes in order, and the
save to the state file after a change."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

from registry_sandbox.documents import SchemaText, check_schema, read_request, submitted_text
from registry_sandbox.errors import invalid_schema
from registry_sandbox.state_file import write_state_file
from registry_sandbox.store import RegistryState


@dataclass
class RegistryContext:
    state: RegistryState
    state_file: Path | None = None
    # A registration checks, then adds: no other change may come in between.
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def save(self) -> None:
        if self.state_file is not None:
            write_state_file(self.state, self.state_file)


CONTEXT_KEY = web.AppKey("registry_context", RegistryContext)


def context_of(request: web.Request) -> RegistryContext:
    return request.app[CONTEXT_KEY]


def flag(request: web.Request, name: str) -> bool:
    """A boolean query parameter; clients send `true`, `True` or `1`."""
    return request.query.get(name, "").strip().lower() in ("true", "1")


async def request_body(request: web.Request) -> dict[str, Any]:
    return read_request(await request.read())


async def submitted_schema(request: web.Request, *, check: bool = True) -> SchemaText:
    """The request's schema, checked by its format's library, its references resolved; 42201
    otherwise."""
    text = submitted_text(await request_body(request))
    missing = context_of(request).state.missing_reference(text)
    if missing is not None:
        raise invalid_schema(f"Invalid schema of type {text.schema_type}, details: {missing}")
    if check:
        await check_schema(text)
    return text
