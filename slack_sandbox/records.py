"""What the simulated workspace holds: channels, messages, ephemerals, views, API calls.

Plain dataclasses so that tests can assert on them and a browser UI can render them
(`as_dict()` gives the JSON a page needs).
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from slack_sandbox.users import APP_ID, BOT_ID, TEAM_ID

Block = dict[str, Any]


@dataclass
class Channel:
    id: str
    name: str
    is_im: bool = False
    # For a DM: the person the bot talks to.
    user: str | None = None
    members: list[str] = field(default_factory=list)

    def as_slack(self) -> dict[str, Any]:
        """The channel object of `conversations.info` and `conversations.open`."""
        info: dict[str, Any] = {"id": self.id, "created": 1700000000, "is_archived": False}
        if self.is_im:
            info.update(is_im=True, is_channel=False, is_private=True, user=self.user)
        else:
            info.update(
                name=self.name, is_im=False, is_channel=True, is_private=False, is_member=True
            )
        return info


@dataclass
class MessageRevision:
    """One state of a message: as posted, then once per `chat.update` or replacement."""

    text: str
    blocks: list[Block]
    # The ts at which this revision was made; for the original it equals the message ts.
    at_ts: str

    def __post_init__(self) -> None:
        # History must not change when the live message's blocks are edited in place.
        self.blocks = copy.deepcopy(self.blocks)


@dataclass
class Message:
    channel: str
    ts: str
    user: str
    text: str
    blocks: list[Block]
    bot_id: str | None = None
    thread_ts: str | None = None
    deleted: bool = False
    revisions: list[MessageRevision] = field(default_factory=list)
    # Message metadata as posted (`{"event_type": ..., "event_payload": {...}}`), or None.
    metadata: dict[str, Any] | None = None

    @property
    def edited(self) -> bool:
        return len(self.revisions) > 1

    def as_slack(self, *, with_metadata: bool = False) -> dict[str, Any]:
        """The message object Slack returns from `chat.postMessage` and puts into payloads;
        `with_metadata` adds its metadata, as `conversations.history` does when asked to."""
        message: dict[str, Any] = {
            "type": "message",
            "user": self.user,
            "ts": self.ts,
            "text": self.text,
            "team": TEAM_ID,
        }
        if self.blocks:
            message["blocks"] = self.blocks
        if self.bot_id:
            message.update(bot_id=self.bot_id, app_id=APP_ID)
        if self.thread_ts:
            message["thread_ts"] = self.thread_ts
        if self.edited:
            message["edited"] = {"user": self.user, "ts": self.revisions[-1].at_ts}
        if with_metadata and self.metadata is not None:
            message["metadata"] = copy.deepcopy(self.metadata)
        return message

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


EphemeralSource = Literal["chat.postEphemeral", "response_url", "slash_command_response"]


@dataclass
class Ephemeral:
    """A message only `user` sees ("Only visible to you"), until Slack forgets it."""

    channel: str
    user: str
    ts: str
    text: str
    blocks: list[Block]
    source: EphemeralSource
    deleted: bool = False
    revisions: list[MessageRevision] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


ViewState = Literal["open", "closed"]


@dataclass
class View:
    """A modal or an App Home tab, as the bot defined it plus what the person did with it."""

    id: str
    user: str
    definition: dict[str, Any]
    hash: str
    root_view_id: str
    previous_view_id: str | None = None
    external_id: str = ""
    status: ViewState = "open"
    # `response_action: errors` from the bot's last answer to a submission: block_id -> text.
    errors: dict[str, str] = field(default_factory=dict)
    # The state.values sent with each submission, oldest first.
    submissions: list[dict[str, Any]] = field(default_factory=list)

    @property
    def type(self) -> str:
        return str(self.definition.get("type", "modal"))

    @property
    def callback_id(self) -> str:
        return str(self.definition.get("callback_id", ""))

    @property
    def private_metadata(self) -> str:
        return str(self.definition.get("private_metadata", ""))

    @property
    def blocks(self) -> list[Block]:
        return list(self.definition.get("blocks", []))

    def as_slack(self, state_values: dict[str, Any] | None = None) -> dict[str, Any]:
        """The view object of `views.*` responses and `view_submission` payloads."""
        d = self.definition
        return {
            "id": self.id,
            "team_id": TEAM_ID,
            "type": self.type,
            "blocks": self.blocks,
            "private_metadata": self.private_metadata,
            "callback_id": self.callback_id,
            "state": {"values": state_values or {}},
            "hash": self.hash,
            "title": d.get("title"),
            "clear_on_close": bool(d.get("clear_on_close", False)),
            "notify_on_close": bool(d.get("notify_on_close", False)),
            "close": d.get("close"),
            "submit": d.get("submit"),
            "previous_view_id": self.previous_view_id,
            "root_view_id": self.root_view_id,
            "app_id": APP_ID,
            "external_id": self.external_id,
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
        }

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ApiCall:
    """One Web API request as the stand-in saw it, tokens removed."""

    method: str
    params: dict[str, Any]
    ok: bool
    error: str | None = None
    http_status: int = 200

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SandboxChange:
    """What a UI subscriber is told: `kind` such as "message_posted", and the record."""

    kind: str
    data: dict[str, Any]
