"""The Slack stand-in: one aiohttp server that plays the Web API for the bot, plays the
people for a person at a browser (the page at `/`: clicks, submissions, slash commands, sent
to the bot by `interactions`), and keeps a record of everything (`state`)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aiohttp import web

from slack_sandbox.api_support import ApiContext
from slack_sandbox.autosave import StateAutosave
from slack_sandbox.call_hooks import CallHook
from slack_sandbox.interactions import DEFAULT_SEND_CONNECTIONS, Interactions
from slack_sandbox.replies import apply_reply
from slack_sandbox.socket_mode import SANDBOX_APP_TOKEN, SocketModeEndpoint
from slack_sandbox.state import SandboxState
from slack_sandbox.state_file import load_state_file
from slack_sandbox.users import SimulatedUser, default_users
from slack_sandbox.web_api import call_method
from slack_sandbox.web_page import APP_COMMANDS, add_page_routes


class SlackStandIn:
    def __init__(
        self,
        users: list[SimulatedUser] | None = None,
        *,
        bot_token: str = "xoxb-sandbox-token",
        signing_secret: str = "sandbox-signing-secret",
        interaction_url: str | None = None,
        slash_command_url: str | None = None,
        event_url: str | None = None,
        slash_commands: Sequence[str] = APP_COMMANDS,
        app_token: str | None = SANDBOX_APP_TOKEN,
        state_file: Path | None = None,
        send_connections: int = DEFAULT_SEND_CONNECTIONS,
    ) -> None:
        """`slash_commands`: the commands the app registered, which the page's message box
        sends to the app; other text starting with `/` is refused there, as Slack refuses it.

        `state_file`: where the conversations are kept across restarts (see `state_file`);
        None keeps them in memory only.

        `send_connections`: how many clicks, submissions and commands may be on their way to
        the bot at once (aiohttp's default, 100); 0 for no limit, as real Slack sends them.
        Beyond the limit a request waits in the stand-in, and its 3 s run while it waits."""
        self.state = SandboxState(default_users() if users is None else users)
        self.bot_token = bot_token
        self.signing_secret = signing_secret
        # Who runs the stand-in may change how the Web API answers (see `call_hooks`).
        self.call_hooks: list[CallHook] = []
        self.interactions = Interactions(
            self.state, signing_secret, send_connections=send_connections
        )
        self.interactions.interaction_url = interaction_url
        self.interactions.slash_command_url = slash_command_url
        self.interactions.event_url = event_url
        self.slash_commands = tuple(slash_commands)
        # User id -> what the person does for the app ("Review1.a"), shown beside their name
        # in the page's user switcher; set by whoever knows the app's roster.
        self.roles: dict[str, str] = {}
        # A Confluent-compatible schema registry whose subjects the page lists (its "Schema
        # registry" panel); None: no panel. Set by whoever runs the sandbox beside one.
        self.registry_url: str | None = None
        self.app = web.Application()
        # Socket Mode: `apps.connections.open` and the socket, routed before the generic method.
        self.socket_mode: SocketModeEndpoint | None = None
        if app_token is not None:
            self.socket_mode = SocketModeEndpoint(
                self.state, app_token=app_token, call_hooks=self.call_hooks
            )
            self.socket_mode.attach(self.app)
            self.interactions.socket_mode = self.socket_mode
        self.app.router.add_route("*", "/api/{method}", self._api)
        self.app.router.add_post("/response/{key}", self._response_url)
        # The browser sandbox: the page, its live feed, what a person does there, examples.
        add_page_routes(self.app, self)
        self._runner: web.AppRunner | None = None
        self._url: str | None = None
        self.state_file = state_file
        self.autosave: StateAutosave | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Raises `SandboxStateFileError` (a RuntimeError) when the state file is unusable."""
        if self.state_file is not None and self.autosave is None:
            # Before listening: a refused file must leave nothing running.
            load_state_file(self.state, self.state_file)
            self.autosave = StateAutosave(self.state, self.state_file)
            self.autosave.start()
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        try:
            await site.start()
        except BaseException:
            # The caller never gets a running stand-in to stop: nothing may be left running.
            await self.stop()
            raise
        bound = self._runner.addresses[0]
        self._url = f"http://{host}:{bound[1]}"
        await self.interactions.open(self._url)

    async def stop(self) -> None:
        await self.interactions.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        # After the server is down, so that nothing changes after the last save.
        if self.autosave is not None:
            await self.autosave.stop()
            self.autosave = None

    @property
    def url(self) -> str:
        if self._url is None:
            raise RuntimeError("The stand-in is not running: call `await standin.start()` first.")
        return self._url

    @property
    def api_url(self) -> str:
        """The base_url for slack_sdk clients."""
        return self.url + "/api/"

    # -- where the bot listens (it may start after the stand-in) -----------------------------

    @property
    def interaction_url(self) -> str | None:
        return self.interactions.interaction_url

    @interaction_url.setter
    def interaction_url(self, url: str | None) -> None:
        self.interactions.interaction_url = url

    @property
    def slash_command_url(self) -> str | None:
        return self.interactions.slash_command_url

    @slash_command_url.setter
    def slash_command_url(self, url: str | None) -> None:
        self.interactions.slash_command_url = url

    @property
    def event_url(self) -> str | None:
        return self.interactions.event_url

    @event_url.setter
    def event_url(self, url: str | None) -> None:
        self.interactions.event_url = url

    def point_at_bot(self, url: str) -> None:
        """Bolt takes events, interactions and commands at one URL (`/slack/events`)."""
        self.interaction_url = self.slash_command_url = self.event_url = url

    # -- HTTP handlers -----------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                return web.json_response({"ok": False, "error": "invalid_json"})
            if isinstance(body, dict):
                params.update(body)
        elif request.can_read_body:
            params.update(await request.post())
        auth = request.headers.get("Authorization", "")
        header_token = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else None
        answer = call_method(
            ApiContext(self.state, self.url),
            self.call_hooks,
            self.bot_token,
            request.match_info["method"],
            params,
            header_token,
        )
        if answer.kept_back_until is not None:
            await answer.kept_back_until()
        if answer.text is not None:
            return web.Response(
                text=answer.text,
                status=answer.status,
                headers=answer.headers,
                content_type=answer.content_type,
            )
        return web.json_response(answer.body, status=answer.status, headers=answer.headers)

    async def _response_url(self, request: web.Request) -> web.Response:
        target = self.state.response_targets.get(request.match_info["key"])
        if target is None:
            return web.json_response({"ok": False, "error": "expired_url"}, status=404)
        if target.uses_left <= 0:
            return web.json_response({"ok": False, "error": "used_url"}, status=404)
        try:
            reply = json.loads(await request.text())
        except ValueError:
            return web.json_response({"ok": False, "error": "invalid_payload"}, status=400)
        if not isinstance(reply, dict):
            return web.json_response({"ok": False, "error": "invalid_payload"}, status=400)
        target.uses_left -= 1
        error = apply_reply(self.state, target, reply, "response_url")
        if error is not None:
            return web.json_response({"ok": False, "error": error}, status=400)
        return web.json_response({"ok": True})
