"""Slack's Socket Mode on the stand-in's side, for apps without a public request URL.

The app calls `apps.connections.open` with its app-level token (`xapp-…`, as a Bearer header)
and gets a one-time websocket URL. On that socket the stand-in says `hello`, then sends every
slash command, interaction and event as an envelope and waits, as Slack does, up to 3 seconds
for the app to acknowledge it by `envelope_id` (with a response payload where one is accepted).

`attach(app)` must run before the stand-in's server starts: aiohttp freezes routes on start.
`Interactions` hands a request to `deliver_request` instead of POSTing it while `connected`.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import uuid
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

from slack_sandbox.call_hooks import CallHook, answer_before
from slack_sandbox.interactions import ACK_DEADLINE_SECONDS, JSON, InteractionResult
from slack_sandbox.records import ApiCall
from slack_sandbox.state import SandboxState
from slack_sandbox.users import APP_ID

EnvelopeType = Literal["slash_commands", "interactive", "events_api"]
DisconnectReason = Literal["warning", "refresh_requested", "link_disabled"]

CONNECTIONS_OPEN = "apps.connections.open"
LINK_PATH = "/socket-mode/link"
SOCKET_HOST = "applink-sandbox"
# Answers Slack reads from an ack, as it reads an HTTP answer's body; others it ignores.
_ANSWERED_INTERACTIONS = frozenset({"view_submission", "block_suggestion"})


# The app-level token the sandbox accepts (`xapp-…`), as Slack issues one per app.
SANDBOX_APP_TOKEN = "xapp-1-A0SANDBOX1-sandbox-app-token"


@dataclass
class Delivery:
    """One envelope sent to the app, and the app's acknowledgement once it came."""

    envelope: dict[str, Any]
    ack: dict[str, Any] | None = None

    @property
    def envelope_type(self) -> str:
        return str(self.envelope["type"])


def accepts_response_payload(envelope_type: EnvelopeType, payload: dict[str, Any]) -> bool:
    if envelope_type == "slash_commands":
        return True
    return envelope_type == "interactive" and payload.get("type") in _ANSWERED_INTERACTIONS


def envelope_for_request(body: str, content_type: str) -> tuple[EnvelopeType, dict[str, Any]]:
    """The envelope type and payload Slack sends over the socket for what it would POST:
    an event's JSON as is, an interaction's `payload` field, a command's form fields."""
    if content_type == JSON:
        return "events_api", json.loads(body)
    form = dict(parse_qsl(body, keep_blank_values=True))
    if "payload" in form:
        return "interactive", json.loads(form["payload"])
    if "command" in form:
        return "slash_commands", form
    raise ValueError("The request is neither an event, an interaction nor a slash command.")


class SocketModeEndpoint:
    def __init__(
        self,
        state: SandboxState,
        *,
        app_token: str,
        call_hooks: list[CallHook] | None = None,
    ) -> None:
        self._state = state
        self._app_token = app_token
        self._call_hooks = [] if call_hooks is None else call_hooks
        self._tickets: set[str] = set()
        # Oldest first; Slack sends each envelope down one of the app's open connections.
        self._sockets: list[web.WebSocketResponse] = []
        self._awaiting_ack: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self.deliveries: list[Delivery] = []

    def attach(self, app: web.Application) -> None:
        # A plain path outranks the stand-in's `/api/{method}`, whatever the order added.
        app.router.add_route("*", f"/api/{CONNECTIONS_OPEN}", self._connections_open)
        app.router.add_get(LINK_PATH, self._link)
        app.on_shutdown.append(self._on_shutdown)

    @property
    def connected(self) -> bool:
        return any(not socket.closed for socket in self._sockets)

    @property
    def connection_count(self) -> int:
        return sum(not socket.closed for socket in self._sockets)

    # -- what the stand-in sends -------------------------------------------------------------

    async def deliver(
        self,
        envelope_type: EnvelopeType,
        payload: dict[str, Any],
        *,
        deadline: float = ACK_DEADLINE_SECONDS,
    ) -> InteractionResult:
        """Send one envelope; the ack's payload comes back as the body an HTTP answer has.
        Not delivered when no app is connected; timed out when no ack came in time."""
        socket = next((s for s in reversed(self._sockets) if not s.closed), None)
        if socket is None:
            return InteractionResult(None, delivered=False)
        envelope: dict[str, Any] = {
            "envelope_id": str(uuid.uuid4()),
            "type": envelope_type,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload(envelope_type, payload),
        }
        if envelope_type == "events_api":
            envelope.update(retry_attempt=0, retry_reason="")
        delivery = Delivery(envelope)
        self.deliveries.append(delivery)
        acked = asyncio.get_running_loop().create_future()
        self._awaiting_ack[envelope["envelope_id"]] = acked
        try:
            await socket.send_json(envelope)
            async with asyncio.timeout(deadline):
                ack = delivery.ack = await acked
        except ConnectionResetError:
            return InteractionResult(None, delivered=False)
        except TimeoutError:
            return InteractionResult(None, timed_out=True)
        finally:
            self._awaiting_ack.pop(envelope["envelope_id"], None)
        answer = ack.get("payload")
        return InteractionResult(200, json.dumps(answer) if answer is not None else "")

    async def deliver_request(
        self, body: str, content_type: str, *, deadline: float = ACK_DEADLINE_SECONDS
    ) -> InteractionResult:
        """What `Interactions` would POST to the app, sent over the socket instead."""
        envelope_type, payload = envelope_for_request(body, content_type)
        return await self.deliver(envelope_type, payload, deadline=deadline)

    async def disconnect(self, reason: DisconnectReason = "refresh_requested") -> None:
        """Tell every connected app to reconnect, as Slack does before it recycles a socket
        (`refresh_requested`, `warning`) or when Socket Mode is turned off (`link_disabled`)."""
        for socket in [s for s in self._sockets if not s.closed]:
            await socket.send_json(
                {"type": "disconnect", "reason": reason, "debug_info": {"host": SOCKET_HOST}}
            )

    async def close(self) -> None:
        for socket in list(self._sockets):
            await socket.close()

    # -- HTTP and websocket handlers ---------------------------------------------------------

    async def _connections_open(self, request: web.Request) -> web.Response:
        status, headers = 200, {}
        try:
            if request.method != "POST":
                raise _Refused("insecure_request")
            self._authenticate(request.headers.get("Authorization", ""))
            hooked = answer_before(self._call_hooks, CONNECTIONS_OPEN)
            if hooked is not None:
                status, headers = hooked.status, hooked.headers
                raise _Refused(str(hooked.body.get("error", "")))
            ticket = secrets.token_urlsafe(24)
            self._tickets.add(ticket)
            scheme = "wss" if request.secure else "ws"
            url = f"{scheme}://{request.host}{LINK_PATH}?ticket={ticket}&app_id={APP_ID}"
            body: dict[str, Any] = {"ok": True, "url": url}
        except _Refused as refused:
            body = {"ok": False, "error": refused.code}
        # Recorded without parameters: the only one Slack takes here is the token.
        call = ApiCall(CONNECTIONS_OPEN, {}, body["ok"], body.get("error"), status)
        self._state.calls.append(call)
        self._state.notify("api_call", {"call": call.as_dict()})
        return web.json_response(body, status=status, headers=headers)

    def _authenticate(self, authorization: str) -> None:
        # Slack takes the app-level token here only from the Authorization header.
        token = authorization.removeprefix("Bearer ").strip()
        if not authorization.startswith("Bearer ") or not token:
            raise _Refused("not_authed")
        if secrets.compare_digest(token, self._app_token):
            return
        if token.startswith("xox"):
            raise _Refused("not_allowed_token_type")
        raise _Refused("invalid_auth")

    async def _link(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets:
            # Tickets are single-use: a reconnect must call apps.connections.open again.
            return web.json_response({"ok": False, "error": "invalid_ticket"}, status=401)
        self._tickets.discard(ticket)
        socket = web.WebSocketResponse()  # answers the client's pings by itself
        await socket.prepare(request)
        self._sockets.append(socket)
        try:
            await socket.send_json(self._hello())
            async for message in socket:
                if message.type == WSMsgType.TEXT:
                    self._take_ack(message.data)
        finally:
            self._sockets.remove(socket)
        return socket

    def _hello(self) -> dict[str, Any]:
        return {
            "type": "hello",
            "num_connections": self.connection_count,
            "debug_info": {
                "host": SOCKET_HOST,
                "build_number": 1,
                "approximate_connection_time": 18060,
            },
            "connection_info": {"app_id": APP_ID},
        }

    def _take_ack(self, data: str) -> None:
        # Slack ignores what is not an ack of an envelope still waiting for one.
        try:
            ack = json.loads(data)
        except ValueError:
            return
        if not isinstance(ack, dict):
            return
        waiting = self._awaiting_ack.get(str(ack.get("envelope_id")))
        if waiting is not None and not waiting.done():
            waiting.set_result(ack)

    async def _on_shutdown(self, _: web.Application) -> None:
        # Open websockets would otherwise hold the server's shutdown until its timeout.
        await self.close()


class _Refused(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code
