"""`/schema-away` and `/schema-status policy`, through signed requests from the Slack stand-in
to the real bot, worker and Temporal: an absence set and ended, refusals, a delegate deciding
for someone away, and which rule of the policy file applies to a schema."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from temporalio.service import RPCError

from bot.reviews.away_client import people_away_workflow_id
from slack_presentation.review_actions import ACTION_APPROVE
from tests.bot.slack_app.command_runs import run_command
from tests.fixtures.bot_stack import OWNER, BotStack, inventory_version
from workflow.models import REVIEW_2, workflow_id_for

ALICE, BOB, CAROL, ERIN = (
    "alice@example.com",
    "bob@example.com",
    "carol@example.com",
    "erin@example.com",
)


def in_days(days: int) -> date:
    return datetime.now(UTC).date() + timedelta(days=days)


@pytest.fixture
async def stack(bot_stack: BotStack) -> AsyncIterator[BotStack]:
    yield bot_stack
    away = bot_stack.handle(people_away_workflow_id(bot_stack.settings.temporal_task_queue))
    # Not found when the test never set anyone away.
    with contextlib.suppress(RPCError):
        await away.terminate("test finished")


async def test_a_delegate_decides_for_someone_away_and_the_decision_counts(
    stack: BotStack,
) -> None:
    until = in_days(30)
    erin = stack.user_id(ERIN)

    said = await run_command(stack, CAROL, "/schema-away", f"until {until} delegate <@{erin}>")

    assert f"{CAROL} is away until {until}; {ERIN} decides for them meanwhile." in said.text
    assert "in your time zone (Europe/Amsterdam)" in said.text
    listed = await run_command(stack, OWNER, "/schema-away", "")
    assert f"{CAROL} until {until}: {ERIN} decides for them" in listed.text

    schema_id = f"orders-{uuid.uuid4().hex[:10]}"
    url = stack.put_schema(f"{schema_id}-v1.json", inventory_version(1))
    await run_command(stack, OWNER, "/submit-schema", f"{schema_id} 1 {url}")
    for email in (ALICE, BOB):
        message = await stack.review_message(email)
        assert (await stack.click(email, message, ACTION_APPROVE)).status == 200

    request = await stack.review_message(ERIN, stage=REVIEW_2)
    assert f"For <@{stack.user_id(CAROL)}>, who is away until {until}." in request.text
    assert (await stack.click(ERIN, request, ACTION_APPROVE)).status == 200

    result = await stack.result(workflow_id_for(schema_id))
    assert result.approved_version == 1
    assert (REVIEW_2, ERIN) in [(d.stage, d.reviewer) for d in result.decisions]


async def test_away_off_ends_it_and_what_cannot_be_is_refused(stack: BotStack) -> None:
    erin, carol = stack.user_id(ERIN), stack.user_id(CAROL)

    past = await run_command(stack, CAROL, "/schema-away", f"until {in_days(-3)} delegate {ERIN}")
    assert "Nothing changed:" in past.text and "has passed already" in past.text
    self_ = await run_command(
        stack, CAROL, "/schema-away", f"until {in_days(3)} delegate <@{carol}>"
    )
    assert "You cannot stand in for yourself" in self_.text
    await run_command(stack, ERIN, "/schema-away", f"until {in_days(9)} delegate {ALICE}")
    busy = await run_command(stack, CAROL, "/schema-away", f"until {in_days(3)} delegate <@{erin}>")
    assert f"{ERIN} is away too (until {in_days(9)})" in busy.text
    garbled = await run_command(stack, CAROL, "/schema-away", "until christmas delegate erin")
    assert "'christmas' is not a date: write it as 2026-12-24" in garbled.text
    assert "'erin' is not a person" in garbled.text

    back = await run_command(stack, ERIN, "/schema-away", "off")
    assert "Welcome back." in back.text
    again = await run_command(stack, ERIN, "/schema-away", "off")
    assert f"Nothing changed: {ERIN} is not marked away" in again.text
    nobody = await run_command(stack, OWNER, "/schema-away", "")
    assert "Nobody is marked away." in nobody.text


async def test_schema_status_policy_says_which_rule_applies_and_why(
    stack: BotStack, tmp_path: Path
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[[rule]]\nschemas = "payments-eu-*"\ncompatibility_mode = "FULL"\n'
        '[[rule]]\nschemas = "payments-*"\n[rule.policy.Review1]\n'
        f'reviewers = ["{ALICE}", "{BOB}", "{ERIN}"]\napprovals = 2\n'
    )
    stack.settings.review_policy_file = policy

    eu = await run_command(stack, OWNER, "/schema-status", "policy payments-eu-cards")
    us = await run_command(stack, OWNER, "/schema-status", "policy payments-us-cards")
    other = await run_command(stack, OWNER, "/schema-status", "policy orders")
    wrong = await run_command(stack, OWNER, "/schema-status", "policy")

    assert "Rule 1 applies to *payments-eu-cards*: its pattern `payments-eu-*`" in eu.text
    assert "Compatibility mode: FULL" in eu.text
    assert "Rule 2 applies to *payments-us-cards*" in us.text
    assert f"Review1: 2 of {ALICE}, {BOB}, {ERIN}" in us.text
    assert "No rule: the defaults. No rule of the policy file matches *orders*" in other.text
    assert "`policy` takes one schema id" in wrong.text


async def test_a_submission_by_command_starts_with_its_schema_s_rule(
    stack: BotStack, tmp_path: Path
) -> None:
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[[rule]]\nschemas = "payments-*"\n[rule.reviewers]\n'
        f'reviewer_a = "{BOB}"\nreviewer_b = "{ALICE}"\n'
        f'senior_reviewer = "{ERIN}"\ncompliance_reviewer = "dave@example.com"\n'
    )
    stack.settings.review_policy_file = policy
    schema_id = f"payments-{uuid.uuid4().hex[:10]}"
    url = stack.put_schema(f"{schema_id}-v1.json", inventory_version(1))

    await run_command(stack, OWNER, "/submit-schema", f"{schema_id} 1 {url}")

    status = await stack.status(workflow_id_for(schema_id))
    assert (status.reviewers.reviewer_a, status.reviewers.senior_reviewer) == (BOB, ERIN)
