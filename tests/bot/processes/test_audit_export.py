"""`python -m bot audit`, run as an operator runs it against reviews the bot stack ran: every
decision that counted, the reassignment and the withdrawal, in both formats; nothing after them;
bad arguments and an unreachable Temporal refused with one sentence."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from temporalio.client import Client

from bot.processes.devserver import free_port
from bot.reviews.audit_rows import AUDIT_FIELDS
from tests.bot.processes.run_command import clean_env
from tests.bot.reviews.trail_runs import Expected, TrailRun, run_reviews_with_a_trail
from tests.fixtures.bot_stack import OWNER, ROSTER, BotStack
from workflow.models import WORKFLOW_TYPE, ReviewInput, Submission, workflow_id_for


async def audit(workdir: Path, address: str, task_queue: str, *args: str) -> tuple[int, str, str]:
    """`python -m bot audit <args>`: exit code, standard output, standard error."""
    env = clean_env() | {"TEMPORAL_ADDRESS": address, "TEMPORAL_TASK_QUEUE": task_queue}
    # Its own pipes for each stream: the rows go to standard output, anything else elsewhere.
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "audit",
        *args,
        cwd=workdir,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def address_of(client: Client) -> str:
    return client.service_client.config.target_host


def as_expected(row: dict[str, Any]) -> Expected:
    return (
        row["kind"],
        row["schema"],
        int(row["version"]),
        row["digest"],
        row["stage"],
        row["reviewer"],
        row["decision"],
        row["reason"],
        row["submitted_by"],
        row["requested_by"],
        row["previous_reviewer"],
    )


def check_rows(rows: list[dict[str, Any]], run: TrailRun) -> None:
    assert sorted(as_expected(row) for row in rows) == sorted(run.expected)
    for row in rows:
        at = datetime.fromisoformat(row["at"].replace("Z", "+00:00"))
        assert run.began - timedelta(seconds=1) <= at <= run.ended + timedelta(seconds=1), row
        assert row["workflow_id"] in (run.approved_id, run.withdrawn_id)
        if row["kind"] == "decision":
            assert float(row["seconds_from_request"]) >= 0, row
        else:
            assert row["seconds_from_request"] in ("", None), row


async def test_the_export_lists_exactly_what_was_decided_in_both_formats(
    bot_stack: BotStack, tmp_path: Path
) -> None:
    run = await run_reviews_with_a_trail(bot_stack)
    address, queue = address_of(bot_stack.temporal), bot_stack.settings.temporal_task_queue
    since = (run.began - timedelta(minutes=1)).isoformat()

    code, out, err = await audit(tmp_path, address, queue, "--since", since)
    assert code == 0, err
    rows = [json.loads(line) for line in out.splitlines()]
    assert all(list(row) == list(AUDIT_FIELDS) for row in rows)
    check_rows(rows, run)
    # Oldest first: Alice's approval of version 1 opens the trail.
    assert (rows[0]["kind"], rows[0]["reviewer"], rows[0]["version"]) == (
        "decision",
        "alice@example.com",
        1,
    )

    code, out, err = await audit(tmp_path, address, queue, "--since", since, "--format", "csv")
    assert code == 0, err
    reader = csv.DictReader(io.StringIO(out))
    assert tuple(reader.fieldnames or ()) == AUDIT_FIELDS
    check_rows(list(reader), run)

    later = (run.ended + timedelta(seconds=2)).isoformat()
    code, out, err = await audit(tmp_path, address, queue, "--since", later, "--format", "csv")
    assert code == 0, err
    assert out.splitlines() == [",".join(AUDIT_FIELDS)]
    code, out, err = await audit(tmp_path, address, queue, "--since", later)
    assert (code, out) == (0, "")

    # A period that ends before the reviews began lists none of them either.
    before = (run.began - timedelta(days=2)).date().isoformat()
    code, out, _ = await audit(tmp_path, address, queue, "--since", "2020-01-01", "--until", before)
    assert (code, out) == (0, "")


def refusal(err: str) -> str:
    """The one sentence the export says when it refuses (log lines aside)."""
    lines = [line for line in err.splitlines() if line.startswith("No export:")]
    assert len(lines) == 1, err
    return lines[0]


async def test_bad_arguments_are_refused_with_a_sentence(
    temporal_client: Client, tmp_path: Path
) -> None:
    address = address_of(temporal_client)
    for args, said in (
        (("--since", "2026-13-01"), "--since '2026-13-01' is not a date: give YYYY-MM-DD"),
        (("--since", "last week"), "--since 'last week' is not a date"),
        (("--since", "2026-11-01", "--until", "soon"), "--until 'soon' is not a date"),
        (("--since", "2026-11-02", "--until", "2026-11-01"), "is not after --since"),
        (("--since", "2026-11-01", "--format", "xml"), "--format 'xml' is not a format"),
    ):
        code, out, err = await audit(tmp_path, address, "audit-args", *args)
        assert (code, out) == (2, ""), err
        assert said in refusal(err)


async def test_an_unreachable_temporal_is_one_sentence_and_exit_1(tmp_path: Path) -> None:
    address = f"127.0.0.1:{free_port()}"

    code, out, err = await audit(tmp_path, address, "audit-args", "--since", "2026-11-01")

    assert (code, out) == (1, ""), err
    assert f"Temporal does not answer at {address}" in refusal(err)


async def test_an_open_review_no_worker_answers_for_stops_the_export(
    temporal_client: Client, tmp_path: Path
) -> None:
    # An open review's decisions are its own record, which only a worker can read out.
    queue = f"audit-no-worker-{uuid.uuid4()}"
    schema = f"inventory-{uuid.uuid4().hex[:10]}"
    review = ReviewInput(
        Submission(schema, 1, "Initial schema", "https://example.com/s.json", OWNER), ROSTER
    )
    handle = await temporal_client.start_workflow(
        WORKFLOW_TYPE, review, id=workflow_id_for(schema), task_queue=queue
    )
    try:
        since = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
        code, out, err = await audit(tmp_path, address_of(temporal_client), queue, "--since", since)
    finally:
        await handle.terminate(reason="test over")

    assert (code, out) == (1, ""), err
    sentence = refusal(err)
    assert f"The open review {workflow_id_for(schema)} did not answer its status query" in sentence
    assert "make sure a worker (`python -m bot worker`) runs on this task queue" in sentence
