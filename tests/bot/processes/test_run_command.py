"""The README's run command, as a new user runs it: `python -m bot run` in a fresh directory.

It must start Temporal, the worker, the bot and the sandbox, print where they are, serve a review
started by the README's starter command, stop cleanly on Ctrl-C, and keep the review (in Temporal
and in the sandbox's conversations) when started again on the same data directory.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
from temporalio.client import Client

from tests.bot.processes.run_command import (
    alices_open_requests,
    run_command,
    run_starter,
    status_of,
    stop_with_ctrl_c,
)
from tests.helpers import eventually


async def test_the_run_command_serves_a_review_stops_cleanly_and_keeps_it(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / ".data"
    async with run_command(data_dir, tmp_path) as running:
        assert "No Slack credentials are set" in "".join(running.output)
        assert running.line_after("Temporal UI").startswith("http://127.0.0.1:")
        async with aiohttp.ClientSession() as http:
            async with http.get(running.sandbox_url) as page:
                assert page.status == 200
                assert "text/html" in page.headers["Content-Type"]
            # The first thing to try names a document the sandbox really serves.
            assert running.first_try is not None
            example = running.first_try.split()[3]
            async with http.get(example) as document:
                assert document.status == 200

        printed = await run_starter(running, tmp_path, example)
        assert "Review started for version 1: schema-approval-readme-demo" in printed
        assert "temporal workflow signal" in printed

        client = await Client.connect(running.temporal_address)

        async def first_round_asked() -> dict[str, Any]:
            status = await status_of(client, "schema-approval-readme-demo")
            reviewers = sorted(p["reviewer"] for p in status["pending_reviewers"])
            assert reviewers == ["alice@example.com", "bob@example.com"], status
            return status

        await eventually(first_round_asked, within=30)

        async def alice_asked() -> None:
            assert len(await alices_open_requests(running.sandbox_url)) == 1

        await eventually(alice_asked, within=30)
        # Everything the run keeps is in its data directory, the fetched documents too.
        assert list((data_dir / "schemas").rglob("*.json"))

        # Running the same starter command again would hand the review a version it ignores.
        refused = await run_starter(running, tmp_path, example, expect_code=2)
        assert "Not started: readme-demo is in review at version 1" in refused
        assert "submit a version higher than 1" in refused
        # The example the banner suggests, submitted: after a restart it suggests version 2.
        started = await run_starter(running, tmp_path, example, schema_id="inventory-item")
        assert "Review started for version 1: schema-approval-inventory-item" in started
        said = await stop_with_ctrl_c(running)
        assert running.process.returncode == 0, said
        assert "Stopped." in said
        assert "Traceback" not in said, said

    async with run_command(data_dir, tmp_path) as again:
        assert again.first_try is not None
        assert again.first_try.split()[:3] == ["/submit-schema", "inventory-item", "2"]
        assert again.first_try.split()[3].endswith("/examples/inventory-item-v2.json")
        client = await Client.connect(again.temporal_address)
        status = await status_of(client, "schema-approval-readme-demo")
        assert status["state"] != "approved"
        assert [p["stage"] for p in status["pending_reviewers"]] == ["Review1.a", "Review1.b"]
        # The sandbox kept the conversation: Alice still sees the request she has to decide.
        assert len(await alices_open_requests(again.sandbox_url)) == 1
        said = await stop_with_ctrl_c(again)
        assert again.process.returncode == 0, said
