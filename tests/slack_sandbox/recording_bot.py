"""A stand-in for the Bolt app that the Slack stand-in's interactions reach: it verifies
Slack's signature, records what arrived, and answers as the test tells it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

from tests.fixtures.slack_standin import SlackStandInForTests


class RecordingBot:
    """A stand-in for the Bolt app: verifies Slack's signature, records, answers as told."""

    def __init__(self, signing_secret: str) -> None:
        self.verifier = SignatureVerifier(signing_secret)
        self.received: list[dict[str, str]] = []
        self.answer: tuple[int, str] = (200, "")
        # Set: the bot holds every request until `release` is set (it never answers in time).
        self.stalled = False
        self.release = asyncio.Event()
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def _events(self, request: web.Request) -> web.Response:
        body = await request.text()
        if not self.verifier.is_valid(
            body,
            request.headers.get("X-Slack-Request-Timestamp", ""),
            request.headers.get("X-Slack-Signature", ""),
        ):
            return web.Response(status=401, text="invalid signature")
        self.received.append(dict(parse_qsl(body, keep_blank_values=True)))
        status, text = self.answer
        if self.stalled:
            # A bot that does slow work before acknowledging, which Slack does not wait for.
            await self.release.wait()
        return web.Response(status=status, text=text, content_type="application/json")

    def last_payload(self) -> dict[str, Any]:
        return dict(json.loads(self.received[-1]["payload"]))

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/slack/events", self._events)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/slack/events"

    async def stop(self) -> None:
        self.release.set()
        if self._runner is not None:
            await self._runner.cleanup()


@asynccontextmanager
async def recording_bot(standin: SlackStandInForTests) -> AsyncIterator[RecordingBot]:
    """A recording bot on a free port, with the stand-in pointed at it."""
    recording = RecordingBot(standin.signing_secret)
    await recording.start()
    standin.point_at_bot(recording.url)
    try:
        yield recording
    finally:
        await recording.stop()
