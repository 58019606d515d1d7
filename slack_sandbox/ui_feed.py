"""What one person sees of the workspace, streamed to the page over a websocket: a snapshot
when the page connects, then each change that person would notice, as it happens.

Filtering happens here rather than in the page, so that another person's DMs, ephemerals and
modals never reach a browser signed in as someone else.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections.abc import Callable, Sequence
from typing import Any

from aiohttp import WSCloseCode, web

from slack_sandbox import modals
from slack_sandbox.records import Channel, SandboxChange, View
from slack_sandbox.state import SandboxState
from slack_sandbox.ui_errors import json_error
from slack_sandbox.users import BOT_USER, TEAM_NAME, SimulatedUser

# A proxy or a laptop going to sleep drops idle sockets; a ping keeps the page's one alive.
HEARTBEAT_SECONDS = 20.0


def _sees_channel(channel: Channel, user_id: str) -> bool:
    return not channel.is_im or channel.user == user_id


def _channel_json(channel: Channel) -> dict[str, Any]:
    return {"id": channel.id, "name": channel.name, "is_im": channel.is_im, "user": channel.user}


def _record_json(record: dict[str, Any]) -> dict[str, Any]:
    """A message or ephemeral for the page: its history dropped, an `edited` flag kept."""
    shown = {k: v for k, v in record.items() if k != "revisions"}
    shown["edited"] = len(record.get("revisions") or []) > 1
    return shown


def _view_json(view: View) -> dict[str, Any]:
    shown = view.as_dict()
    shown.pop("submissions", None)
    return shown


def views_of(state: SandboxState, user_id: str) -> dict[str, Any]:
    """The person's modal stack (bottom first) and their App Home tab."""
    home = state.views.get(state.home_views.get(user_id, ""))
    return {
        "modals": [_view_json(state.views[v]) for v in state.modal_stacks.get(user_id, [])],
        "home": _view_json(home) if home is not None else None,
    }


def snapshot_for(state: SandboxState, user: SimulatedUser) -> dict[str, Any]:
    visible = {c.id for c in state.channels.values() if _sees_channel(c, user.id)}
    return {
        "type": "snapshot",
        "team": TEAM_NAME,
        "me": user.id,
        "bot": {"id": BOT_USER.id, "real_name": BOT_USER.real_name},
        "users": [
            {"id": u.id, "name": u.name, "real_name": u.real_name, "email": u.email}
            for u in state.users
        ],
        "channels": [_channel_json(state.channels[c]) for c in state.channels if c in visible],
        "messages": [
            _record_json(m.as_dict())
            for m in state.messages
            if m.channel in visible and not m.deleted
        ],
        "ephemerals": [
            _record_json(e.as_dict())
            for e in state.ephemerals
            if e.user == user.id and not e.deleted
        ],
        **views_of(state, user.id),
    }


def change_for(state: SandboxState, user_id: str, change: SandboxChange) -> dict[str, Any] | None:
    """The page's message for one change, or None when this person would not notice it."""
    kind, data = change.kind, change.data
    if kind.startswith("message_"):
        channel = state.channels.get(data["message"]["channel"])
        if channel is None or not _sees_channel(channel, user_id):
            return None
        return {"type": "message", "message": _record_json(data["message"])}
    if kind.startswith("ephemeral_"):
        if data["ephemeral"]["user"] != user_id:
            return None
        return {"type": "ephemeral", "ephemeral": _record_json(data["ephemeral"])}
    if kind.startswith("view_"):
        if data["view"]["user"] != user_id:
            return None
        return {"type": "views", **views_of(state, user_id)}
    if kind == "channel_opened":
        channel = state.channels.get(data["channel"]["id"])
        if channel is None or not _sees_channel(channel, user_id):
            return None
        return {"type": "channel", "channel": _channel_json(channel)}
    # API calls, clicks and commands are the record for tests, not something a person sees.
    return None


class LiveFeed:
    """The websocket endpoint: `GET /ui/socket?user=U…`."""

    def __init__(self, state: SandboxState, commands: Callable[[], Sequence[str]]) -> None:
        self._state = state
        self._commands = commands
        self._sockets: weakref.WeakSet[web.WebSocketResponse] = weakref.WeakSet()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        user = self._state.users.by_id(request.query.get("user", ""))
        if user is None or user.is_bot:
            return json_error(404, _unknown_user(self._state, request.query.get("user", "")))
        socket = web.WebSocketResponse(heartbeat=HEARTBEAT_SECONDS)
        await socket.prepare(request)
        self._sockets.add(socket)
        # The person always has a DM with the app ("Messages" tab), as in Slack.
        self._state.open_dm(user)
        if request.query.get("reloaded") == "1":
            # A reloaded Slack client shows no modal: the person's open ones are closed.
            modals.close_all(self._state, user.id)
        # Subscribing and taking the snapshot without an await between them: no change is lost
        # and none is sent twice.
        changes = self._state.subscribe()
        snapshot = snapshot_for(self._state, user) | {"commands": list(self._commands())}
        await socket.send_json(snapshot)
        sender = asyncio.create_task(self._forward(changes, socket, user.id))
        try:
            # The page sends nothing; reading is how the end of the connection is noticed.
            async for _ in socket:
                pass
        finally:
            self._state.unsubscribe(changes)
            sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sender
        return socket

    async def _forward(
        self, changes: asyncio.Queue[SandboxChange], socket: web.WebSocketResponse, user_id: str
    ) -> None:
        while not socket.closed:
            shown = change_for(self._state, user_id, await changes.get())
            if shown is not None:
                try:
                    await socket.send_json(shown)
                except ConnectionError:
                    return

    async def close_all(self, _app: web.Application | None = None) -> None:
        """On shutdown: open sockets would otherwise hold the server for its shutdown timeout."""
        for socket in list(self._sockets):
            await socket.close(code=WSCloseCode.GOING_AWAY, message=b"sandbox stopping")


def _unknown_user(state: SandboxState, given: str) -> str:
    known = ", ".join(f"{u.id} ({u.real_name})" for u in state.users)
    return f"No simulated user has the id {given!r}. Pick one of: {known}."
