"""What Slack sends to the bot when a person clicks, submits or types a command: signed
with the signing secret exactly as Slack signs, and answered the way Slack treats answers."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import aiohttp

from slack_sandbox import modals, payloads
from slack_sandbox.api_support import SlackError
from slack_sandbox.records import Ephemeral, Message, MessageRevision
from slack_sandbox.replies import apply_reply
from slack_sandbox.state import ResponseTarget, SandboxState
from slack_sandbox.view_state import state_values

# Slack gives an app 3 seconds to answer, then tells the person it failed.
ACK_DEADLINE_SECONDS = 3.0


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


class Interactions:
    def __init__(self, state: SandboxState, signing_secret: str) -> None:
        self._state = state
        self._secret = signing_secret
        self.interaction_url: str | None = None
        self.slash_command_url: str | None = None
        self.ack_deadline_seconds = ACK_DEADLINE_SECONDS
        self.base_url = ""
        self._session: aiohttp.ClientSession | None = None

    async def open(self, base_url: str) -> None:
        self.base_url = base_url
        self._session = aiohttp.ClientSession()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _response_url(self, target: ResponseTarget) -> str:
        return f"{self.base_url}/response/{self._state.issue_response_target(target)}"

    async def _send(self, url: str | None, body: str, what: str) -> InteractionResult:
        if url is None:
            raise RuntimeError(
                f"No bot URL for {what} is set: assign the stand-in's"
                " `interaction_url` / `slash_command_url` before simulating a person."
            )
        if self._session is None:
            raise RuntimeError("The stand-in is not running: call `await standin.start()` first.")
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
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
        self, user_id: str, channel: str, ts: str, action_id: str
    ) -> InteractionResult:
        user = self._state.users.require(user_id)
        where = self._state.resolve_channel(channel)
        source: Message | Ephemeral | None = None
        if where is not None:
            source = self._state.find_message(where.id, ts) or self._state.find_ephemeral(
                where.id, ts
            )
        if where is None or source is None:
            raise LookupError(f"No message with ts {ts} in {channel}: nothing there to click.")
        button = next(
            ((b, e) for b, e in source_buttons(source) if e.get("action_id") == action_id), None
        )
        if button is None:
            ids = [e.get("action_id") for _, e in source_buttons(source)]
            raise LookupError(f"The message has no button {action_id!r}; its buttons are {ids}.")
        target = ResponseTarget(user.id, where.id, ts, isinstance(source, Ephemeral))
        payload = payloads.block_actions(
            user=user,
            channel=where,
            source=source,
            block_id=button[0],
            button=button[1],
            trigger_id=self._state.issue_trigger(user.id),
            response_url=self._response_url(target),
        )
        self._state.notify("button_clicked", {"user": user.id, "payload": payload})
        # Slack ignores the body of a block_actions answer: replies go via response_url or API.
        return await self._send(self.interaction_url, _form(payload), "interactions")

    async def submit_view(
        self, user_id: str, view_id: str, values: dict[str, Any]
    ) -> InteractionResult:
        user = self._state.users.require(user_id)
        view = self._state.views.get(view_id)
        if view is None or view.status != "open" or view.user != user.id:
            raise LookupError(f"{user_id} has no open view {view_id!r} to submit.")
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
            self._apply_view_answer(user.id, view_id, result)
        return result

    def _apply_view_answer(self, user_id: str, view_id: str, result: InteractionResult) -> None:
        try:
            answer = result.json() or {}
        except ValueError:
            answer = {}
        view = self._state.views[view_id]
        action = answer.get("response_action") if isinstance(answer, dict) else None
        try:
            if action == "errors":
                view.errors = {str(k): str(v) for k, v in (answer.get("errors") or {}).items()}
                self._state.notify("view_updated", {"view": view.as_dict()})
            elif action == "update":
                definition = modals.parse_view(answer.get("view"), expected_type="modal")
                modals.update_view(self._state, view, definition)
            elif action == "push":
                definition = modals.parse_view(answer.get("view"), expected_type="modal")
                modals.push_modal(self._state, user_id, definition)
            elif action == "clear":
                modals.close_all(self._state, user_id)
            else:
                modals.close_top(self._state, user_id)
        except SlackError as error:
            # Slack shows the person a generic failure and keeps the modal open.
            view.errors = {"": f"The app answered with an invalid view ({error.code})."}
            self._state.notify("view_updated", {"view": view.as_dict()})

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
        self._show_command_answer(target, command, result)
        return result

    def _show_command_answer(
        self, target: ResponseTarget, command: str, result: InteractionResult
    ) -> None:
        if result.status != 200:
            code = "operation_timeout" if result.timed_out else "dispatch_failed"
            self._tell(target, f'{command} failed with the error "{code}"')
            return
        if not result.body.strip():
            return
        try:
            reply = result.json()
        except ValueError:
            reply = {"text": result.body}
        if isinstance(reply, dict):
            apply_reply(self._state, target, reply, "slash_command_response")

    def _tell(self, target: ResponseTarget, text: str) -> None:
        ts = self._state.next_ts()
        self._state.add_ephemeral(
            Ephemeral(
                target.channel,
                target.user,
                ts,
                text,
                [],
                "slash_command_response",
                revisions=[MessageRevision(text, [], ts)],
            )
        )


def source_buttons(source: Message | Ephemeral) -> list[tuple[str, dict[str, Any]]]:
    """(block_id, button) for every button on the message, in actions blocks or accessories."""
    found = []
    for block in source.blocks:
        elements = list(block.get("elements", [])) if block.get("type") == "actions" else []
        if isinstance(block.get("accessory"), dict):
            elements.append(block["accessory"])
        found += [(block.get("block_id", ""), e) for e in elements if e.get("type") == "button"]
    return found


def _form(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})
