"""A review policy and break glass as people meet them in the sandbox page: a first round that
needs two approvals of a pool of three, the third member's request closing as not needed, and
an admin approving the senior round by override from `/schema-status`, the owner told."""

from __future__ import annotations

import uuid

from playwright.async_api import expect

from tests.browser.sandbox_page import SandboxPage
from tests.browser.test_review_in_browser import decide, sandbox
from tests.fixtures.bot_stack import BotStack
from workflow.policy_contract import ReviewPolicy, StagePolicy

__all__ = ["sandbox"]

POOL = ["alice@example.com", "bob@example.com", "frank@example.com"]
REASON = "INC-4711: consumers are down until this ships"


async def test_two_of_three_first_round_then_an_override_by_an_admin(
    sandbox: SandboxPage, bot_stack: BotStack
) -> None:
    schema_id = f"payments-{uuid.uuid4().hex[:8]}"
    v1 = f"Schema review: {schema_id} v1"
    await bot_stack.submit(
        schema_id, policy=ReviewPolicy(Review1=StagePolicy(reviewers=POOL, approvals=2))
    )

    # Two of the three approve by clicking; the third's request closes, not needed.
    await decide(sandbox, "Alice Anders", v1, "Approve")
    await decide(sandbox, "Bob Brandt", v1, "Approve")
    await sandbox.sign_in_as("Frank Fischer")
    await sandbox.go_to("Schema Approvals")
    franks = sandbox.message(v1)
    await expect(franks).to_contain_text("Not needed: approved by @Alice Anders and @Bob Brandt")
    await expect(franks.get_by_role("button")).to_have_count(0)
    await sandbox.screenshot("third-not-needed")

    # Carol, the senior, is asked next; an admin approves her round by override instead.
    await sandbox.sign_in_as("Erin Evans")
    await sandbox.go_to("Schema Approvals")
    await sandbox.send(f"/schema-status {schema_id}")
    status = sandbox.ephemerals().filter(has_text=f"{schema_id} · version 1")
    await expect(status).to_contain_text("Review1 · approved · 2 of 2 approvals")
    await expect(status).to_contain_text("still asked: @Carol Chen")
    await status.get_by_role("button", name="Approve now (override)").click()
    dialog = sandbox.dialog("Approve now (override)")
    await expect(dialog.get_by_label("This stage (Review2)")).to_be_checked()
    await dialog.get_by_label("Reason (required)").fill(REASON)
    await sandbox.screenshot("override-dialog")
    await dialog.get_by_role("button", name="Approve now").click()
    await expect(dialog).to_be_hidden()
    told = sandbox.ephemerals().filter(has_text="Approved by override")
    await expect(told).to_contain_text("Review2 of version 1 approved by override by @Erin Evans")

    # The owner is told who overrode the review and why.
    await sandbox.sign_in_as("Olivia Owner")
    await sandbox.go_to("Schema Approvals")
    await expect(sandbox.message("approved by override by")).to_contain_text(REASON)
    await sandbox.screenshot("owner-told")
