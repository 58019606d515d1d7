"""The sandbox page as a person uses it: who they are, where they look, what they type."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

from playwright.async_api import Locator, Page, expect

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"


class SandboxPage:
    def __init__(self, page: Page, base_url: str, *, shots_dir: Path = SCREENSHOTS) -> None:
        self.page = page
        self.base_url = base_url
        self.shots_dir = shots_dir
        self._shots = 0

    async def open(self) -> None:
        await self.page.goto(self.base_url + "/")
        await expect(self.page.get_by_role("status")).to_have_text("Live")

    async def sign_in_as(self, real_name: str) -> None:
        # The switcher says "Alice Anders · Review1.a": pick the person by their name.
        switcher = self.page.get_by_label("Current user")
        value = await switcher.locator("option", has_text=real_name).first.get_attribute("value")
        assert value, f"Nobody called {real_name!r} in the user switcher"
        await switcher.select_option(value=value)
        await expect(self.page.get_by_role("status")).to_have_text("Live")
        await expect(self.page).to_have_title(re.compile(re.escape(real_name)))

    async def go_to(self, name: str) -> None:
        """A sidebar entry: "Home", "schema-reviews" or "Schema Approvals" (the app's DM)."""
        sidebar = self.page.get_by_role("navigation", name="Conversations")
        link = sidebar.get_by_role("link", name=name)
        await link.click()
        # The entry the page shows is marked current ("Schema Approvals" is also in the
        # Home tab's heading, so the heading alone would not tell).
        await expect(link).to_have_attribute("aria-current", "page")
        await expect(self.page.get_by_role("heading", level=1)).to_contain_text(name)

    async def send(self, text: str) -> None:
        box = self.page.get_by_label("Message", exact=True)
        await box.fill(text)
        await box.press("Enter")
        await expect(box).to_have_value("")

    def messages(self, *containing: str) -> Locator:
        """The messages in the open conversation whose text contains each of `containing`."""
        found = self.page.locator("article.message")
        for text in containing:
            found = found.filter(has_text=text)
        return found

    def message(self, *containing: str) -> Locator:
        """The newest of `messages(*containing)`."""
        return self.messages(*containing).last

    def ephemerals(self) -> Locator:
        return self.page.locator("article.message.ephemeral")

    def dialog(self, title: str) -> Locator:
        return self.page.get_by_role("dialog", name=title)

    def error_banner(self) -> Locator:
        return self.page.get_by_role("alert").filter(has=self.page.locator(".banner-text"))

    async def example_url(self, title_part: str) -> str:
        example = self.page.locator(".example").filter(has_text=title_part)
        href = await example.get_by_role("link").get_attribute("href")
        assert href, f"The example {title_part!r} has no link on the page"
        return href

    async def screenshot(self, name: str, *, also: Path | None = None) -> Path:
        self._shots += 1
        self.shots_dir.mkdir(parents=True, exist_ok=True)
        path = self.shots_dir / f"{self._shots:02d}-{name}.png"
        await self.page.screenshot(path=str(path))
        if also is not None:
            also.parent.mkdir(parents=True, exist_ok=True)
            await asyncio.to_thread(shutil.copyfile, path, also)
        return path
