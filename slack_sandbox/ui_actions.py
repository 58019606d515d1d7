"""What a person does on the page, sent to the app the way Slack would send it.

Each endpoint takes a JSON object naming the person (`user`) and answers `{"ok": true, ...}`,
or a 4xx/5xx `{"ok": false, "error": sentence}` that the page shows in its error banner: a click
the app did not take must be visible, never silent.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import aiohttp
from aiohttp import web

from slack_sandbox.interactions import InteractionResult
from slack_sandbox.records import Channel
from slack_sandbox.ui_errors import UiError, json_error
from slack_sandbox.users import SimulatedUser
from slack_sandbox.view_state import ViewInputError

if TYPE_CHECKING:
    from slack_sandbox.server import SlackStandIn

APP_COMMANDS = ("/submit-schema", "/schema-status")
_COMMAND = re.compile(r"(/\S+)\s*(.*)", re.DOTALL)

Handler = Callable[[web.Request], Awaitable[web.Response]]

log = logging.getLogger(__name__)


def bot_answer(result: InteractionResult, what: str) -> dict[str, Any]:
    """The page's view of the app's answer; a UiError when Slack would show a failure."""
    if result.timed_out:
        raise UiError(
            504,
            f"The app did not answer the {what} within 3 seconds, so Slack would tell the person"
            " it failed. Is the bot busy or stuck? Its log says more.",
        )
    if result.status is not None and not 200 <= result.status < 300:
        raise UiError(
            502,
            f"The app answered the {what} with HTTP {result.status}, so Slack would tell the"
            " person it failed. The bot's log says why.",
        )
    return {"ok": True, "status": result.status}


def guarded(handler: Handler) -> Handler:
    """Turns every failure into the JSON sentence the page shows."""

    async def run(request: web.Request) -> web.Response:
        try:
            return await handler(request)
        except UiError as error:
            return json_error(error.status, error.sentence)
        except (LookupError, ViewInputError) as error:
            status = 404 if isinstance(error, LookupError) else 400
            return json_error(status, str(error))
        except aiohttp.ClientError as error:
            log.warning("The sandbox could not reach the app: %r", error)
            return json_error(
                502,
                "The app could not be reached: the connection was refused or dropped."
                " Is the bot running, and is the sandbox pointed at it?",
            )
        except RuntimeError as error:
            # No bot URL set: the sandbox runs without an app behind it.
            return json_error(503, str(error))

    return run


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise UiError(400, 'Send a JSON object, e.g. {"user": "U0OWNER001", ...}.')
    return body


def _text(body: dict[str, Any], name: str, *, what: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value:
        raise UiError(400, f"Say {what} in the field {name!r} (a non-empty string).")
    return value


class PersonActions:
    """POST /ui/click, /ui/submit, /ui/close, /ui/message, /ui/home, /ui/dismiss."""

    def __init__(self, standin: SlackStandIn) -> None:
        self._standin = standin
        self._state = standin.state
        self._interactions = standin.interactions

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post("/ui/click", guarded(self.click)),
            web.post("/ui/submit", guarded(self.submit)),
            web.post("/ui/close", guarded(self.close)),
            web.post("/ui/message", guarded(self.message)),
            web.post("/ui/home", guarded(self.home)),
            web.post("/ui/dismiss", guarded(self.dismiss)),
        ]

    def _person(self, body: dict[str, Any]) -> SimulatedUser:
        user_id = _text(body, "user", what="who acts (a simulated user id)")
        user = self._state.users.by_id(user_id)
        if user is None or user.is_bot:
            known = ", ".join(f"{u.id} ({u.real_name})" for u in self._state.users)
            raise UiError(404, f"No simulated user has the id {user_id!r}. Pick one of: {known}.")
        return user

    def _channel_of(self, user: SimulatedUser, body: dict[str, Any]) -> Channel:
        channel_id = _text(body, "channel", what="the conversation (a channel id)")
        # The person's DM with the app exists in Slack before anyone writes in it.
        self._state.open_dm(user)
        channel = self._state.channels.get(channel_id)
        if channel is None or (channel.is_im and channel.user != user.id):
            raise UiError(
                404,
                f"{user.real_name} has no conversation {channel_id!r}: use a channel id or their"
                " own DM with the app.",
            )
        return channel

    async def click(self, request: web.Request) -> web.Response:
        """{user, action_id, block_id?, shown?} and either {channel, ts} or {view_id}; `shown`
        is the button as the page rendered it, clicked even if the message or view changed
        since."""
        body = await _body(request)
        user = self._person(body)
        action_id = _text(body, "action_id", what="which button (its action_id)")
        block_id = body.get("block_id") or None
        shown = body.get("shown")
        if body.get("view_id"):
            result = await self._interactions.click_view_button(
                user.id,
                str(body["view_id"]),
                action_id,
                block_id=block_id,
                shown=shown if isinstance(shown, dict) else None,
            )
        else:
            channel = self._channel_of(user, body)
            ts = _text(body, "ts", what="which message (its ts)")
            result = await self._interactions.click_button(
                user.id,
                channel.id,
                ts,
                action_id,
                block_id=block_id,
                shown=shown if isinstance(shown, dict) else None,
            )
        return web.json_response(bot_answer(result, "click"))

    async def submit(self, request: web.Request) -> web.Response:
        """{user, view_id, values: {block_id: value}}."""
        body = await _body(request)
        user = self._person(body)
        view_id = _text(body, "view_id", what="which modal (its view id)")
        values = body.get("values", {})
        if not isinstance(values, dict):
            raise UiError(400, "Send `values` as an object mapping block ids to what was entered.")
        result = await self._interactions.submit_view(user.id, view_id, values)
        errors = self._state.views[view_id].errors
        if not result.delivered:
            return web.json_response({"ok": True, "delivered": False, "errors": errors})
        return web.json_response(bot_answer(result, "form") | {"errors": errors})

    async def close(self, request: web.Request) -> web.Response:
        """{user, view_id}: Cancel on the top modal."""
        body = await _body(request)
        user = self._person(body)
        view_id = _text(body, "view_id", what="which modal (its view id)")
        result = await self._interactions.close_view(user.id, view_id)
        if result is None:
            return web.json_response({"ok": True, "notified": False})
        return web.json_response(bot_answer(result, "closed form") | {"notified": True})

    async def message(self, request: web.Request) -> web.Response:
        """{user, channel, text}: a slash command when it starts with `/`, else a message."""
        body = await _body(request)
        user = self._person(body)
        channel = self._channel_of(user, body)
        text = str(body.get("text") or "").strip()
        if not text:
            raise UiError(400, "Type a message, or a command such as /schema-status, first.")
        command = _COMMAND.fullmatch(text)
        if command is None:
            posted = self._state.post_as(user.id, channel.id, text)
            return web.json_response({"ok": True, "ts": posted.ts})
        name, rest = command.group(1), command.group(2).strip()
        if name not in self._standin.slash_commands:
            known = " and ".join(self._standin.slash_commands) or "none"
            raise UiError(
                400,
                f"{name} is not a command in this workspace (the app's commands are {known})."
                " To send text starting with /, put a space before it.",
            )
        result = await self._interactions.run_slash_command(user.id, name, rest, channel.id)
        return web.json_response(bot_answer(result, name))

    async def home(self, request: web.Request) -> web.Response:
        """{user}: the person opens the app's Home tab."""
        user = self._person(await _body(request))
        return web.json_response(
            bot_answer(await self._interactions.open_home(user.id), "Home tab")
        )

    async def dismiss(self, request: web.Request) -> web.Response:
        """{user, channel, ts}: "Dismiss message" on an ephemeral, as Slack offers."""
        body = await _body(request)
        user = self._person(body)
        channel = self._channel_of(user, body)
        ts = _text(body, "ts", what="which message (its ts)")
        ephemeral = self._state.find_ephemeral(channel.id, ts)
        if ephemeral is None or ephemeral.user != user.id:
            raise UiError(404, f"{user.real_name} has no ephemeral message {ts} to dismiss.")
        ephemeral.deleted = True
        self._state.notify("ephemeral_deleted", {"ephemeral": ephemeral.as_dict()})
        return web.json_response({"ok": True})
