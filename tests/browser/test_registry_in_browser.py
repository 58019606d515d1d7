"""A new user's first approval reaching the schema registry: `python -m bot run` as the README
runs it (its own Temporal, the local registry, the sandbox), the `order-placed` example approved
by clicking in the page, the owner told where it is registered, the page's registry panel
listing it."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.async_api import Page, expect

from tests.bot.processes.run_command import run_command, stop_with_ctrl_c
from tests.browser.sandbox_page import REPO, SCREENSHOTS, SandboxPage
from tests.browser.test_review_in_browser import decide

README_SCREENSHOT = (
    REPO / "docs" / "screenshots" / "sandbox-registered.png"
    if os.environ.get("UPDATE_README_SCREENSHOT") == "1"
    else None
)
# What the issue promises a new user: the registration named within a minute of the approval.
WITHIN_A_MINUTE_MS = 60_000


async def test_an_approved_example_is_registered_and_listed(page: Page, tmp_path: Path) -> None:
    async with run_command(tmp_path / ".data", tmp_path) as running:
        sandbox = SandboxPage(
            page,
            running.sandbox_url.rstrip("/"),
            shots_dir=SCREENSHOTS / "an_approved_example_is_registered_and_listed",
        )
        await sandbox.open()
        panel = page.get_by_role("region", name="Schema registry")
        await expect(panel).to_contain_text("No subjects yet")

        example = await sandbox.example_url("Order placed (Avro record)")
        await sandbox.send(f"/submit-schema order-placed 1 {example} Order events")
        await expect(sandbox.ephemerals().filter(has_text="Review started")).to_be_visible()
        for person in ("Alice Anders", "Bob Brandt", "Carol Chen"):
            await decide(sandbox, person, "Schema review: order-placed v1", "Approve")

        await sandbox.sign_in_as("Olivia Owner")
        notice = sandbox.message("order-placed v1", "approved")
        await expect(notice).to_contain_text(
            "Registered as order-placed-value version 1 (id 1)", timeout=WITHIN_A_MINUTE_MS
        )
        # The registry's name for it is code, as the owner will paste it into a client's config.
        await expect(notice.locator("code", has_text="order-placed-value")).to_be_visible()
        subject = panel.get_by_role("listitem").filter(has_text="order-placed-value")
        await expect(subject).to_have_count(1)
        await expect(
            subject.get_by_role("list", name="Versions of order-placed-value")
        ).to_have_text("v1 (id 1)")
        await notice.scroll_into_view_if_needed()
        await panel.scroll_into_view_if_needed()
        await sandbox.screenshot("owner-sees-the-registration", also=README_SCREENSHOT)
        said = await stop_with_ctrl_c(running)
        assert running.process.returncode == 0, said
