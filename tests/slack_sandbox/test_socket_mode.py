"""Socket Mode in the stand-in, spoken to by slack_sdk's real aiohttp Socket Mode client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.aiohttp import SocketModeClient
from slack_sdk.socket_mode.async_client import AsyncBaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.web.async_client import AsyncWebClient

from slack_sandbox.socket_mode import CONNECTIONS_OPEN
from tests.fixtures.slack import SANDBOX_BOT_TOKEN
from tests.fixtures.slack_standin import SlackStandInForTests
from tests.helpers import eventually
from tests.slack_sandbox.socket_mode_standin import APP_TOKEN, SocketStandIn, socket_mode_standin

OWNER = "U0OWNER001"


@pytest.fixture
async def socket_standin() -> AsyncIterator[SocketStandIn]:
    async with socket_mode_standin() as standin:
        yield standin


class SocketApp:
    """The app's side: a real Socket Mode client, what it heard, and how it acknowledges."""

    def __init__(
        self, standin: SlackStandInForTests, *, answer: dict[str, Any] | None, acks: bool
    ) -> None:
        self.client = SocketModeClient(
            app_token=APP_TOKEN, web_client=AsyncWebClient(base_url=standin.api_url)
        )
        self.answer, self.acks = answer, acks
        self.messages: list[dict[str, Any]] = []
        self.requests: list[SocketModeRequest] = []
        self.client.message_listeners.append(self._heard)
        self.client.socket_mode_request_listeners.append(self._handle)

    async def _heard(
        self, _: AsyncBaseSocketModeClient, message: dict[str, Any], raw: str | None
    ) -> None:
        self.messages.append(message)

    async def _handle(self, client: AsyncBaseSocketModeClient, request: SocketModeRequest) -> None:
        self.requests.append(request)
        if self.acks:
            await client.send_socket_mode_response(
                SocketModeResponse(request.envelope_id, self.answer)
            )

    def hellos(self) -> list[dict[str, Any]]:
        return [m for m in self.messages if m.get("type") == "hello"]


@asynccontextmanager
async def connected_app(
    standin: SlackStandInForTests, *, answer: dict[str, Any] | None = None, acks: bool = True
) -> AsyncIterator[SocketApp]:
    app = SocketApp(standin, answer=answer, acks=acks)
    try:
        await app.client.connect()

        async def greeted() -> None:
            assert app.hellos(), f"No hello on the socket; heard {app.messages}"

        await eventually(greeted)
        yield app
    finally:
        await app.client.close()


async def test_connections_open_refuses_what_is_not_the_app_token(
    socket_standin: SocketStandIn,
) -> None:
    standin = socket_standin.standin
    web = AsyncWebClient(base_url=standin.api_url)
    bot_token_app = SocketModeClient(app_token=SANDBOX_BOT_TOKEN, web_client=web)
    refusals = []
    try:
        for attempt in (
            bot_token_app.issue_new_wss_url(),
            web.apps_connections_open(app_token="xapp-1-A0OTHER-someone-elses-token"),
            web.api_call(CONNECTIONS_OPEN),
        ):
            with pytest.raises(SlackApiError) as refused:
                await attempt
            refusals.append(refused.value.response["error"])
    finally:
        await bot_token_app.close()
    async with (
        aiohttp.ClientSession() as session,
        session.get(standin.api_url + CONNECTIONS_OPEN) as by_get,
    ):
        refusals.append((await by_get.json())["error"])

    assert refusals == ["not_allowed_token_type", "invalid_auth", "not_authed", "insecure_request"]
    assert not socket_standin.socket_mode.connected
    calls = standin.calls_to(CONNECTIONS_OPEN)
    assert [c.error for c in calls] == refusals
    assert not any("xoxb" in str(c.as_dict()) or "xapp" in str(c.as_dict()) for c in calls)


async def test_the_app_token_opens_a_socket_that_says_hello(
    socket_standin: SocketStandIn,
) -> None:
    async with connected_app(socket_standin.standin) as app:
        (hello,) = app.hellos()
        assert hello["num_connections"] == 1
        assert hello["connection_info"] == {"app_id": "A0SANDBOX1"}
        assert app.client.wss_uri is not None and "ticket=" in app.client.wss_uri
        assert socket_standin.socket_mode.connected
        assert [c.ok for c in socket_standin.standin.calls_to(CONNECTIONS_OPEN)] == [True]

    async def gone() -> None:
        assert not socket_standin.socket_mode.connected

    await eventually(gone)


async def test_an_envelope_is_acked_and_its_payload_returned(
    socket_standin: SocketStandIn,
) -> None:
    command = {"command": "/schema-status", "text": "orders", "user_id": OWNER}
    async with connected_app(socket_standin.standin, answer={"text": "No such review"}) as app:
        result = await socket_standin.socket_mode.deliver("slash_commands", command)

    assert (result.status, result.json()) == (200, {"text": "No such review"})
    (request,) = app.requests
    assert (request.type, request.payload) == ("slash_commands", command)
    assert request.accepts_response_payload is True
    (delivery,) = socket_standin.socket_mode.deliveries
    assert delivery.ack == {
        "envelope_id": request.envelope_id,
        "payload": {"text": "No such review"},
    }


async def test_a_click_is_interactive_and_its_empty_ack_is_an_empty_answer(
    socket_standin: SocketStandIn,
) -> None:
    click = {"type": "block_actions", "actions": [{"action_id": "review_approve"}]}
    async with connected_app(socket_standin.standin) as app:
        result = await socket_standin.socket_mode.deliver("interactive", click)

    assert (result.status, result.body) == (200, "")
    (request,) = app.requests
    assert (request.type, request.payload, request.accepts_response_payload) == (
        "interactive",
        click,
        False,
    )


async def test_no_ack_within_the_deadline_times_out(socket_standin: SocketStandIn) -> None:
    async with connected_app(socket_standin.standin, acks=False) as app:
        result = await socket_standin.socket_mode.deliver(
            "slash_commands", {"command": "/submit-schema"}, deadline=0.2
        )

        assert (result.status, result.timed_out) == (None, True)
        assert len(app.requests) == 1
        assert socket_standin.socket_mode.deliveries[0].ack is None


async def test_nothing_is_delivered_without_a_connected_app(
    socket_standin: SocketStandIn,
) -> None:
    result = await socket_standin.socket_mode.deliver("slash_commands", {"command": "/x"})

    assert (result.status, result.delivered) == (None, False)


async def test_a_persons_slash_command_goes_over_the_socket_and_its_answer_is_shown(
    socket_standin: SocketStandIn,
) -> None:
    standin = socket_standin.standin
    assert standin.slash_command_url is None, "over HTTP this command would have nowhere to go"
    async with connected_app(standin, answer={"text": "No open reviews."}) as app:
        result = await standin.run_slash_command(OWNER, "/schema-status")

    assert result.status == 200
    (request,) = app.requests
    assert request.type == "slash_commands"
    assert {k: request.payload[k] for k in ("command", "text", "user_id")} == {
        "command": "/schema-status",
        "text": "",
        "user_id": OWNER,
    }
    assert request.payload["response_url"].startswith(standin.url + "/response/")
    assert [e.text for e in standin.ephemerals_for(OWNER)] == ["No open reviews."]


async def test_opening_the_home_tab_is_an_events_api_envelope(
    socket_standin: SocketStandIn,
) -> None:
    async with connected_app(socket_standin.standin) as app:
        result = await socket_standin.standin.open_home(OWNER)

    assert result.status == 200
    (request,) = app.requests
    assert (request.type, request.accepts_response_payload) == ("events_api", False)
    assert (request.retry_attempt, request.retry_reason) == (0, "")
    assert request.payload["type"] == "event_callback"
    assert request.payload["event"]["type"] == "app_home_opened"


async def test_refresh_requested_moves_the_app_to_a_new_socket(
    socket_standin: SocketStandIn,
) -> None:
    socket_mode = socket_standin.socket_mode
    async with connected_app(socket_standin.standin) as app:
        first_url = app.client.wss_uri

        await socket_mode.disconnect("refresh_requested")

        async def reconnected() -> None:
            assert len(app.hellos()) == 2, f"heard {app.messages}"
            assert socket_mode.connection_count == 1

        await eventually(reconnected)
        assert app.client.wss_uri != first_url
        assert [c.ok for c in socket_standin.standin.calls_to(CONNECTIONS_OPEN)] == [True, True]
        result = await socket_mode.deliver("interactive", {"type": "block_actions"})
        assert result.status == 200


async def test_a_socket_url_works_once(socket_standin: SocketStandIn) -> None:
    standin = socket_standin.standin
    opened = await AsyncWebClient(base_url=standin.api_url).apps_connections_open(
        app_token=APP_TOKEN
    )
    url = str(opened["url"])

    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url) as socket:
            assert (await socket.receive_json())["type"] == "hello"
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await session.ws_connect(url)

    assert refused.value.status == 401


async def test_a_planned_rate_limit_reaches_the_app(socket_standin: SocketStandIn) -> None:
    standin = socket_standin.standin
    standin.fail_next(CONNECTIONS_OPEN, error="ratelimited", retry_after=7)

    with pytest.raises(SlackApiError) as refused:
        await AsyncWebClient(base_url=standin.api_url).apps_connections_open(app_token=APP_TOKEN)

    response = refused.value.response
    assert (response.status_code, response["error"]) == (429, "ratelimited")
    assert response.headers["Retry-After"] == "7"
