"""Every path through the Conductor graph, taken by the Temporal workflow.

The paths come from walking conductor-definitions/review_approval.json; each SWITCH outcome is
brought about by the decisions listed in CAUSES. A path that ends without CompleteReview loops:
the submitter sends version 2, which is then approved.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from temporalio.client import Client

from slack_presentation.closing_sentences import update_ending, update_outcome
from tests.helpers import as_payload
from tests.workflow.conductor_paths import ConductorPath, iteration_paths, load_definition
from tests.workflow.review_harness import (
    OWNER,
    REVIEWERS,
    StandInActivities,
    decide,
    digest_of,
    running_review,
    status_of,
    submission,
    until_called,
)
from workflow.models import SIGNAL_SUBMIT_SCHEMA

PATHS = iteration_paths(load_definition())

# The decisions (stage -> verdict) that make a SWITCH take a branch; several entries are
# several ways to get there. Stages not named approve.
CAUSES: dict[str, list[dict[str, str]]] = {
    "Review1Check=YES": [{}],
    "Review1Check=default": [{"Review1.a": "reject"}, {"Review1.b": "reject"}],
    "Review2Check=YES": [{}],
    "Review2Check=NO": [
        {"Review1.a": "escalate"},
        {"Review1.b": "escalate"},
        {"Review2": "escalate"},
    ],
    "Review2Check=default": [{"Review2": "reject"}],
    "Review3Check=YES": [{}],
    "Review3Check=default": [{"Review3": "reject"}],
}


@dataclass(frozen=True)
class Scenario:
    path: ConductorPath
    verdicts: dict[str, str]

    def verdict(self, stage: str) -> str:
        return self.verdicts.get(stage, "approve")

    def rounds(self) -> list[list[str]]:
        """The review stages of the path, Review1's two forked seats as one round."""
        stages = [s.ref for s in self.path.simple_tasks() if s.name.startswith("Review")]
        first = [s for s in stages if s.startswith("Review1")]
        return [first] + [[s] for s in stages if s not in first]

    def __str__(self) -> str:
        changed = ", ".join(f"{stage} {verdict}s" for stage, verdict in self.verdicts.items())
        return f"{self.path} [{changed or 'all approve'}]"


def scenarios() -> list[Scenario]:
    found = []
    for path in PATHS:
        causes = [CAUSES[case] for case in path.cases()]
        combos: list[dict[str, str]] = [{}]
        for alternatives in causes:
            combos = [{**combo, **alt} for combo in combos for alt in alternatives]
        found += [Scenario(path, combo) for combo in combos]
    return found


APPROVE_PATH = next(p for p in PATHS if p.cases() == ["Review1Check=YES", "Review2Check=YES"])


def test_the_definition_has_the_five_paths_of_the_spec() -> None:
    assert sorted(str(p) for p in PATHS) == sorted(
        [
            "upload_schema > Review1.a > Review1.b > Review1Check=YES > Review2 >"
            " Review2Check=YES > CompleteReview_1",
            "upload_schema > Review1.a > Review1.b > Review1Check=YES > Review2 >"
            " Review2Check=NO > Review3 > Review3Check=YES > CompleteReview_2",
            "upload_schema > Review1.a > Review1.b > Review1Check=YES > Review2 >"
            " Review2Check=NO > Review3 > Review3Check=default",
            "upload_schema > Review1.a > Review1.b > Review1Check=YES > Review2 >"
            " Review2Check=default",
            "upload_schema > Review1.a > Review1.b > Review1Check=default",
        ]
    )


def expected_calls(path: ConductorPath, version: int) -> list[str]:
    calls = []
    for task in path.simple_tasks():
        if task.name == "upload_schema":
            calls.append(f"upload_schema v{version}")
        elif task.name == "CompleteReview":
            calls.append(f"finalize_review v{version}")
        else:
            calls.append(f"dispatch_review_request {task.ref} v{version}")
    return calls


def fork_order_ignored(calls: list[str]) -> list[str]:
    """Review1.a and Review1.b are requested in parallel: their order is not part of the path."""
    out: list[str] = []
    run: list[str] = []
    for call in [*calls, ""]:
        if call.startswith("dispatch_review_request Review1."):
            run.append(call)
            continue
        out += sorted(run) + ([call] if call else [])
        run = []
    return out


async def drive(handle, stand_in: StandInActivities, scenario: Scenario, version: int) -> list:
    """Decide each round of the path once its requests went out; returns (stage, verdict)s."""
    decided = []
    for stages in scenario.rounds():
        await until_called(stand_in, *[f"dispatch_review_request {s} v{version}" for s in stages])
        # A rejection is decided first: it must end the round without the other seat.
        for stage in sorted(stages, key=lambda s: scenario.verdict(s) != "reject"):
            outcome = await decide(handle, stage, scenario.verdict(stage), version=version)
            assert outcome.accepted
            decided.append((stage, version, scenario.verdict(stage)))
            if scenario.verdict(stage) == "reject":
                return decided
    return decided


@pytest.mark.parametrize("scenario", scenarios(), ids=str)
async def test_path(temporal_client: Client, scenario: Scenario) -> None:
    stand_in = StandInActivities()
    async with running_review(temporal_client, stand_in) as handle:
        decided = await drive(handle, stand_in, scenario, 1)
        expected = expected_calls(scenario.path, 1)
        final_version = 1
        if not scenario.path.completes:
            rejected_stage = decided[-1][0]
            await until_called(stand_in, f"record_revision_request {rejected_stage} v1")
            waiting = await status_of(handle)
            assert waiting.state == "awaiting_revision"
            assert waiting.revision_reason == (
                f"{REVIEWERS.for_stage(rejected_stage)} rejected version 1 at {rejected_stage}:"
                " Needs an index on sku."
            )
            await handle.signal(SIGNAL_SUBMIT_SCHEMA, as_payload(submission(2)))
            decided += await drive(handle, stand_in, Scenario(APPROVE_PATH, {}), 2)
            expected += [f"record_revision_request {rejected_stage} v1"]
            expected += expected_calls(APPROVE_PATH, 2)
            final_version = 2

        result = await handle.result()
        status = await status_of(handle)

    assert fork_order_ignored(stand_in.main_calls()) == fork_order_ignored(expected)
    assert result.approved_version == final_version
    assert result.digest == digest_of(final_version)
    assert result.rounds == final_version
    assert [
        (
            d.stage,
            d.version,
            "reject"
            if not d.approved
            else "escalate"
            if d.requires_additional_review
            else "approve",
        )
        for d in result.decisions
    ] == decided
    assert status.state == "approved"
    assert status.active_round is None and status.pending_reviewers == []
    assert status.history[-1].text.startswith(f"Version {final_version} approved")

    # Every decided request was rewritten with its outcome; the other Review1 seat of a
    # rejected round was told it is no longer needed. Once a round ended, every message of it
    # ends by saying how (none is left saying the review continues).
    def ending(version: int) -> str:
        rejection = next((d for d in decided if d[1] == version and d[2] == "reject"), None)
        if rejection is None:
            return f"Version {version} was approved; the review is complete."
        rejected = next(d for d in result.decisions if d.version == version and not d.approved)
        return (
            f"Version {version} was rejected by {rejected.reviewer} at {rejected.stage};"
            f" {OWNER} was asked for a new version."
        )

    wanted = {}
    for stage, version, verdict in decided:
        who = REVIEWERS.for_stage(stage)
        outcome = {
            "approve": f"Approved by {who}",
            "escalate": f"Escalated by {who}",
            "reject": f"Rejected by {who}: Needs an index on sku",
        }[verdict]
        wanted[(stage, version)] = (outcome, False, ending(version))
    first_round_rejection = next(
        (d for d in decided if d[1] == 1 and d[0].startswith("Review1") and d[2] == "reject"), None
    )
    if first_round_rejection:
        other = "Review1.b" if first_round_rejection[0] == "Review1.a" else "Review1.a"
        rejecter = REVIEWERS.for_stage(first_round_rejection[0])
        wanted[(other, 1)] = (
            f"No longer needed: {rejecter} rejected at {first_round_rejection[0]}",
            False,
            ending(1),
        )
    updates = stand_in.message_updates()
    last = {
        (u.stage, u.version): (update_outcome(u), u.review_continues, update_ending(u))
        for u in updates
    }
    assert last == wanted
    assert all(u.messages for u in updates)
