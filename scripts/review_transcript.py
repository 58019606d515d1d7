"""A whole review through the bot's HTTP endpoint, printed as people see it in Slack.

Starts the same stack as `python -m bot` (embedded Temporal, worker, bot, Slack sandbox) on free
ports, then the sandbox's people do what people do: the owner submits with `/submit-schema`,
Alice approves, Bob rejects with a reason typed into the modal, the owner submits version 2,
both approve, Carol escalates, Dave approves. Every click and command is a signed request to the
bot's `/slack/events`. Prints each step, then every message as it was posted and as updated.

    uv run python scripts/review_transcript.py
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from slack_presentation.review_actions import ACTION_APPROVE, ACTION_ESCALATE, ACTION_REJECT
from slack_sandbox.examples import EXAMPLES
from slack_sandbox.records import Message, MessageRevision
from tests.fixtures.slack_standin import SlackStandInForTests
from tests.fixtures.throwaway_stack import throwaway_stack

OWNER, ALICE, BOB = "owner@example.com", "alice@example.com", "bob@example.com"
CAROL, DAVE = "carol@example.com", "dave@example.com"


async def until(found: Callable[[], Any], within: float = 30.0) -> Any:
    deadline = time.monotonic() + within
    while not (value := found()):
        if time.monotonic() > deadline:
            raise TimeoutError("the stack did not answer in time")
        await asyncio.sleep(0.02)
    return value


def has_buttons(message: Message) -> bool:
    return any(block.get("type") == "actions" for block in message.blocks)


def open_request(
    sandbox: SlackStandInForTests, email: str, version: int
) -> Callable[[], Message | None]:
    def find() -> Message | None:
        user = sandbox.user_by_email(email)
        for message in sandbox.messages_in(user.id):
            if has_buttons(message) and f"v{version}" in plain(message.blocks, message.text):
                return message
        return None

    return find


async def click(sandbox: SlackStandInForTests, email: str, version: int, action: str) -> Message:
    message = await until(open_request(sandbox, email, version))
    user = sandbox.user_by_email(email)
    result = await sandbox.click_button(user.id, message.channel, message.ts, action)
    print(
        f"· {user.real_name} clicks {action.removeprefix('review_').title()}: HTTP {result.status}"
    )
    return message


async def command(sandbox: SlackStandInForTests, email: str, text: str) -> None:
    user = sandbox.user_by_email(email)
    result = await sandbox.run_slash_command(user.id, "/submit-schema", text)
    print(f"· {user.real_name} runs /submit-schema {text}: HTTP {result.status}")


async def reject(sandbox: SlackStandInForTests, email: str, version: int, reason: str) -> None:
    await click(sandbox, email, version, ACTION_REJECT)
    user = sandbox.user_by_email(email)
    modal = (await until(lambda: sandbox.open_modals_of(user.id)))[-1]
    field = next(b["block_id"] for b in modal.blocks if b.get("type") == "input")
    result = await sandbox.submit_view(user.id, modal.id, {field: reason})
    print(f"· {user.real_name} types the reason {reason!r} and submits: HTTP {result.status}")


def plain(blocks: list[dict[str, Any]], fallback: str) -> str:
    """Block Kit as a reader sees it, one line per block."""
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind in ("header", "section") and block.get("text"):
            lines.append(block["text"]["text"])
        if kind == "section":
            lines += [f["text"].replace("\n", ": ", 1) for f in block.get("fields", [])]
        if kind == "context":
            lines.append(" ".join(e.get("text", "") for e in block.get("elements", [])))
        if kind == "actions":
            labels = [e["text"]["text"] for e in block["elements"] if e.get("type") == "button"]
            lines.append("  ".join(f"[{label}]" for label in labels))
        if kind == "divider":
            lines.append("―" * 20)
    return "\n".join(lines) or fallback


def show_revision(label: str, revision: MessageRevision) -> None:
    print(f"  -- {label}")
    for line in plain(revision.blocks, revision.text).splitlines():
        print(f"     {line}")


def show_messages(sandbox: SlackStandInForTests) -> None:
    for user in sandbox.state.users:
        messages = sandbox.messages_in(user.id)
        if not messages:
            continue
        print(f"\n=== Direct messages of {user.real_name} ({user.email})")
        for message in messages:
            first, *updates = message.revisions
            show_revision("posted", first)
            for n, revision in enumerate(updates, 1):
                show_revision(f"updated ({n})", revision)
        for ephemeral in sandbox.ephemerals_for(user.id):
            print(f"  -- only visible to {user.real_name}: {ephemeral.text}")


async def main() -> None:
    async with throwaway_stack() as (running, sandbox):
        assert running.bot_http is not None
        print(f"Bot endpoint: {running.bot_http.events_url}\n")
        v1, v2 = EXAMPLES[0], EXAMPLES[1]
        await command(sandbox, OWNER, v1.command(sandbox.url).removeprefix("/submit-schema "))
        await click(sandbox, ALICE, 1, ACTION_APPROVE)
        await reject(sandbox, BOB, 1, "quantity must stay an integer")
        await until(
            lambda: (
                "quantity must stay" in str(sandbox.messages_in(sandbox.user_by_email(OWNER).id))
            )
        )
        await command(sandbox, OWNER, v2.command(sandbox.url).removeprefix("/submit-schema "))
        await click(sandbox, ALICE, 2, ACTION_APPROVE)
        await click(sandbox, BOB, 2, ACTION_APPROVE)
        await click(sandbox, CAROL, 2, ACTION_ESCALATE)
        await click(sandbox, DAVE, 2, ACTION_APPROVE)
        handle = running.temporal.get_workflow_handle(f"schema-approval-{v1.schema_id}")
        result = await asyncio.wait_for(handle.result(), timeout=30)
        print(f"\nWorkflow result: {result}")
        show_messages(sandbox)


if __name__ == "__main__":
    asyncio.run(main())
    sys.stdout.flush()
    # temporalio can abort during interpreter finalization (sdk-python#300); the work is done.
    os._exit(0)
