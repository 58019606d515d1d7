"""Debian's Chromium, driven headless by Playwright: never a browser Playwright downloads."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, ConsoleMessage, Page, async_playwright, expect

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
# Each step waits for Temporal and the bot; generous, since expect() returns as soon as it holds.
STEP_TIMEOUT_MS = 15_000


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    if found is None:
        # Never a skip: CI must run the browser test, so a missing browser is a failure.
        pytest.fail(
            "Chromium is not installed, and the browser tests need it: run "
            "`apt-get install chromium` (Debian's package; `.ci/run` does this).",
            pytrace=False,
        )
    return found


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    expect.set_options(timeout=STEP_TIMEOUT_MS)
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def page(browser: Browser) -> AsyncIterator[Page]:
    """A fresh page; JavaScript errors on it fail the test that used it."""
    context = await browser.new_context(viewport={"width": 1440, "height": 900})
    opened = await context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))

    def console(message: ConsoleMessage) -> None:
        # A refused request is the page's business (it shows a banner), not a script error.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    opened.on("console", console)
    try:
        yield opened
    finally:
        await context.close()
    assert not errors, f"The page reported JavaScript errors: {errors}"
