"""What Slack sends to the bot when a person clicks, submits or types a command: signed
with the signing secret exactly as Slack signs, and answered the way Slack treats answers."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import aiohttp

from slack_sandbox import app_requests as payloads
from slack_sandbox import modals
from slack_sandbox.records import Ephemeral, Message, View
from slack_sandbox.replies import show_command_answer
from slack_sandbox.state import ResponseTarget, SandboxState
from slack_sandbox.view_state import state_values

if TYPE_CHECKING:
    # socket_mode imports this module; only the type is needed here.
    from slack_sandbox.socket_mode import SocketModeEndpoint

# Slack gives an app 3 seconds to answer, then tells the person it failed.
ACK_DEADLINE_SECONDS = 3.0
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


@dataclass
class InteractionResult:
    """How the bot answered: `status` is None when nothing was sent or no answer came."""

    status: int | None
    body: str = ""
    delivered: bool = True
    timed_out: bool = False

    def json(self) -> Any:
        return json.loads(self.body) if self.body.strip() else None


def sign(signing_secret: str, timestamp: str, body: str) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


# aiohttp's default: at most this many requests to the bot at once, the rest queue in the
# stand-in (and their 3 s run from when they were queued).
DEFAULT_SEND_CONNECTIONS = 100


class Interactions:
    def __init__(
        self,
        state: SandboxState,
        signing_secret: str,
        *,
        send_connections: int = DEFAULT_SEND_CONNECTIONS,
    ) -> None:
        """`send_connections`: how many requests to the bot may be open at once; 0 for no
        limit, as Slack sends each person's click on its own."""
        self._state = state
        self._send_connections = send_connections
        self._secret = signing_secret
        self.interaction_url: str | None = None
        self.slash_command_url: str | None = None
        self.event_url: str | None = None
        # While an app is connected in Socket Mode, Slack sends it everything over the socket.
        self.socket_mode: SocketModeEndpoint | None = None
        self.ack_deadline_seconds = ACK_DEADLINE_SECONDS
        self.base_url = ""
        self._session: aiohttp.ClientSession | None = None

    async def open(self, base_url: str) -> None:
        self.base_url = base_url
        connector = aiohttp.TCPConnector(limit=self._send_connections)
        self._session = aiohttp.ClientSession(connector=connector)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _response_url(self, target: ResponseTarget) -> str:
        return f"{self.base_url}/response/{self._state.issue_response_target(target)}"

    async def _send(
        self, url: str | None, body: str, what: str, content_type: str = FORM
    ) -> InteractionResult:
        if self.socket_mode is not None and self.socket_mode.connected:
            return await self.socket_mode.deliver_request(
                body, content_type, deadline=self.ack_deadline_seconds
            )
        if url is None:
            raise RuntimeError(
                f"No bot URL for {what} is set: assign the stand-in's"
                " `interaction_url` / `slash_command_url` / `event_url` (or call"
                " `point_at_bot`) before simulating a person."
            )
        if self._session is None:
            raise RuntimeError("The stand-in is not running: call `await standin.start()` first.")
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": sign(self._secret, timestamp, body),
        }
        timeout = aiohttp.ClientTimeout(total=self.ack_deadline_seconds)
        try:
            async with self._session.post(url, data=body, headers=headers, timeout=timeout) as res:
                return InteractionResult(res.status, await res.text())
        except TimeoutError:
            return InteractionResult(None, timed_out=True)

    async def click_button(
        self,
        user_id: str,
        channel: str,
        ts: str,
        action_id: str,
        *,
        block_id: str | None = None,
        shown: dict[str, Any] | None = None,
    ) -> InteractionResult:
        """A click on a message's button; `block_id` picks one where several share the id.

        `shown`: the button as the person's screen still showed it. Slack's client sends the
        click for the message as it rendered it, also when the message changed since; the app
        then answers it (typically: already decided)."""
        user = self._state.users.require(user_id)
        where = self._state.resolve_channel(channel)
        source: Message | Ephemeral | None = None
        if where is not None:
            source = self._state.find_message(where.id, ts) or self._state.find_ephemeral(
                where.id, ts
            )
        if where is None or source is None:
            raise LookupError(f"No message with ts {ts} in {channel}: nothing there to click.")
        try:
            found_block, button = find_button(source.blocks, action_id, block_id, "The message")
        except LookupError:
            rendered = stale_button(shown, action_id, block_id)
            if rendered is None:
                raise
            found_block, button = rendered
        target = ResponseTarget(user.id, where.id, ts, isinstance(source, Ephemeral))
        payload = payloads.block_actions(
            user=user,
            channel=where,
            source=source,
            block_id=found_block,
            button=button,
            trigger_id=self._state.issue_trigger(user.id),
            response_url=self._response_url(target),
        )
        self._state.notify("button_clicked", {"user": user.id, "payload": payload})
        # Slack ignores the body of a block_actions answer: replies go via response_url or API.
        return await self._send(self.interaction_url, _form(payload), "interactions")

    async def click_view_button(
        self,
        user_id: str,
        view_id: str,
        action_id: str,
        *,
        block_id: str | None = None,
        shown: dict[str, Any] | None = None,
    ) -> InteractionResult:
        """A click on a button in a modal or an App Home tab the person has open; `shown` as
        for `click_button` (the Home tab republished since the page drew it)."""
        user = self._state.users.require(user_id)
        view = self._open_view_of(user.id, view_id, "click in")
        try:
            found_block, button = find_button(view.blocks, action_id, block_id, "The view")
        except LookupError:
            rendered = stale_button(shown, action_id, block_id)
            if rendered is None:
                raise
            found_block, button = rendered
        payload = payloads.view_block_actions(
            user=user,
            view=view,
            block_id=found_block,
            button=button,
            trigger_id=self._state.issue_trigger(user.id),
        )
        self._state.notify("button_clicked", {"user": user.id, "payload": payload})
        return await self._send(self.interaction_url, _form(payload), "interactions")

    async def submit_view(
        self, user_id: str, view_id: str, values: dict[str, Any]
    ) -> InteractionResult:
        user = self._state.users.require(user_id)
        view = self._open_view_of(user.id, view_id, "submit")
        state, missing = state_values(view, values, self._state.users)
        if missing:
            # Slack's client refuses to send a modal with an empty required field.
            view.errors = missing
            self._state.notify("view_updated", {"view": view.as_dict()})
            return InteractionResult(None, delivered=False)
        view.submissions.append(state)
        payload = payloads.view_submission(
            user=user, view=view, values=state, trigger_id=self._state.issue_trigger(user.id)
        )
        result = await self._send(self.interaction_url, _form(payload), "interactions")
        if result.status == 200:
            try:
                answer = result.json() or {}
            except ValueError:
                answer = {}
            modals.apply_submission_answer(self._state, user.id, view, answer)
        return result

    async def close_view(self, user_id: str, view_id: str) -> InteractionResult | None:
        """The person closes the top modal (Cancel); the app hears of it only when the modal
        asked with notify_on_close. None when nothing was sent."""
        user = self._state.users.require(user_id)
        view = self._open_view_of(user.id, view_id, "close")
        stack = self._state.modal_stacks.get(user.id, [])
        if not stack or stack[-1] != view.id:
            raise LookupError(f"{view_id!r} is not {user_id}'s top modal: only that one closes.")
        modals.close_top(self._state, user.id)
        if not view.definition.get("notify_on_close"):
            return None
        payload = payloads.view_closed(user=user, view=view, is_cleared=False)
        return await self._send(self.interaction_url, _form(payload), "interactions")

    async def open_home(self, user_id: str) -> InteractionResult:
        """The person opens the app's Home tab: Slack sends `app_home_opened` every time."""
        user = self._state.users.require(user_id)
        dm, _ = self._state.open_dm(user)
        home = self._state.views.get(self._state.home_views.get(user.id, ""))
        event = payloads.app_home_opened(user=user, dm=dm, home=home)
        return await self._send(self.event_url, json.dumps(event), "events", JSON)

    def _open_view_of(self, user_id: str, view_id: str, doing: str) -> View:
        view = self._state.views.get(view_id)
        if view is None or view.status != "open" or view.user != user_id:
            raise LookupError(f"{user_id} has no open view {view_id!r} to {doing}.")
        return view

    async def run_slash_command(
        self, user_id: str, command: str, text: str = "", channel_id: str | None = None
    ) -> InteractionResult:
        user = self._state.users.require(user_id)
        channel = (
            self._state.resolve_channel(channel_id) if channel_id else self._state.open_dm(user)[0]
        )
        if channel is None:
            raise LookupError(f"No channel {channel_id!r} in the sandbox to run {command} in.")
        target = ResponseTarget(user.id, channel.id, None, False)
        form = payloads.slash_command(
            user=user,
            channel=channel,
            command=command,
            text=text,
            response_url=self._response_url(target),
            trigger_id=self._state.issue_trigger(user.id),
        )
        self._state.notify("command_run", {"command": form})
        result = await self._send(self.slash_command_url, urlencode(form), "slash commands")
        show_command_answer(self._state, target, command, result.status, result.body)
        return result


def stale_button(
    shown: dict[str, Any] | None, action_id: str, block_id: str | None
) -> tuple[str, dict[str, Any]] | None:
    """(block_id, button) as the page rendered it, when it describes the clicked button."""
    if shown is None or block_id is None or shown.get("action_id") != action_id:
        return None
    kept: dict[str, Any] = {k: shown[k] for k in ("action_id", "value", "text") if k in shown}
    return block_id, {"type": "button", **kept}


def find_button(
    blocks: list[dict[str, Any]], action_id: str, block_id: str | None, where: str
) -> tuple[str, dict[str, Any]]:
    """(block_id, button) of the button to click, or a LookupError naming the buttons there."""
    buttons = blocks_buttons(blocks)
    for found_block, button in buttons:
        if button.get("action_id") == action_id and block_id in (None, found_block):
            return found_block, button
    ids = [f"{b}/{e.get('action_id')}" for b, e in buttons]
    wanted = action_id if block_id is None else f"{block_id}/{action_id}"
    now = f"its buttons are now {ids}" if ids else "it has no buttons now"
    raise LookupError(
        f"{where} changed since it was shown: the button {wanted!r} is no longer on it ({now})."
    )


def source_buttons(source: Message | Ephemeral) -> list[tuple[str, dict[str, Any]]]:
    """(block_id, button) for every button on the message, in actions blocks or accessories."""
    return blocks_buttons(source.blocks)


def blocks_buttons(blocks: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for block in blocks:
        elements = list(block.get("elements", [])) if block.get("type") == "actions" else []
        if isinstance(block.get("accessory"), dict):
            elements.append(block["accessory"])
        found += [(block.get("block_id", ""), e) for e in elements if e.get("type") == "button"]
    return found


def _form(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})
