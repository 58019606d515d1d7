"""The run command's settings: Slack credentials, TEMPORAL_ADDRESS, the sandbox's people, and
the problems it refuses to start with."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp
from temporalio.client import Client

from bot.processes.devserver import free_port
from slack_sandbox.examples import EXAMPLES
from slack_sandbox.socket_mode import SANDBOX_APP_TOKEN
from tests.bot.processes.run_command import (
    STARTER_PEOPLE,
    clean_env,
    run_command,
    spawn_bot,
    stop_with_ctrl_c,
)
from tests.fixtures.slack_standin import SlackStandInForTests
from tests.helpers import eventually


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
    slack = SlackStandInForTests(
        bot_token="xoxb-workspace-token", signing_secret="workspace-secret"
    )
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
        *STARTER_PEOPLE,
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
