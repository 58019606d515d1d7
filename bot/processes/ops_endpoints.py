"""What a platform and Prometheus ask a process: `/healthz`, `/readyz` and `/metrics`.

The web process serves them on `PORT`, beside `/slack/events`; the worker on `METRICS_PORT`;
the all-in-one run on the bot's port, for both. See docs/operations.md, "Metrics" and "Probes".
"""

from __future__ import annotations

import errno
from dataclasses import dataclass

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.registry import CollectorRegistry
from slack_sdk.web.async_client import AsyncWebClient
from temporalio.client import Client

from bot.runtime.readiness import (
    Readiness,
    ReadinessCheck,
    RegistryAnswers,
    SlackAuthHolds,
    TemporalAnswers,
)
from bot.runtime.registry_health import RegistryHealth
from bot.runtime.temporal_metrics import TemporalMetrics

HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"

# A `_created` series beside every counter and histogram doubles what is scraped and stored
# for a start time that `process_start_time_seconds` already gives.
disable_created_metrics()


async def alive(_: web.Request) -> web.Response:
    """The process runs and its event loop answers: nothing else is asked, so that a slow
    dependency never gets a live process restarted."""
    return web.Response(text="ok")


@dataclass(frozen=True)
class OpsEndpoints:
    readiness: Readiness
    # None: Temporal's metrics are not exported by this process (only the bot's own).
    temporal_metrics: TemporalMetrics | None = None
    registry: CollectorRegistry = REGISTRY

    def add_to(self, app: web.Application) -> None:
        """`/readyz` and `/metrics` (`/healthz` is every app's, with or without these)."""
        app.router.add_get(READY_PATH, self.ready)
        app.router.add_get(METRICS_PATH, self.metrics)

    async def ready(self, _: web.Request) -> web.Response:
        parts = await self.readiness.problems()
        failing = [name for name, problem in parts.items() if problem is not None]
        body = {
            "ready": not failing,
            "failing": failing,
            "parts": {name: problem or "ok" for name, problem in parts.items()},
        }
        return web.json_response(body, status=503 if failing else 200)

    async def metrics(self, _: web.Request) -> web.Response:
        text = generate_latest(self.registry).decode()
        if self.temporal_metrics is not None:
            text += await self.temporal_metrics.text()
        return web.Response(body=text.encode(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def ops_endpoints(
    temporal: Client,
    temporal_address: str,
    slack: AsyncWebClient,
    temporal_metrics: TemporalMetrics | None,
    registry: RegistryHealth | None = None,
) -> OpsEndpoints:
    """Ready when Temporal answers, Slack accepts the bot token and, with a schema registry
    set, the registry answers."""
    checks: list[ReadinessCheck] = [
        TemporalAnswers(temporal, temporal_address),
        SlackAuthHolds(slack),
    ]
    if registry is not None:
        checks.append(RegistryAnswers(registry))
    return OpsEndpoints(Readiness(checks), temporal_metrics)


async def serve_ops(endpoints: OpsEndpoints, host: str, port: int) -> web.AppRunner:
    """The worker's own HTTP server for the endpoints; `cleanup()` the runner to stop it."""
    app = web.Application()
    app.router.add_get(HEALTH_PATH, alive)
    endpoints.add_to(app)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as error:
        await runner.cleanup()
        if error.errno != errno.EADDRINUSE:
            raise
        raise RuntimeError(
            f"METRICS_PORT {port} is already in use (another worker on this machine?): set"
            " METRICS_PORT to a free port for this worker's /metrics, /healthz and /readyz."
        ) from None
    return runner
