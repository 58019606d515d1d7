"""The run command's schema registry: without SCHEMA_REGISTRY_URL it runs the local one on its
own port (the banner says where, its subjects are kept in the data directory, `--fresh` forgets
them, the sandbox page lists them); with SCHEMA_REGISTRY_URL set it uses that one and starts
none of its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp

from registry_sandbox import RegistrySandbox
from tests.bot.processes.run_command import run_command, stop_with_ctrl_c

SCHEMA_TYPE = "application/vnd.schemaregistry.v1+json"
ORDER_PLACED = (
    Path(__file__).parents[3] / "slack_sandbox" / "examples" / "order-placed-avro.json"
).read_text()


async def register(http: aiohttp.ClientSession, registry_url: str, subject: str) -> int:
    async with http.post(
        f"{registry_url}/subjects/{subject}/versions",
        data=json.dumps({"schema": ORDER_PLACED}),
        headers={"Content-Type": SCHEMA_TYPE},
    ) as answer:
        assert answer.status == 200, await answer.text()
        return int((await answer.json(content_type=None))["id"])


async def subjects(http: aiohttp.ClientSession, registry_url: str) -> list[str]:
    async with http.get(f"{registry_url}/subjects") as answer:
        assert answer.status == 200
        return list(await answer.json(content_type=None))


async def page_listing(http: aiohttp.ClientSession, sandbox_url: str) -> dict[str, Any]:
    """What the sandbox page's "Schema registry" panel shows."""
    async with http.get(f"{sandbox_url}ui/registry") as answer:
        assert answer.status == 200
        return dict(await answer.json())


async def test_the_run_command_runs_the_local_registry_and_fresh_forgets_it(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / ".data"
    async with run_command(data_dir, tmp_path) as running, aiohttp.ClientSession() as http:
        registry_url = f"http://127.0.0.1:{running.registry_port}"
        assert running.line_after("Schema registry") == f"{registry_url} (local)"
        assert await subjects(http, registry_url) == []
        assert await page_listing(http, running.sandbox_url) == {
            "url": registry_url,
            "subjects": [],
            "more": 0,
        }

        registered_id = await register(http, registry_url, "order-placed-value")
        listing = await page_listing(http, running.sandbox_url)
        assert listing["subjects"] == [
            {"subject": "order-placed-value", "versions": [{"version": 1, "id": registered_id}]}
        ]
        # Kept beside Temporal's database and the sandbox's conversations.
        assert "order-placed-value" in (data_dir / "registry.json").read_text()
        said = await stop_with_ctrl_c(running)
        assert running.process.returncode == 0, said

    async with (
        run_command(data_dir, tmp_path, fresh=True) as again,
        aiohttp.ClientSession() as http,
    ):
        registry_url = f"http://127.0.0.1:{again.registry_port}"
        assert await subjects(http, registry_url) == []
        said = await stop_with_ctrl_c(again)
        assert again.process.returncode == 0, said


async def test_with_a_registry_url_set_the_run_uses_it_and_starts_none(
    tmp_path: Path, schema_registry: RegistrySandbox
) -> None:
    data_dir = tmp_path / ".data"
    settings = {"SCHEMA_REGISTRY_URL": schema_registry.url}
    async with (
        run_command(data_dir, tmp_path, settings, sandbox=True) as running,
        aiohttp.ClientSession() as http,
    ):
        assert running.line_after("Schema registry") == schema_registry.url
        # Nothing answers on the local registry's port, and nothing of it is kept.
        try:
            async with http.get(f"http://127.0.0.1:{running.registry_port}/subjects") as answer:
                raise AssertionError(f"a registry answered {answer.status} on its port")
        except aiohttp.ClientConnectionError:
            pass
        assert not (data_dir / "registry.json").exists()
        # The page lists the registry the bot uses.
        registered_id = await register(http, schema_registry.url, "shipment-value")
        listing = await page_listing(http, running.sandbox_url)
        assert listing["url"] == schema_registry.url
        assert listing["subjects"] == [
            {"subject": "shipment-value", "versions": [{"version": 1, "id": registered_id}]}
        ]
        said = await stop_with_ctrl_c(running)
        assert running.process.returncode == 0, said
