"""The README's run command, as a new user runs it: `python -m bot run` in a fresh directory.

It must start Temporal, the worker, the bot and the sandbox, print where they are, serve a review
started by the README's starter command, stop cleanly on Ctrl-C, and keep the review (in Temporal
and in the sandbox's conversations) when started again on the same data directory.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from temporalio.client import Client

from bot.devserver import free_port
from slack_sandbox import SlackStandIn
from slack_sandbox.examples import EXAMPLES
from slack_sandbox.socket_mode import SANDBOX_APP_TOKEN
from tests.helpers import eventually
from workflow.models import QUERY_STATUS

START_SECONDS = 90.0
# Settings a developer's shell may carry; the command must work without any of them.
SETTING_PREFIXES = ("SLACK_", "TEMPORAL_", "DEFAULT_", "SCHEMA_")


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(SETTING_PREFIXES)}
    env.pop("PORT", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


async def spawn_bot(workdir: Path, *args: str, env: dict[str, str]) -> asyncio.subprocess.Process:
    """`python -m bot <args>` as a user runs it in `workdir`, output and errors in one stream."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=workdir,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )


@dataclass
class RunningCommand:
    process: asyncio.subprocess.Process
    output: list[str]
    temporal_address: str
    sandbox_url: str
    # The sandbox's suggested first command (None when connected to a Slack workspace).
    first_try: str | None

    def line_after(self, label: str) -> str:
        found = next((line for line in self.output if line.strip().startswith(label)), None)
        assert found is not None, f"no {label!r} line in:\n" + "".join(self.output)
        return found.strip().removeprefix(label).strip()


async def _read_until_ready(process: asyncio.subprocess.Process, output: list[str]) -> None:
    assert process.stdout is not None
    while True:
        raw = await process.stdout.readline()
        if not raw:
            raise AssertionError("the run command exited before it was ready:\n" + "".join(output))
        output.append(raw.decode())
        if "Press Ctrl-C to stop." in output[-1]:
            return


@asynccontextmanager
async def run_command(
    data_dir: Path,
    workdir: Path,
    settings: dict[str, str] | None = None,
    *,
    sandbox: bool | None = None,
) -> AsyncIterator[RunningCommand]:
    """`python -m bot run` on free ports; `settings` are environment variables for it.
    `sandbox`: whether the sandbox is expected (default: when no settings are given)."""
    temporal_port = free_port()
    process = await spawn_bot(
        workdir,
        "run",
        "--data-dir",
        str(data_dir),
        "--sandbox-port",
        str(free_port()),
        "--temporal-port",
        str(temporal_port),
        "--temporal-ui-port",
        str(free_port()),
        "--port",
        str(free_port()),
        env=clean_env() | (settings or {}),
    )
    output: list[str] = []
    try:
        async with asyncio.timeout(START_SECONDS):
            await _read_until_ready(process, output)
        first_try = re.search(r"^\s+(/submit-schema .+)$", "".join(output), re.MULTILINE)
        running = RunningCommand(
            process, output, f"127.0.0.1:{temporal_port}", "", first_try and first_try.group(1)
        )
        if settings is None if sandbox is None else sandbox:
            running.sandbox_url = running.line_after("Slack sandbox")
        yield running
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def stop_with_ctrl_c(running: RunningCommand) -> str:
    running.process.send_signal(signal.SIGINT)
    rest, _ = await asyncio.wait_for(running.process.communicate(), timeout=60)
    return "".join(running.output) + rest.decode()


async def status_of(client: Client, workflow_id: str) -> dict[str, Any]:
    status = await client.get_workflow_handle(workflow_id).query(QUERY_STATUS)
    assert isinstance(status, dict)
    return status


async def run_starter(
    running: RunningCommand, workdir: Path, content_uri: str, *, expect_code: int = 0
) -> str:
    env = clean_env() | {"TEMPORAL_ADDRESS": running.temporal_address}
    starter = await spawn_bot(
        workdir,
        "start",
        "readme-demo",
        "--version",
        "1",
        "--description",
        "Initial schema",
        "--content-uri",
        content_uri,
        "--submitted-by",
        "owner@example.com",
        "--reviewer-a",
        "alice@example.com",
        "--reviewer-b",
        "bob@example.com",
        "--senior-reviewer",
        "carol@example.com",
        "--compliance-reviewer",
        "dave@example.com",
        env=env,
    )
    out, _ = await asyncio.wait_for(starter.communicate(), timeout=60)
    assert starter.returncode == expect_code, out.decode()
    return out.decode()


async def alices_open_requests(sandbox_url: str) -> list[dict[str, Any]]:
    """What Alice's sandbox page shows: review requests that still have buttons."""
    async with (
        aiohttp.ClientSession() as http,
        http.ws_connect(f"{sandbox_url}ui/socket?user=U0ALICE001") as socket,
    ):
        snapshot = await socket.receive_json(timeout=10)
    return [
        m
        for m in snapshot["messages"]
        if "readme-demo" in json.dumps(m) and any(b["type"] == "actions" for b in m["blocks"])
    ]


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
        said = await stop_with_ctrl_c(running)
        assert running.process.returncode == 0, said
        assert "Stopped." in said
        assert "Traceback" not in said, said

    async with run_command(data_dir, tmp_path) as again:
        client = await Client.connect(again.temporal_address)
        status = await status_of(client, "schema-approval-readme-demo")
        assert status["state"] != "approved"
        assert [p["stage"] for p in status["pending_reviewers"]] == ["Review1.a", "Review1.b"]
        # The sandbox kept the conversation: Alice still sees the request she has to decide.
        assert len(await alices_open_requests(again.sandbox_url)) == 1
        said = await stop_with_ctrl_c(again)
        assert again.process.returncode == 0, said


async def test_a_busy_sandbox_port_is_named_with_the_option_that_moves_it(
    tmp_path: Path,
) -> None:
    occupied = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = occupied.sockets[0].getsockname()[1]
    try:
        process = await spawn_bot(
            tmp_path,
            "run",
            "--data-dir",
            str(tmp_path / ".data"),
            "--sandbox-port",
            str(port),
            env=clean_env(),
        )
        out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    finally:
        occupied.close()
        await occupied.wait_closed()
    said = out.decode()
    assert process.returncode == 1, said
    assert f"Port {port} on 127.0.0.1 is already in use" in said
    assert "--sandbox-port" in said
    assert "Traceback" not in said


async def test_with_slack_credentials_it_connects_to_the_workspace_in_socket_mode(
    tmp_path: Path,
) -> None:
    # "Slack" here is the stand-in, reached through SLACK_API_URL as a workspace would be.
    slack = SlackStandIn(bot_token="xoxb-workspace-token", signing_secret="workspace-secret")
    await slack.start()
    assert slack.socket_mode is not None
    settings = {
        "SLACK_BOT_TOKEN": slack.bot_token,
        "SLACK_SIGNING_SECRET": slack.signing_secret,
        "SLACK_APP_TOKEN": SANDBOX_APP_TOKEN,
        "SLACK_API_URL": slack.api_url,
        "SCHEMA_FETCH_ALLOW_PRIVATE": "true",
        "DEFAULT_REVIEWER_A": "alice@example.com",
        "DEFAULT_REVIEWER_B": "bob@example.com",
        "DEFAULT_SENIOR_REVIEWER": "carol@example.com",
        "DEFAULT_COMPLIANCE_REVIEWER": "dave@example.com",
    }
    try:
        async with run_command(tmp_path / ".data", tmp_path, settings) as running:
            said = "".join(running.output)
            assert "Connected to your Slack workspace (Socket Mode)" in said
            assert "Slack sandbox" not in said
            assert slack.bot_token not in said and SANDBOX_APP_TOKEN not in said

            async def connected() -> None:
                assert slack.socket_mode is not None and slack.socket_mode.connected

            await eventually(connected, within=30)
            owner = slack.user_by_email("owner@example.com")
            document = slack.url + EXAMPLES[0].path
            await slack.run_slash_command(
                owner.id, "/submit-schema", f"workspace-demo 1 {document} First version"
            )

            async def alice_asked() -> None:
                message = slack.last_message_to("alice@example.com")
                assert message is not None and "workspace-demo" in message.text

            await eventually(alice_asked, within=30)
            replies = [e.text for e in slack.ephemerals_for(owner.id)]
            assert any("Review started" in text for text in replies), replies
            said = await stop_with_ctrl_c(running)
            assert running.process.returncode == 0, said
    finally:
        await slack.stop()


async def test_with_temporal_address_set_it_uses_that_cluster(
    tmp_path: Path, temporal_client: Client
) -> None:
    address = temporal_client.service_client.config.target_host
    async with run_command(
        tmp_path / ".data", tmp_path, {"TEMPORAL_ADDRESS": address}, sandbox=True
    ) as running:
        said = "".join(running.output)
        assert f"Temporal        {address}, namespace default" in said
        assert "embedded dev server" not in said
        assert not (tmp_path / ".data" / "temporal.db").exists()
        said = await stop_with_ctrl_c(running)
        assert running.process.returncode == 0, said


async def test_the_sandbox_takes_its_people_from_sandbox_users_file(tmp_path: Path) -> None:
    team = [
        {"name": "priya", "real_name": "Priya Patel", "email": "priya@acme.test"},
        {"name": "jon", "real_name": "Jon Berg", "email": "jon@acme.test"},
        {"name": "mei", "real_name": "Mei Lin", "email": "mei@acme.test"},
        {"name": "sam", "real_name": "Sam Okafor", "email": "sam@acme.test"},
        {"name": "ana", "real_name": "Ana Costa", "email": "ana@acme.test"},
    ]
    users_file = tmp_path / "team.json"
    users_file.write_text(json.dumps(team))
    settings = {"SANDBOX_USERS_FILE": str(users_file)}
    async with run_command(tmp_path / ".data", tmp_path, settings, sandbox=True) as running:
        said = "".join(running.output)
        assert "stay signed in as Priya Patel" in said
        assert "then switch to Jon Berg and Mei Lin and click Approve." in said
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"{running.sandbox_url}ui/people") as people,
        ):
            listed = [p["real_name"] for p in (await people.json())["users"]]
        assert listed == [p["real_name"] for p in team]
        said = await stop_with_ctrl_c(running)
        assert running.process.returncode == 0, said

    users_file.write_text(json.dumps(team[:3]))
    process = await spawn_bot(
        tmp_path,
        "run",
        "--data-dir",
        str(tmp_path / ".data"),
        env=clean_env() | settings,
    )
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2, out.decode()
    assert "SANDBOX_USERS_FILE: The sandbox users file" in out.decode()
    assert "a review needs 5 (a submitter and four reviewers)" in out.decode()


async def test_problems_before_start_are_one_sentence_each(tmp_path: Path) -> None:
    starter = await spawn_bot(
        tmp_path,
        "start",
        "orders",
        "--content-uri",
        "https://schemas.example.com/orders.json",
        "--submitted-by",
        "owner@example.com",
        "--reviewer-a",
        "alice@example.com",
        "--reviewer-b",
        "bob@example.com",
        "--senior-reviewer",
        "carol@example.com",
        "--compliance-reviewer",
        "dave@example.com",
        env=clean_env() | {"TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}"},
    )
    out, _ = await asyncio.wait_for(starter.communicate(), timeout=60)
    said = out.decode()
    assert starter.returncode == 1, said
    assert "Not started: Temporal does not answer at 127.0.0.1:" in said
    assert "Traceback" not in said

    # Slack credentials for HTTP mode without the signing secret: refused before anything runs.
    run = await spawn_bot(
        tmp_path,
        "run",
        "--data-dir",
        str(tmp_path / ".data"),
        env=clean_env() | {"SLACK_BOT_TOKEN": "xoxb-workspace-token"},
    )
    out, _ = await asyncio.wait_for(run.communicate(), timeout=60)
    said = out.decode()
    assert run.returncode == 2, said
    assert "SLACK_SIGNING_SECRET is not set" in said
    assert "Connected to your Slack workspace" not in said
    assert "xoxb-workspace-token" not in said
