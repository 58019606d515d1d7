"""The schema registry's settings and the start checks of the Procfile's processes, run as an
operator runs them: a bad setting or refused credentials stop the start with one line naming
the setting (the secret never shown); a registry that does not answer is a warning."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import aiohttp
from temporalio.client import Client

from registry_sandbox import RegistrySandbox
from tests.bot.processes.run_command import clean_env, spawn_bot
from tests.fixtures.procfile_process import ProcfileProcess
from tests.fixtures.slack_standin import SlackStandInForTests
from tests.helpers import eventually

SECRET = "s3cr3t-pass-never-shown"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def process_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    return {
        **clean_env(),
        "SLACK_BOT_TOKEN": "xoxb-registry-start",
        "SLACK_SIGNING_SECRET": "registry-start-secret",
        "SCHEMA_STORE_DIR": str(tmp_path / "store"),
        **settings,
    }


async def run_to_exit(tmp_path: Path, command: str, env: dict[str, str]) -> tuple[int, str]:
    process = await spawn_bot(tmp_path, command, env=env)
    out, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_each_bad_registry_setting_is_one_line_and_the_secret_is_never_printed(
    tmp_path: Path,
) -> None:
    env = process_env(
        tmp_path,
        SCHEMA_REGISTRY_URL=f"https://ci:{SECRET}@registry.example.com",
        SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO=f"no-colon-{SECRET}",
        SCHEMA_REGISTRY_SUBJECT_TEMPLATE="{topic}-value",
        SCHEMA_REGISTRY_RETRY_HOURS="0",
    )

    code, said = await run_to_exit(tmp_path, "worker", env)

    assert code == 2, said
    assert SECRET not in said and "Traceback" not in said
    lines = [line.strip() for line in said.splitlines() if line.strip().startswith("SCHEMA_")]
    assert lines == [
        "SCHEMA_REGISTRY_URL: must not carry credentials: put them in"
        " SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO (user:password)",
        "SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO: must be user:password (a user name, a colon,"
        " then the password or API secret), as Confluent's clients take basic.auth.user.info",
        "SCHEMA_REGISTRY_SUBJECT_TEMPLATE: must contain {schema_id} once and no other"
        " placeholder, such as {schema_id}-value (Kafka's topic-name strategy), not"
        " '{topic}-value'",
        "SCHEMA_REGISTRY_RETRY_HOURS: must be a number of hours above 0 and at most 720"
        " (30 days), such as 24, not '0'",
    ]


async def test_a_malformed_registry_url_is_refused(tmp_path: Path) -> None:
    env = process_env(tmp_path, SCHEMA_REGISTRY_URL="registry.example.com:8081")

    code, said = await run_to_exit(tmp_path, "web", env)

    assert code == 2, said
    assert (
        "SCHEMA_REGISTRY_URL: must be the http(s) address of one Confluent-compatible schema"
        " registry, such as https://registry.example.com:8081"
    ) in said


async def test_worker_and_web_refuse_to_start_on_refused_credentials_with_one_line(
    tmp_path: Path,
) -> None:
    async with RegistrySandbox(port=0, basic_auth="ci:the-right-one") as registry:
        url = registry.url
        env = process_env(
            tmp_path,
            # Never reached: the registry is checked before Temporal.
            TEMPORAL_ADDRESS=f"127.0.0.1:{closed_port()}",
            SCHEMA_REGISTRY_URL=registry.url,
            SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO=f"ci:{SECRET}",
        )
        worker, web = await asyncio.gather(
            run_to_exit(tmp_path, "worker", env), run_to_exit(tmp_path, "web", env)
        )

    for code, said in (worker, web):
        assert code == 1, said
        assert SECRET not in said
        assert [line for line in said.splitlines() if line.strip()] == [
            f"Cannot start: The schema registry at {url} refused the credentials"
            " (401 Unauthorized): set SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO to a user:password"
            " it accepts."
        ]


async def test_an_unreachable_registry_is_a_warning_and_worker_and_web_start(
    tmp_path: Path, temporal_client: Client, slack_standin: SlackStandInForTests
) -> None:
    silent = f"http://127.0.0.1:{closed_port()}"
    port = closed_port()
    env = process_env(
        tmp_path,
        TEMPORAL_ADDRESS=temporal_client.service_client.config.target_host,
        TEMPORAL_NAMESPACE=temporal_client.namespace,
        TEMPORAL_TASK_QUEUE=f"registry-start-{port}",
        SLACK_BOT_TOKEN=slack_standin.bot_token,
        SLACK_SIGNING_SECRET=slack_standin.signing_secret,
        SLACK_API_URL=slack_standin.api_url,
        SCHEMA_REGISTRY_URL=silent,
        PORT=str(port),
    )
    processes = [
        await ProcfileProcess.spawn(name, cwd=tmp_path, env=env, log=tmp_path / f"{name}.log")
        for name in ("worker", "web")
    ]
    worker = processes[0]
    try:

        async def started() -> None:
            assert "Worker polling task queue" in worker.output(), worker.output()
            async with (
                aiohttp.ClientSession() as session,
                session.get(f"http://127.0.0.1:{port}/healthz") as answer,
            ):
                assert answer.status == 200

        await eventually(started, within=60.0, interval=0.2)
        for process in processes:
            assert process.running
            assert f"The schema registry at {silent} is not answering" in process.output()
            assert "Starting anyway: approved versions wait to be registered" in process.output()
    finally:
        for process in processes:
            await process.close()
