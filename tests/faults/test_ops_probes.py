"""`/readyz` of the Procfile's processes (the web process on `PORT`, the worker on
`METRICS_PORT`) while Temporal or Slack fails: 503 naming the part, and 200 once it is back;
`/healthz` stays 200 throughout, so that the platform does not restart a process that only
waits for a dependency."""

from __future__ import annotations

from typing import Any

import aiohttp

from tests.fixtures.web_processes import WebStack
from tests.fixtures.worker_processes import DurableTemporal
from tests.helpers import eventually

# auth.test is re-asked at most every 30 s: recovery may take that long, plus a probe.
SLACK_RECHECK_WITHIN = 45.0


async def probe(url: str) -> tuple[int, Any]:
    try:
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            body = await response.json() if response.content_type == "application/json" else None
            return response.status, body
    except aiohttp.ClientConnectionError as error:
        # The worker serves its port once connected to Temporal, a moment after it starts.
        raise AssertionError(f"{url} does not answer yet: {error!r}") from None


def probes(stack: WebStack, path: str) -> list[str]:
    return [f"http://127.0.0.1:{port}{path}" for port in (stack.port, stack.metrics_port)]


async def until_ready(stack: WebStack, *, within: float) -> None:
    async def ready() -> None:
        for url in probes(stack, "/readyz"):
            status, body = await probe(url)
            assert status == 200, (url, status, body)
            assert body["ready"] is True and body["failing"] == []

    await eventually(ready, within=within, interval=0.5)


async def until_failing(stack: WebStack, part: str, *, within: float) -> list[dict[str, Any]]:
    """Both processes answer 503 naming `part` alone; their bodies."""

    async def failing() -> list[dict[str, Any]]:
        bodies = []
        for url in probes(stack, "/readyz"):
            status, body = await probe(url)
            assert status == 503, (url, status, body)
            assert body["ready"] is False and body["failing"] == [part], body
            bodies.append(body)
        return bodies

    return await eventually(failing, within=within, interval=0.5)


async def still_alive(stack: WebStack) -> None:
    for url in probes(stack, "/healthz"):
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            assert response.status == 200
            assert await response.text() == "ok"


async def test_readyz_names_temporal_while_it_is_down_and_recovers_with_it(
    durable_web_stack: WebStack, durable_temporal: DurableTemporal
) -> None:
    stack = durable_web_stack
    await until_ready(stack, within=20)

    await durable_temporal.stop()
    try:
        bodies = await until_failing(stack, "temporal", within=20)
        await still_alive(stack)
    finally:
        await durable_temporal.start()

    for body in bodies:
        assert durable_temporal.address in body["parts"]["temporal"]
        assert body["parts"]["slack"] == "ok"
    await until_ready(stack, within=60)


async def test_readyz_names_slack_while_auth_test_fails_and_recovers_with_it(
    durable_web_stack: WebStack,
) -> None:
    stack = durable_web_stack
    # Before either process asked: their first probe asks auth.test.
    stack.standin.faults.add(
        "auth.test", error="invalid_auth", status=None, retry_after=None, times=10_000
    )

    bodies = await until_failing(stack, "slack", within=20)
    await still_alive(stack)

    for body in bodies:
        assert "invalid_auth" in body["parts"]["slack"]
        assert body["parts"]["temporal"] == "ok"
    stack.standin.faults.clear()
    await until_ready(stack, within=SLACK_RECHECK_WITHIN)
