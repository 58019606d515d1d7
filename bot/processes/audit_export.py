"""`python -m bot audit --since DATE [--until DATE] [--format jsonl|csv]`: the audit trail of
every review Temporal still holds, on standard output (docs/operations.md, "Audit")."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime, time, timedelta

from bot.reviews.audit_rows import AUDIT_FORMATS, as_csv, as_jsonl, audit_rows
from bot.reviews.lookup import TemporalUnavailable
from bot.reviews.review_trail import TrailIncomplete, read_trails
from bot.runtime.settings import Settings, connect_temporal

DATE_HELP = "YYYY-MM-DD (UTC) or an ISO 8601 time such as 2026-11-01T09:00:00Z"


class AuditArgumentError(ValueError):
    """An argument that cannot be used; the message says which and what to give."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", required=True, help=f"from this moment on: {DATE_HELP}")
    parser.add_argument(
        "--until", default=None, help=f"up to this moment (a date: its whole day): {DATE_HELP}"
    )
    # Checked by hand, not by argparse's `choices`, so that a wrong one gets one sentence.
    parser.add_argument("--format", default="jsonl", help="jsonl (the default) or csv")


def parse_moment(option: str, raw: str, *, end_of_day: bool = False) -> datetime:
    """A date (midnight UTC, or the next midnight with `end_of_day`) or an ISO 8601 time."""
    text = raw.strip()
    try:
        if len(text) == 10:
            day = datetime.combine(datetime.strptime(text, "%Y-%m-%d").date(), time(), UTC)
            return day + timedelta(days=1) if end_of_day else day
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise AuditArgumentError(f"{option} '{raw}' is not a date: give {DATE_HELP}.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def period_of(args: argparse.Namespace) -> tuple[datetime, datetime | None]:
    since = parse_moment("--since", args.since)
    until = None if args.until is None else parse_moment("--until", args.until, end_of_day=True)
    if until is not None and until <= since:
        raise AuditArgumentError(
            f"--until {args.until} is not after --since {args.since}: give a later --until."
        )
    if args.format not in AUDIT_FORMATS:
        raise AuditArgumentError(
            f"--format '{args.format}' is not a format of the export: give jsonl or csv."
        )
    return since, until


async def run_audit(args: argparse.Namespace, settings: Settings) -> int:
    try:
        since, until = period_of(args)
    except AuditArgumentError as error:
        print(f"No export: {error}", file=sys.stderr)
        return 2
    try:
        client = await connect_temporal(settings)
        trails = await read_trails(client, settings.temporal_task_queue, since, until)
    except (RuntimeError, TemporalUnavailable):
        print(
            f"No export: Temporal does not answer at {settings.temporal_address} (namespace "
            f"{settings.temporal_namespace}); check TEMPORAL_ADDRESS and that the cluster runs.",
            file=sys.stderr,
        )
        return 1
    except TrailIncomplete as error:
        print(f"No export: {error}", file=sys.stderr)
        return 1
    rows = audit_rows(trails, since, until)
    sys.stdout.write(as_csv(rows) if args.format == "csv" else as_jsonl(rows))
    return 0
