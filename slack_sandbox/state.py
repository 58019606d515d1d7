"""The simulated workspace: everything the bot did to it, kept for tests and for a UI.

Every change is also pushed to subscriber queues, so that a websocket or SSE endpoint can
stream the workspace to a browser without polling.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from slack_sandbox.records import (
    ApiCall,
    Channel,
    Ephemeral,
    Message,
    MessageRevision,
    SandboxChange,
    View,
)
from slack_sandbox.users import SimulatedUser, UserDirectory

REVIEW_CHANNEL_ID = "C0REVIEWS01"
GENERAL_CHANNEL_ID = "C0GENERAL01"
# Slack accepts a trigger_id for 3 seconds after the click that issued it.
TRIGGER_LIFETIME_SECONDS = 3.0


@dataclass
class Trigger:
    user: str
    issued_at: float
    used: bool = False


@dataclass
class ResponseTarget:
    """Where a reply to a response_url lands: the click's message, or the command's channel."""

    user: str
    channel: str
    message_ts: str | None
    is_ephemeral: bool
    uses_left: int = 5


class SandboxState:
    def __init__(self, users: Iterable[SimulatedUser]) -> None:
        self.users = UserDirectory(users)
        members = [u.id for u in self.users]
        self.channels: dict[str, Channel] = {
            REVIEW_CHANNEL_ID: Channel(REVIEW_CHANNEL_ID, "schema-reviews", members=members),
            GENERAL_CHANNEL_ID: Channel(GENERAL_CHANNEL_ID, "general", members=members),
        }
        self.messages: list[Message] = []
        self.ephemerals: list[Ephemeral] = []
        self.views: dict[str, View] = {}
        # Per person, the open modals bottom to top (Slack allows three).
        self.modal_stacks: dict[str, list[str]] = {}
        self.home_views: dict[str, str] = {}
        self.calls: list[ApiCall] = []
        self.triggers: dict[str, Trigger] = {}
        self.response_targets: dict[str, ResponseTarget] = {}
        # Replaceable so that tests can make a trigger_id expire without waiting.
        self.clock: Callable[[], float] = time.monotonic
        self._subscribers: list[asyncio.Queue[SandboxChange]] = []
        # Kept past a restart (see `state_file`), so new ts and ids never repeat old ones.
        self.last_ts_micros = 0
        self.last_id = 0

    # -- change feed -------------------------------------------------------------------------

    def subscribe(self) -> asyncio.Queue[SandboxChange]:
        queue: asyncio.Queue[SandboxChange] = asyncio.Queue()
        self._subscribers.append(queue)
        return queue

    def unsubscribe(self, queue: asyncio.Queue[SandboxChange]) -> None:
        if queue in self._subscribers:
            self._subscribers.remove(queue)

    def notify(self, kind: str, data: dict[str, Any]) -> None:
        change = SandboxChange(kind, data)
        for queue in self._subscribers:
            queue.put_nowait(change)

    # -- identifiers -------------------------------------------------------------------------

    def next_ts(self) -> str:
        """A message ts: wall-clock seconds with microseconds, unique like Slack's."""
        micros = max(int(time.time() * 1_000_000), self.last_ts_micros + 1)
        self.last_ts_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def _next_number(self) -> int:
        self.last_id += 1
        return self.last_id

    def next_id(self, prefix: str) -> str:
        return f"{prefix}0{self._next_number():08X}"

    def issue_trigger(self, user: str) -> str:
        trigger_id = f"{self._next_number()}.{int(time.time())}.{secrets.token_hex(16)}"
        self.triggers[trigger_id] = Trigger(user, self.clock())
        return trigger_id

    def issue_response_target(self, target: ResponseTarget) -> str:
        key = secrets.token_urlsafe(18)
        self.response_targets[key] = target
        return key

    # -- channels ----------------------------------------------------------------------------

    def open_dm(self, user: SimulatedUser) -> tuple[Channel, bool]:
        """The bot's DM with `user`, stable per person; True when it already existed."""
        channel_id = "D" + user.id[1:]
        existing = self.channels.get(channel_id)
        if existing is not None:
            return existing, True
        channel = Channel(channel_id, user.name, is_im=True, user=user.id, members=[user.id])
        self.channels[channel_id] = channel
        self.notify("channel_opened", {"channel": channel.as_slack()})
        return channel, False

    def resolve_channel(self, channel_or_user: str) -> Channel | None:
        """Like Slack, a user id given as a channel means the bot's DM with that person."""
        if channel_or_user in self.channels:
            return self.channels[channel_or_user]
        user = self.users.by_id(channel_or_user)
        if user is not None and not user.is_bot:
            return self.open_dm(user)[0]
        return None

    # -- messages ----------------------------------------------------------------------------

    def add_message(self, message: Message) -> Message:
        self.messages.append(message)
        self.notify("message_posted", {"message": message.as_dict()})
        return message

    def post_as(self, user_id: str, channel: str, text: str) -> Message:
        """A person writes in a channel or in their DM with the bot."""
        user = self.users.require(user_id)
        where = self.resolve_channel(channel)
        if where is None:
            raise LookupError(f"No channel {channel!r} in the sandbox to write in.")
        ts = self.next_ts()
        return self.add_message(
            Message(where.id, ts, user.id, text, [], revisions=[MessageRevision(text, [], ts)])
        )

    def find_message(self, channel: str, ts: str) -> Message | None:
        return next(
            (m for m in self.messages if m.channel == channel and m.ts == ts and not m.deleted),
            None,
        )

    def add_ephemeral(self, ephemeral: Ephemeral) -> Ephemeral:
        self.ephemerals.append(ephemeral)
        self.notify("ephemeral_posted", {"ephemeral": ephemeral.as_dict()})
        return ephemeral

    def find_ephemeral(self, channel: str, ts: str) -> Ephemeral | None:
        return next(
            (e for e in self.ephemerals if e.channel == channel and e.ts == ts and not e.deleted),
            None,
        )

    # -- a JSON picture for a UI -------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        return {
            "users": [u.as_slack_user() for u in self.users],
            "channels": [c.as_slack() | {"name": c.name} for c in self.channels.values()],
            "messages": [m.as_dict() for m in self.messages],
            "ephemerals": [e.as_dict() for e in self.ephemerals],
            "views": [v.as_dict() for v in self.views.values()],
            "modal_stacks": {k: list(v) for k, v in self.modal_stacks.items()},
            "home_views": dict(self.home_views),
        }
