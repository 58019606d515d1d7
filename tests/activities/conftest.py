"""Fixtures every activity test module may ask for."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.activities.schema_server import SchemaServer


@pytest.fixture
async def server() -> AsyncIterator[SchemaServer]:
    """A local HTTP server holding schema documents, fresh for each test."""
    server = SchemaServer()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
