"""Which Slack workspace this app serves, learnt once from `auth.test`, and requests from
any other workspace refused.

Bolt's own single-workspace authorization answers a failed `auth.test` with "reinstall this
app" and drops the request; a Slack hiccup right after a deploy is no reason to reinstall
anything. Here `auth.test` retries like every other call (see `slack_api.client`), one call is
shared by the requests that arrive while it runs, and a failure tells the person that Slack
could not be reached, with nothing recorded. Once known, the answer is kept for the life of
the process.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from slack_api.client import SLACK_FAILURES, slack_error_code

log = logging.getLogger(__name__)

SLACK_UNREACHABLE = (
    "Slack did not answer when this app checked which workspace it serves, so nothing was "
    "done. Please try again in a minute."
)
TOKEN_REFUSED = (
    "Slack refused this app's bot token ({code}), so nothing was done. Ask whoever runs the "
    "app to check SLACK_BOT_TOKEN."
)
OTHER_WORKSPACE = (
    "This app serves another Slack workspace, so nothing was done here. Use the app installed "
    "in your own workspace."
)
# Of Slack's 3 seconds to answer a request, what waiting for auth.test (with its retries) may
# take; the call goes on for the requests after this one.
AUTH_TEST_BUDGET_SECONDS = 2.0
# Requests Slack sends before (or without) an installation: nothing to check them against.
_NO_WORKSPACE_NEEDED = ("url_verification", "ssl_check")
_TOKEN_CODES = ("invalid_auth", "not_authed", "account_inactive", "token_revoked")


class Workspace:
    """This app's `auth.test` answer: its workspace (`team_id`) and bot user."""

    def __init__(self, client: AsyncWebClient) -> None:
        self._client = client
        self._known: AsyncSlackResponse | None = None
        self._asking: asyncio.Future[AsyncSlackResponse] | None = None

    async def identity(self) -> AsyncSlackResponse:
        """The `auth.test` answer; raises a Slack failure when Slack did not give it."""
        if self._known is not None:
            return self._known
        if self._asking is None:
            self._asking = asyncio.ensure_future(self._client.auth_test())
            self._asking.add_done_callback(self._settle)
        return await asyncio.shield(self._asking)

    def _settle(self, asking: asyncio.Future[AsyncSlackResponse]) -> None:
        self._asking = None
        if not asking.cancelled() and asking.exception() is None:
            self._known = asking.result()

    async def authorize_request(
        self, req: AsyncBoltRequest, next_: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Bolt's `before_authorize` middleware: the request goes on only when this app's
        workspace is known and the request comes from it."""
        body: dict[str, Any] = req.body if isinstance(req.body, dict) else {}
        if body.get("type") in _NO_WORKSPACE_NEEDED or body.get("ssl_check"):
            await next_()
            return None
        try:
            async with asyncio.timeout(AUTH_TEST_BUDGET_SECONDS):
                me = await self.identity()
        except SLACK_FAILURES as error:
            code = slack_error_code(error)
            log.warning("auth.test failed (%s): request not handled", code)
            sentence = (
                TOKEN_REFUSED.format(code=code) if code in _TOKEN_CODES else SLACK_UNREACHABLE
            )
            return _refusal(req, sentence, status=503)
        ours, theirs = me.get("team_id"), req.context.team_id
        if theirs and ours and theirs != ours:
            log.warning("Refused a request from workspace %s (this app serves %s)", theirs, ours)
            return _refusal(req, OTHER_WORKSPACE, status=403)
        await next_()
        return None


def _refusal(req: AsyncBoltRequest, sentence: str, *, status: int) -> BoltResponse:
    """A slash command shows the answer's text to the person; any other request (a click, a
    form) must not look answered, so Slack shows the person that it failed."""
    if isinstance(req.body, dict) and req.body.get("command"):
        return BoltResponse(status=200, body=sentence)
    return BoltResponse(status=status, body=sentence)


class WorkspaceAuthorize(AsyncAuthorize):
    """Bolt's authorize step, from the answer `Workspace.authorize_request` already has."""

    def __init__(self, workspace: Workspace, token: str | None) -> None:
        super().__init__()
        self._workspace = workspace
        self._token = token

    async def __call__(
        self,
        *,
        context: AsyncBoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        actor_enterprise_id: str | None = None,
        actor_team_id: str | None = None,
        actor_user_id: str | None = None,
    ) -> AuthorizeResult | None:
        return AuthorizeResult.from_auth_test_response(
            bot_token=self._token, auth_test_response=await self._workspace.identity()
        )
