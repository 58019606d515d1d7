"""The registry as an aiohttp server: `async with RegistrySandbox() as registry: registry.url`.

Every answer is Confluent's: its content type, its error bodies (aiohttp's own 404/405 too),
its 401 when basic auth is set and the request does not carry it. `middlewares` are added
inside the registry's own, after authentication, so that a test can plan faults per route.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from registry_sandbox import routes_config, routes_subjects
from registry_sandbox.context import CONTEXT_KEY, RegistryContext
from registry_sandbox.errors import RegistryError, answer
from registry_sandbox.state_file import load_state_file
from registry_sandbox.store import RegistryState

# What Confluent takes as a request body; anything else is 415, as there.
_BODY_TYPES = frozenset(
    {
        "application/vnd.schemaregistry.v1+json",
        "application/vnd.schemaregistry+json",
        "application/json",
        "application/octet-stream",
    }
)


class RegistrySandbox:
    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        state_file: Path | None = None,
        basic_auth: str | None = None,
        middlewares: Iterable[Middleware] = (),
    ) -> None:
        """`port=0` picks a free port. `state_file`: where the subjects are kept between
        runs (None: in memory only). `basic_auth`: `user:password` every request must
        carry, as Confluent's HTTP basic authentication."""
        if basic_auth is not None and ":" not in basic_auth:
            raise ValueError(
                "basic_auth must be `user:password` (a colon between them), e.g. `ci:secret`."
            )
        self.host = host
        self.port = port
        self.state_file = state_file
        self._credentials = basic_auth
        self._middlewares = list(middlewares)
        self.context: RegistryContext | None = None
        self._runner: web.AppRunner | None = None
        self._url: str | None = None

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("The registry is not running: start it first (`async with`).")
        return self._url

    async def start(self) -> None:
        """Raises `RegistryStateFileError` (before listening) when the state file is unusable."""
        state = load_state_file(self.state_file) if self.state_file is not None else None
        self.context = RegistryContext(state or RegistryState(), self.state_file)
        app = web.Application(
            middlewares=[_confluent_errors, self._authenticate, _body_type, *self._middlewares]
        )
        app[CONTEXT_KEY] = self.context
        app.add_routes(routes_subjects.routes)
        app.add_routes(routes_config.routes)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self.host, self.port).start()
        except BaseException:
            await self.stop()
            raise
        self._url = f"http://{self.host}:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._url = None

    async def __aenter__(self) -> RegistrySandbox:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @web.middleware
    async def _authenticate(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if self._credentials is not None and not _carries(request, self._credentials):
            return answer(
                {"error_code": 401, "message": "Unauthorized"},
                401,
                {"WWW-Authenticate": 'Basic realm="SchemaRegistry"'},
            )
        return await handler(request)


def _carries(request: web.Request, credentials: str) -> bool:
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        given = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return hmac.compare_digest(given.encode(), credentials.encode())


@web.middleware
async def _confluent_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except RegistryError as error:
        return error.response()
    except web.HTTPException as error:
        if error.status < 400:
            raise
        return answer(
            {"error_code": error.status, "message": f"HTTP {error.status} {error.reason}"},
            error.status,
        )


@web.middleware
async def _body_type(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.body_exists and request.content_type not in _BODY_TYPES:
        raise RegistryError(
            415,
            415,
            f"HTTP 415 Unsupported Media Type: send the body as"
            f" application/vnd.schemaregistry.v1+json or application/json, not"
            f" {request.content_type}",
        )
    return await handler(request)
