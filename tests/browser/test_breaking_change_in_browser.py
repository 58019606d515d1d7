"""A breaking change as a new user meets it in the sandbox page: the Avro example approved by
clicking, its breaking second version submitted, and the verdict in the review request."""

from __future__ import annotations

import os
import uuid

from playwright.async_api import expect

from tests.browser.sandbox_page import REPO, SandboxPage
from tests.browser.test_review_in_browser import decide, sandbox

__all__ = ["sandbox"]

README_SCREENSHOT = (
    REPO / "docs" / "screenshots" / "sandbox-breaking-change.png"
    if os.environ.get("UPDATE_README_SCREENSHOT") == "1"
    else None
)


async def test_a_breaking_second_version_shows_its_verdict(sandbox: SandboxPage) -> None:
    schema_id = f"order-{uuid.uuid4().hex[:8]}"
    v1, v2 = f"Schema review: {schema_id} v1", f"Schema review: {schema_id} v2"
    first = await sandbox.example_url("Order placed (Avro record)")
    second = await sandbox.example_url("Order placed (Avro), v2")

    await sandbox.send(f"/submit-schema {schema_id} 1 {first} Order events")
    await expect(sandbox.ephemerals().filter(has_text="Review started")).to_be_visible()
    for person in ("Alice Anders", "Bob Brandt", "Carol Chen"):
        await decide(sandbox, person, v1, "Approve")
    await sandbox.sign_in_as("Olivia Owner")
    await expect(sandbox.message(f"{schema_id} v1", "approved")).to_be_visible()
    await sandbox.send(f"/submit-schema {schema_id} 2 {second} Adds the currency")
    await expect(sandbox.ephemerals().filter(has_text="Review started")).to_be_visible()

    await sandbox.sign_in_as("Alice Anders")
    await sandbox.go_to("Schema Approvals")
    request = sandbox.message(v2)
    await expect(request).to_contain_text("Breaking change against approved v1 (BACKWARD)")
    await expect(request).to_contain_text("Field lines[].quantity changed from int (v1) to string")
    await expect(request).to_contain_text("Compliance review (Review3) is required")
    await request.scroll_into_view_if_needed()
    await sandbox.screenshot("alice-sees-the-verdict", also=README_SCREENSHOT)
