"""`/submit-schema` with text, run in the Slack stand-in against the real bot and workflow."""

from __future__ import annotations

import socket
import uuid

from temporalio.client import Client, WorkflowExecutionStatus

from bot.slack_app.services.command_parsing import SUBMIT_USAGE
from bot.slack_app.services.submit_replies import TEMPORAL_DOWN
from slack_sandbox.interactions import source_buttons
from slack_sandbox.records import Ephemeral
from tests.bot.slack_app.command_runs import assert_no_review, run_command
from tests.bot.slack_app.test_buttons import approve_every_stage
from tests.fixtures.bot_stack import INVENTORY_V1, OWNER, BotStack, inventory_version
from tests.helpers import eventually
from workflow.models import REVIEW_1A, REVIEW_1B, workflow_id_for

ALICE, BOB, CAROL = "alice@example.com", "bob@example.com", "carol@example.com"
ADMIN = "erin@example.com"


def new_schema_id() -> str:
    return f"orders-{uuid.uuid4().hex[:10]}"


async def submit_by_command(
    stack: BotStack, schema_id: str, version: int, email: str = OWNER, words: str = ""
) -> Ephemeral:
    url = stack.put_schema(f"{schema_id}-v{version}.json", inventory_version(version))
    text = f"{schema_id} {version} {url} {words}".strip()
    return await run_command(stack, email, "/submit-schema", text)


async def test_submit_by_command_starts_the_review(bot_stack: BotStack) -> None:
    schema_id = new_schema_id()

    reply = await submit_by_command(bot_stack, schema_id, 1, words="First cut of orders")

    assert f"Review started for *{schema_id}* version 1" in reply.text
    alice, bob = bot_stack.user_id(ALICE), bot_stack.user_id(BOB)
    assert f"<@{alice}> and <@{bob}> are asked first (Review1)." in reply.text
    assert f"/schema-status {schema_id}" in reply.text
    assert f"/workflows/{workflow_id_for(schema_id)}" in reply.text
    # Both Review1 reviewers get their request with buttons, for version 1.
    await bot_stack.review_message(ALICE, stage=REVIEW_1A)
    await bot_stack.review_message(BOB, stage=REVIEW_1B)
    status = await bot_stack.status(workflow_id_for(schema_id))
    assert (status.submitted_by, status.description) == (OWNER, "First cut of orders")


async def test_higher_version_by_command_supersedes_the_running_one(
    bot_stack: BotStack,
) -> None:
    schema_id = new_schema_id()
    await submit_by_command(bot_stack, schema_id, 1)
    first = await bot_stack.review_message(ALICE, version=1)

    reply = await submit_by_command(bot_stack, schema_id, 2, words="Adds a currency")

    assert f"Version 2 of *{schema_id}* went to the running review" in reply.text
    assert "it was at version 1" in reply.text
    await bot_stack.review_message(ALICE, version=2)

    async def superseded() -> None:
        old = bot_stack.standin.state.find_message(first.channel, first.ts)
        assert old is not None and not source_buttons(old), "version 1's request still has buttons"

    await eventually(superseded)
    assert (await bot_stack.status(workflow_id_for(schema_id))).version == 2


async def test_version_not_higher_is_refused_and_changes_nothing(bot_stack: BotStack) -> None:
    schema_id = new_schema_id()
    await submit_by_command(bot_stack, schema_id, 3)
    await bot_stack.review_message(ALICE, version=3)

    reply = await submit_by_command(bot_stack, schema_id, 3)

    assert "Not submitted" in reply.text
    assert "is in review at version 3: submit a version higher than 3" in reply.text
    assert SUBMIT_USAGE in reply.text
    status = await bot_stack.status(workflow_id_for(schema_id))
    assert status.version == 3
    assert not any("Ignored" in h.text for h in status.history), "the signal was sent anyway"


async def test_only_the_submitter_or_an_admin_submits_the_next_version(
    bot_stack: BotStack,
) -> None:
    # The bot reads its settings per request, so configuring the admin here takes effect.
    bot_stack.settings.slack_admins = [ADMIN]
    schema_id = new_schema_id()
    await submit_by_command(bot_stack, schema_id, 1)
    workflow_id = workflow_id_for(schema_id)

    refused = await submit_by_command(bot_stack, schema_id, 2, email=CAROL)

    assert "Not submitted" in refused.text
    owner = bot_stack.user_id(OWNER)
    assert f"was submitted by <@{owner}>: only they or an admin" in refused.text
    assert (await bot_stack.status(workflow_id)).version == 1

    accepted = await submit_by_command(bot_stack, schema_id, 2, email=ADMIN)

    assert "went to the running review" in accepted.text
    assert (await bot_stack.status(workflow_id)).version == 2
    # The owner is told, in their direct messages, who replaced their version.
    told = [
        m.text
        for m in bot_stack.standin.messages_in(owner)
        if f"submitted version 2 of your schema *{schema_id}*" in m.text
    ]
    assert told == [
        f":information_source: <@{bot_stack.user_id(ADMIN)}> submitted version 2 of your schema"
        f" *{schema_id}*; it replaces version 1 in review, which starts again from the first"
        f" round. You still own the schema: `/schema-status {schema_id}` shows the review."
    ]


async def test_bad_text_gets_the_reason_and_usage_and_starts_nothing(
    bot_stack: BotStack,
) -> None:
    schema_id = new_schema_id()
    url = bot_stack.put_schema(f"{schema_id}.json", INVENTORY_V1)
    cases = {
        f'"" 1 {url}': "The schema id is empty.",
        f"{schema_id} two {url}": "'two' is not a version: give a whole number of 1 or more",
        f"{schema_id} ² {url}": "'²' is not a version: give a whole number of 1 or more",
        f"{schema_id} 0 {url}": "Version 0 is too low: versions start at 1.",
        f"{schema_id} 1 ftp://example.com/orders.json": "'ftp://example.com/orders.json' is not"
        " an http(s) URL",
        f"{schema_id} 1": "The content URL is missing",
    }
    for text, reason in cases.items():
        reply = await run_command(bot_stack, OWNER, "/submit-schema", text)
        assert reply.text.startswith("Not submitted:"), reply.text
        assert reason in reply.text, f"{text!r} got: {reply.text}"
        assert SUBMIT_USAGE in reply.text
    await assert_no_review(bot_stack, schema_id)


async def test_a_new_version_after_approval_starts_a_new_review(bot_stack: BotStack) -> None:
    workflow_id = await bot_stack.submit()
    schema_id = workflow_id.removeprefix(workflow_id_for(""))
    await approve_every_stage(bot_stack, workflow_id)

    same = await submit_by_command(bot_stack, schema_id, 1)
    assert "Version 1 of " in same.text and "was approved already" in same.text
    assert "Not submitted" in same.text

    reply = await submit_by_command(bot_stack, schema_id, 2)

    assert "was approved already; a new version starts a new review" in reply.text
    description = await bot_stack.handle(workflow_id).describe()
    assert description.status == WorkflowExecutionStatus.RUNNING
    await bot_stack.review_message(ALICE, version=2)


async def test_temporal_unreachable_says_nothing_was_submitted(bot_stack: BotStack) -> None:
    # A port nobody listens on: every call fails as it would with Temporal down.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_address = f"127.0.0.1:{probe.getsockname()[1]}"
    unreachable = await Client.connect(dead_address, lazy=True)
    server = await bot_stack.start_bot(unreachable)
    bot_stack.standin.point_at_bot(server.events_url)
    schema_id = new_schema_id()

    reply = await submit_by_command(bot_stack, schema_id, 1)

    assert reply.text == TEMPORAL_DOWN
    await assert_no_review(bot_stack, schema_id)
    status = await run_command(bot_stack, OWNER, "/schema-status", schema_id)
    assert "did not answer, so no status can be shown" in status.text
