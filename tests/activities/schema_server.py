"""A real HTTP server on 127.0.0.1 that serves schema documents, and misbehaves on request."""

from __future__ import annotations

import asyncio
import contextlib
import socket

from aiohttp import web


class SchemaServer:
    """Routes: /schemas/<name> (from `documents`), /status/<code>, /slow, /declared-huge,
    /endless, /redirect?to=<url>, /loop. Handlers that hang wait for `release`, set on stop."""

    def __init__(self) -> None:
        self.documents: dict[str, bytes] = {}
        self.requests: list[str] = []
        self.release = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/schemas/{name}", self._document)
        app.router.add_get("/status/{code}", self._status)
        app.router.add_get("/slow", self._slow)
        app.router.add_get("/declared-huge", self._declared_huge)
        app.router.add_get("/endless", self._endless)
        app.router.add_get("/redirect", self._redirect)
        app.router.add_get("/loop", self._loop)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        self.release.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _document(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request.path_qs)
        name = request.match_info["name"]
        if name not in self.documents:
            raise web.HTTPNotFound()
        return web.Response(body=self.documents[name], content_type="application/json")

    async def _status(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request.path_qs)
        return web.Response(status=int(request.match_info["code"]), text="no")

    async def _slow(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request.path_qs)
        await self.release.wait()
        return web.Response(text="{}")

    async def _declared_huge(self, request: web.Request) -> web.StreamResponse:
        # Announces 10 MB, sends a few bytes, then stalls: only a client that trusts
        # Content-Length answers quickly.
        self.requests.append(request.path_qs)
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.content_length = 10_000_000
        await response.prepare(request)
        await response.write(b'{"type": ')
        await self.release.wait()
        return response

    async def _endless(self, request: web.Request) -> web.StreamResponse:
        # No Content-Length and no end: only a client that stops reading gets an answer.
        self.requests.append(request.path_qs)
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        with contextlib.suppress(ConnectionError):
            while not self.release.is_set():
                await response.write(b" " * 65536)
        return response

    async def _redirect(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request.path_qs)
        raise web.HTTPFound(location=request.query["to"])

    async def _loop(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request.path_qs)
        raise web.HTTPFound(location="/loop")
