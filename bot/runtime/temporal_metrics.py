"""Temporal's metrics (the SDK's own, and the ones the workflow and activities record through
Temporal's meters), for a process's `/metrics`.

The SDK's Prometheus exporter runs on a loopback port that nobody outside the process scrapes;
the process's `/metrics` reads it and serves its text after the bot's own metrics. Chosen over
the SDK's MetricBuffer (docs/operations.md, "Metrics"): the exporter keeps the counts and
histograms itself, so a scrape is a read; a buffer would have to be drained often enough never
to fill (a full buffer drops updates) and its histogram values bucketed again here.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

import aiohttp
from temporalio.runtime import LoggingConfig, PrometheusConfig, Runtime, TelemetryConfig

from workflow.review_metrics import REVIEW_TIME_BUCKETS, TIME_TO_APPROVAL, TIME_TO_DECISION

LOOPBACK = "127.0.0.1"
# A scrape waits this long for the exporter (in-process, on loopback) before going without it.
SCRAPE_TIMEOUT_SECONDS = 2.0
# Another process may take the port between picking it and binding it: pick again.
BIND_ATTEMPTS = 5


@dataclass
class TemporalMetrics:
    """A Temporal runtime whose metrics are exported on `port` (loopback only)."""

    runtime: Runtime
    port: int

    @classmethod
    def start(cls, logging: LoggingConfig | None = None) -> TemporalMetrics:
        """`logging`: how Temporal core's own log lines come out (`bot.processes.log_setup`),
        which one runtime carries together with its metrics."""
        for attempt in range(BIND_ATTEMPTS):
            port = _free_loopback_port()
            try:
                return cls(_runtime_exporting_on(port, logging), port)
            except ValueError:
                if attempt == BIND_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}/metrics"

    async def text(self) -> str:
        """The exporter's text; "" (and the bot's own metrics still served) when it does not
        answer in time."""
        timeout = aiohttp.ClientTimeout(total=SCRAPE_TIMEOUT_SECONDS)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.get(self.url) as response,
            ):
                response.raise_for_status()
                return await response.text()
        except (aiohttp.ClientError, TimeoutError):
            return ""


def _runtime_exporting_on(port: int, logging: LoggingConfig | None) -> Runtime:
    """Prometheus' naming conventions (counters end in `_total`, durations in seconds), and
    review-sized buckets for the review timers, whose default buckets stop at seconds."""
    exporter = PrometheusConfig(
        bind_address=f"{LOOPBACK}:{port}",
        counters_total_suffix=True,
        durations_as_seconds=True,
        histogram_bucket_overrides={
            TIME_TO_DECISION: REVIEW_TIME_BUCKETS,
            TIME_TO_APPROVAL: REVIEW_TIME_BUCKETS,
        },
    )
    if logging is None:
        return Runtime(telemetry=TelemetryConfig(metrics=exporter))
    return Runtime(telemetry=TelemetryConfig(metrics=exporter, logging=logging))


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])
