"""A stand-in for the app behind the sandbox page: checks Slack's signature on every request,
keeps what arrived, and answers as told."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from slack_sdk.signature import SignatureVerifier


@dataclass
class Received:
    content_type: str
    body: str

    def payload(self) -> dict[str, Any]:
        """The interaction payload of a form body, or the JSON of an Events API body."""
        if self.content_type == "application/json":
            return dict(json.loads(self.body))
        return dict(json.loads(dict(parse_qsl(self.body))["payload"]))

    def form(self) -> dict[str, str]:
        return dict(parse_qsl(self.body, keep_blank_values=True))


class SignedReceiver:
    def __init__(self, signing_secret: str) -> None:
        self.verifier = SignatureVerifier(signing_secret)
        self.received: list[Received] = []
        self.answer: tuple[int, str] = (200, "")
        self.url = ""

    async def _events(self, request: web.Request) -> web.Response:
        body = await request.text()
        if not self.verifier.is_valid(
            body,
            request.headers.get("X-Slack-Request-Timestamp", ""),
            request.headers.get("X-Slack-Signature", ""),
        ):
            return web.Response(status=401, text="invalid signature")
        self.received.append(Received(request.content_type, body))
        status, text = self.answer
        return web.Response(status=status, text=text, content_type="application/json")

    def last(self) -> Received:
        assert self.received, "Nothing reached the app"
        return self.received[-1]


@asynccontextmanager
async def signed_receiver(signing_secret: str) -> AsyncIterator[SignedReceiver]:
    receiver = SignedReceiver(signing_secret)
    app = web.Application()
    app.router.add_post("/slack/events", receiver._events)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    receiver.url = f"http://127.0.0.1:{runner.addresses[0][1]}/slack/events"
    try:
        yield receiver
    finally:
        await runner.cleanup()
