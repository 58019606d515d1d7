""" "Retry registration" on `/schema-status`, end to end: a review whose approved version the
schema registry refused shows it to everyone, sends it for an admin (or the owner) and tells
the clicker what came of it, and refuses anyone else with a sentence."""

from __future__ import annotations

import json
import uuid

from slack_presentation.registration_blocks import RETRY_REGISTRATION_ACTION
from tests.bot.slack_app.reassign_runs import status_reply
from tests.bot.slack_app.test_buttons import ephemeral_to
from tests.fixtures.bot_stack import ADMIN_EMAIL, OWNER, ROSTER, BotStack
from tests.helpers import new_worker
from tests.workflow.review_harness import (
    REVIEWERS,
    StandInActivities,
    decide,
    submission,
    until_called,
)
from tests.workflow.stand_in_registry import SUBJECT, StandInRegistry, registry_error
from tests.workflow.test_registration import CONFLICT, approved_not_registered
from workflow.models import ReviewInput, workflow_id_for
from workflow.registry_contract import REGISTRY_CONFLICT
from workflow.schema_approval import SchemaApprovalWorkflow

ALICE = ROSTER.reviewer_a


async def test_an_admin_retries_the_registration_and_anyone_else_is_refused(
    bot_stack: BotStack,
) -> None:
    # The review runs on a worker whose registry refused the approved version with a conflict.
    registry = StandInRegistry(failing=registry_error(REGISTRY_CONFLICT, CONFLICT))
    stand_in = StandInActivities(registry=registry)
    schema_id = f"inventory-{uuid.uuid4().hex[:8]}"
    workflow_id = workflow_id_for(schema_id)
    temporal = bot_stack.temporal
    async with new_worker(temporal, SchemaApprovalWorkflow, activities=stand_in.activities()) as w:
        handle = await temporal.start_workflow(
            SchemaApprovalWorkflow.run,
            ReviewInput(submission=submission(1, schema_id), reviewers=REVIEWERS),
            id=workflow_id,
            task_queue=w.task_queue,
        )
        await until_called(stand_in, "dispatch_review_request Review1.a v1")
        await decide(handle, "Review1.a")
        await decide(handle, "Review1.b")
        await until_called(stand_in, "dispatch_review_request Review2 v1")
        await decide(handle, "Review2")
        await approved_not_registered(handle)

        # A reviewer sees the state and the button, but may not use it.
        alices = await status_reply(bot_stack, ALICE, workflow_id)
        shown = json.dumps(alices.blocks)
        assert "Approved, not registered" in shown and RETRY_REGISTRATION_ACTION in shown
        clicked = await bot_stack.standin.click_button(
            bot_stack.user_id(ALICE), alices.channel, alices.ts, RETRY_REGISTRATION_ACTION
        )
        assert clicked.status == 200
        refusal = await ephemeral_to(bot_stack, ALICE, "may retry its registration")
        assert refusal == (
            f"Only <@{bot_stack.user_id(OWNER)}>, who submitted {schema_id}, or an admin may"
            " retry its registration."
        )
        assert (await handle.query(SchemaApprovalWorkflow.status)).state == (
            "approved_not_registered"
        )
        assert len(registry.requests) == 1

        # The conflicting version is gone from the subject; the admin asks again.
        registry.failing = None
        admins = await status_reply(bot_stack, ADMIN_EMAIL, workflow_id)
        clicked = await bot_stack.standin.click_button(
            bot_stack.user_id(ADMIN_EMAIL), admins.channel, admins.ts, RETRY_REGISTRATION_ACTION
        )
        assert clicked.status == 200
        answer = await ephemeral_to(bot_stack, ADMIN_EMAIL, "Registered:")
        result = await handle.result()
        # The finished review's status names where the registry holds it (a query of a closed
        # review is answered by its worker).
        final = await status_reply(bot_stack, OWNER, workflow_id)

    assert answer == f"Registered: version 1 of {schema_id} is {SUBJECT} version 4 (id 100)."
    assert result.registry is not None and result.registry.version == 4
    assert len(registry.requests) == 2 and len(registry.held) == 1
    assert f"`{SUBJECT}` version 4 (id 100)" in json.dumps(final.blocks)
