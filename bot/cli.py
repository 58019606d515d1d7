"""Command line: `python -m bot [run|worker|web|start|audit]`.

run     everything on this machine: embedded Temporal (unless TEMPORAL_ADDRESS is set), the
        worker, the bot, the local schema registry (unless SCHEMA_REGISTRY_URL is set), and
        the Slack sandbox when no Slack credentials are set
worker  the Temporal worker only (Procfile `worker`)
web     the Slack bot only (Procfile `web`): HTTP at /slack/events, or Socket Mode
start   start a review, like the original starter
audit   print the audit trail of the reviews Temporal still holds (docs/operations.md)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.processes import audit_export, starter
from bot.processes.log_setup import configure_logging
from bot.processes.stack_options import StackOptions
from bot.reviews.away_client import absences_now, with_delegates
from bot.reviews.document_check import document_refusal
from bot.reviews.lookup import TemporalUnavailable, find_review
from bot.reviews.submission_plan import SubmissionRefused, plan_submission
from bot.runtime.settings import SettingsError, connect_temporal, load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command")
    for name, text in (("run", "run everything locally (the default)"), ("dev", "same as run")):
        _stack_arguments(commands.add_parser(name, help=text))
    commands.add_parser("worker", help="run the Temporal worker")
    commands.add_parser("web", help="run the Slack bot (HTTP mode, or Socket Mode)")
    starter.add_arguments(commands.add_parser("start", help="start a schema review"))
    audit_export.add_arguments(
        commands.add_parser("audit", help="print the audit trail (decisions, reassignments…)")
    )
    return parser


def _stack_arguments(parser: argparse.ArgumentParser) -> None:
    defaults = StackOptions()
    parser.add_argument(
        "--data-dir", type=Path, default=defaults.data_dir, help="where local state is kept"
    )
    parser.add_argument(
        "--sandbox-port", type=int, default=defaults.sandbox_port, help="Slack sandbox page port"
    )
    parser.add_argument(
        "--temporal-port", type=int, default=defaults.temporal_port, help="embedded Temporal port"
    )
    parser.add_argument(
        "--temporal-ui-port",
        type=int,
        default=defaults.temporal_ui_port,
        help="embedded Temporal UI port",
    )
    parser.add_argument(
        "--registry-port",
        type=int,
        default=defaults.registry_port,
        help="local schema registry port (unused when SCHEMA_REGISTRY_URL is set)",
    )
    parser.add_argument("--port", type=int, default=None, help="bot HTTP port (default: PORT)")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="start from nothing: forget the reviews, the sandbox's conversations and the"
        " local registry's subjects",
    )


def _stack_options(args: argparse.Namespace) -> StackOptions:
    if args.command is None:  # `python -m bot` alone: run with the defaults
        return StackOptions()
    return StackOptions(
        data_dir=args.data_dir,
        sandbox_port=args.sandbox_port,
        temporal_port=args.temporal_port,
        temporal_ui_port=args.temporal_ui_port,
        registry_port=args.registry_port,
        bot_port=args.port,
        fresh=args.fresh,
    )


async def _start(args: argparse.Namespace) -> int:
    settings = load_settings()
    # A policy file with problems stops the start here, one line each (SettingsError).
    settings.review_rules()
    try:
        review = starter.review_input_from(args, settings)
    except ValueError as error:
        print(f"Not started:\n{error}", file=sys.stderr)
        return 2
    try:
        client = await connect_temporal(settings)
        existing = await find_review(client, review.submission.schema_id)
        review = with_delegates(review, await absences_now(client, settings))
    except (RuntimeError, TemporalUnavailable):
        print(
            f"Not started: Temporal does not answer at {settings.temporal_address} (namespace "
            f"{settings.temporal_namespace}). Start it with `uv run python -m bot`, or set "
            "TEMPORAL_ADDRESS to your cluster.",
            file=sys.stderr,
        )
        return 1
    # The same rules as /submit-schema, so that a version the review would ignore is refused here.
    try:
        plan = plan_submission(existing, review, settings.slack_admins)
    except SubmissionRefused as refusal:
        print(f"Not started: {refusal}", file=sys.stderr)
        return 2
    if reason := await document_refusal(settings, review, existing, allow_private=True):
        print(f"Not started: {reason}", file=sys.stderr)
        return 2
    workflow_id = await starter.start_review(client, settings, review)
    version = review.submission.version
    if plan.kind == "new_version":
        print(
            f"Version {version} handed to the running review (it was at version "
            f"{plan.previous_version}): {workflow_id}"
        )
    else:
        print(f"Review started for version {version}: {workflow_id}")
    print("\nDecide and follow it with the temporal CLI:")
    for command in starter.follow_up_commands(workflow_id, review, settings):
        print(f"  {command}")
    return 0


async def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "start":
        return await _start(args)
    if args.command == "audit":
        return await audit_export.run_audit(args, load_settings())
    if args.command == "worker":
        from bot.processes.worker import run_worker

        await run_worker(load_settings())
        return 0
    if args.command == "web":
        from bot.processes.web import serve_from_settings

        await serve_from_settings(load_settings())
        return 0
    # Imported here, as the processes above are: a `worker` must not load the Slack app, whose
    # metrics (all 0 there) would otherwise show on the worker's /metrics too.
    from bot.processes.run_stack import run_stack

    return await run_stack(_stack_options(args))


def main(argv: Sequence[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    try:
        configure_logging(load_settings())
    except SettingsError:
        # The command loads them again and says what is wrong; until then, the defaults.
        configure_logging(None)
    code = 1
    try:
        code = asyncio.run(_dispatch(args))
    except KeyboardInterrupt:
        code = 0
    except SettingsError as error:
        print("Cannot start: the settings have problems:", file=sys.stderr)
        for line in error.lines:
            print(f"  {line}", file=sys.stderr)
        code = 2
    except (RuntimeError, OSError) as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        code = 1
    sys.stdout.flush()
    sys.stderr.flush()
    # temporalio can abort during interpreter finalization (sdk-python#300); our work is done.
    os._exit(code)
