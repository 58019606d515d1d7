"""The all-in-one run serves the worker's and the bot's probes and metrics together, on the
bot's port: one target for a platform and for Prometheus."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from tests.bot.processes.run_command import run_command
from tests.helpers import eventually


async def test_the_run_command_serves_readiness_and_every_metric_on_the_bots_port(
    tmp_path: Path,
) -> None:
    async with run_command(tmp_path / "data", tmp_path) as running:
        bot = running.line_after("Bot endpoint").removesuffix("/slack/events")
        async with aiohttp.ClientSession() as http:

            async def ready() -> None:
                async with http.get(bot + "/readyz") as response:
                    body = await response.json()
                    assert response.status == 200, body
                    # The all-in-one run's local schema registry is one of the parts.
                    assert body["parts"] == {"temporal": "ok", "slack": "ok", "registry": "ok"}

            await eventually(ready, within=20, interval=0.5)

            async def every_metric() -> None:
                async with http.get(bot + "/metrics") as response:
                    text = await response.text()
                # The bot's, its Slack calls (the sandbox's auth.test), and the worker's.
                assert "schema_approval_clicks_total" in text
                assert 'schema_approval_slack_api_calls_total{code="ok",method="auth.test"}' in text
                assert "temporal_worker_task_slots_available" in text

            await eventually(every_metric, within=20, interval=0.5)
