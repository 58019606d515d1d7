"""What the bot says of the schema registry: `/schema-status` warns that approvals wait while
the registry does not answer (as the web process last checked it, at most once a minute), and
the check before "Review started" refuses what the registry could not take, in the upload's
words, before anything starts."""

from __future__ import annotations

import json
import uuid

from bot.processes.web import start_http
from bot.reviews.document_check import document_refusal
from bot.runtime.registry_health import RECHECK_SECONDS, RegistryHealth
from bot.runtime.settings import Settings
from bot.slack_app.app import build_app
from bot.slack_app.deps import BotDeps
from registry_sandbox import RegistrySandbox
from schemas.registry_access import RegistryAccess
from slack_api.people import SlackPeople
from tests.activities.registry_documents import order_placed, register_versions, text_of
from tests.bot.slack_app.command_runs import run_command
from tests.fixtures.bot_stack import OWNER, ROSTER, BotStack
from workflow.models import ReviewInput, Submission, workflow_id_for

NOT_ANSWERING = "is not answering: approvals wait to be registered."


async def test_status_says_approvals_wait_once_a_recheck_finds_the_registry_silent(
    bot_stack: BotStack,
) -> None:
    now = [1000.0]
    registry = RegistrySandbox(port=0)
    await registry.start()
    url = registry.url
    health = RegistryHealth(RegistryAccess(url, timeout_seconds=2.0), clock=lambda: now[0])
    assert await health.check() is None
    deps = BotDeps(settings=bot_stack.settings, temporal=bot_stack.temporal, people=SlackPeople())
    deps.registry = health
    bot = await start_http(build_app(deps), "127.0.0.1", 0)
    try:
        bot_stack.standin.point_at_bot(bot.events_url)
        workflow_id = await bot_stack.submit()
        schema_id = workflow_id.removeprefix(workflow_id_for(""))

        answering = await run_command(bot_stack, OWNER, "/schema-status", schema_id)
        await registry.stop()
        now[0] += RECHECK_SECONDS / 2
        remembered = await run_command(bot_stack, OWNER, "/schema-status", schema_id)
        now[0] += RECHECK_SECONDS
        silent = await run_command(bot_stack, OWNER, "/schema-status", schema_id)
    finally:
        await bot.stop()
        await registry.stop()

    assert NOT_ANSWERING not in json.dumps(answering.blocks)
    assert NOT_ANSWERING not in json.dumps(remembered.blocks)
    shown = json.dumps(silent.blocks, ensure_ascii=False)
    assert f"The schema registry at {url} {NOT_ANSWERING}" in shown


def with_registry(settings: Settings, url: str) -> Settings:
    return settings.model_copy(update={"schema_registry_url": url})


def review_of(url: str, version: int, schema_id: str = "order-placed") -> ReviewInput:
    return ReviewInput(
        submission=Submission(schema_id, version, "Order placed", url, OWNER), reviewers=ROSTER
    )


async def test_the_check_before_review_started_refuses_what_the_registry_cannot_take(
    bot_stack: BotStack,
) -> None:
    async with RegistrySandbox(port=0) as registry:
        await register_versions(registry.url, 14)
        settings = with_registry(bot_stack.settings, registry.url)
        behind = bot_stack.put_schema(f"op-{uuid.uuid4().hex[:6]}.json", text_of(order_placed(15)))
        data = bot_stack.put_schema(f"data-{uuid.uuid4().hex[:6]}.json", {"sku": "SKU-1"})

        too_low = await document_refusal(settings, review_of(behind, 3), None)
        high_enough = await document_refusal(settings, review_of(behind, 15), None)
        plain_json = await document_refusal(settings, review_of(data, 1, "stock-level"), None)

    assert too_low == (
        "order-placed-value holds versions up to 14 in the schema registry: submit version 15"
        " or higher."
    )
    assert high_enough is None
    assert plain_json is not None
    assert plain_json.startswith("the document at ")
    assert "is JSON, and the schema registry holds only schemas" in plain_json


async def test_a_silent_registry_leaves_its_rules_to_the_upload(bot_stack: BotStack) -> None:
    async with RegistrySandbox(port=0) as registry:
        url = registry.url
    settings = with_registry(bot_stack.settings, url)
    document = bot_stack.put_schema(f"op-{uuid.uuid4().hex[:6]}.json", text_of(order_placed(1)))

    assert await document_refusal(settings, review_of(document, 1), None) is None
