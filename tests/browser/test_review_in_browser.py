"""A whole schema review carried out by clicking in the sandbox page, as a person would: the real
bot, worker and Temporal behind it, Debian's Chromium in front."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

import pytest
from playwright.async_api import Page, WebSocketRoute, expect

from bot.processes.sandbox_wiring import describe_seats
from bot.processes.web import start_http
from bot.slack_app.app import build_app
from bot.slack_app.deps import BotDeps
from slack_api.people import SlackPeople
from slack_presentation.reject_modal import EMPTY_REASON
from slack_sandbox.state import REVIEW_CHANNEL_ID
from slack_sandbox.view_state import REQUIRED_FIELD
from tests.browser.sandbox_page import REPO, SCREENSHOTS, SandboxPage
from tests.fixtures.bot_stack import BotStack

# The README's picture is refreshed on request (UPDATE_README_SCREENSHOT=1), so that a test run
# leaves the checkout as it found it; every run writes its screenshots to test-artifacts/.
README_SCREENSHOT = (
    REPO / "docs" / "screenshots" / "sandbox-review.png"
    if os.environ.get("UPDATE_README_SCREENSHOT") == "1"
    else None
)
REASON = "quantity must allow fractions, and each item needs its warehouse"


@pytest.fixture
async def sandbox(
    bot_stack: BotStack, page: Page, request: pytest.FixtureRequest
) -> AsyncIterator[SandboxPage]:
    """The page, with the bot set up as the one-command run sets it up: review requests are
    also posted to #schema-reviews, where anyone can see (and mis-click) them."""
    settings = bot_stack.settings.model_copy(update={"slack_review_channel": REVIEW_CHANNEL_ID})
    deps = BotDeps(settings=settings, temporal=bot_stack.temporal, people=SlackPeople())
    bot = await start_http(build_app(deps), "127.0.0.1", 0)
    bot_stack.standin.point_at_bot(bot.events_url)
    roster = settings.default_roster()
    assert roster is not None
    describe_seats(bot_stack.standin, roster)
    try:
        shots = SCREENSHOTS / request.node.name.removeprefix("test_")
        shown = SandboxPage(page, bot_stack.standin.url, shots_dir=shots)
        await shown.open()
        yield shown
    finally:
        await bot.stop()


async def decide(sandbox: SandboxPage, person: str, header: str, button: str) -> None:
    """`person` clicks `button` on their review request; it closes, saying what they did."""
    await sandbox.sign_in_as(person)
    await sandbox.go_to("Schema Approvals")
    request = sandbox.message(header)
    await request.get_by_role("button", name=button).click()
    await expect(request.get_by_role("button")).to_have_count(0)
    await expect(request).to_contain_text(f"{button}d by @{person}")  # "Approved by @…"


@asynccontextmanager
async def lagging_tab(sandbox: SandboxPage, person: str) -> AsyncIterator[LaggingTab]:
    """A second tab of `person`'s, whose live feed can be held back as a slow network would."""
    tab = await sandbox.page.context.new_page()
    lag = LaggingTab(SandboxPage(tab, sandbox.base_url, shots_dir=sandbox.shots_dir))

    def route(socket: WebSocketRoute) -> None:
        server = socket.connect_to_server()
        socket.on_message(server.send)
        server.on_message(lambda message: None if lag.held else socket.send(message))

    await tab.route_web_socket(re.compile(r".*/ui/socket.*"), route)
    await lag.sandbox.open()
    await lag.sandbox.sign_in_as(person)
    try:
        yield lag
    finally:
        await tab.close()


@dataclass
class LaggingTab:
    sandbox: SandboxPage
    held: bool = False


def submit_line(schema_id: str, version: int, url: str, description: str) -> str:
    return f"/submit-schema {schema_id} {version} {url} {description}"


async def test_a_review_from_submission_to_approval_by_clicking(sandbox: SandboxPage) -> None:
    page = sandbox.page
    # The README's picture shows the example as the run command suggests it.
    schema_id = "inventory-item" if README_SCREENSHOT else f"inventory-{uuid.uuid4().hex[:8]}"
    v1, v2 = f"Schema review: {schema_id} v1", f"Schema review: {schema_id} v2"
    v3, v4 = f"Schema review: {schema_id} v3", f"Schema review: {schema_id} v4"

    # The switcher says who holds which seat, and who is an admin.
    switcher = page.get_by_label("Current user")
    await expect(switcher).to_have_value("U0OWNER001")
    await expect(switcher.locator("option", has_text="Alice Anders")).to_have_text(
        "Alice Anders · Review1.a"
    )
    await expect(switcher.locator("option", has_text="Erin Evans")).to_have_text(
        "Erin Evans · admin"
    )

    # The owner submits the first example document with the message box.
    await expect(page.get_by_role("heading", level=1)).to_have_text("Schema Approvals")
    first_url = await sandbox.example_url("version 1")
    await sandbox.send(submit_line(schema_id, 1, first_url, "First version of the inventory item"))
    started = sandbox.ephemerals().filter(has_text="Review started")
    await expect(started).to_contain_text("Only visible to you")
    await expect(started).to_contain_text(f"{schema_id} version 1")
    reviews_link = page.get_by_role("link", name=re.compile("schema-reviews"))
    await expect(reviews_link.locator(".badge")).to_have_text("2")
    await sandbox.screenshot("owner-submitted")

    # Alice, first-round reviewer, approves in her DM: the buttons go, her decision shows.
    await decide(sandbox, "Alice Anders", v1, "Approve")
    await expect(sandbox.message(v1)).to_contain_text("Approved by @Alice Anders")
    await expect(sandbox.message(v1)).to_contain_text("Your part is done; the review continues.")
    await sandbox.screenshot("alice-approved")

    # Carol is not Review1.b's reviewer: her click in the channel is refused, to her only.
    # The channel copy of Alice's request speaks of Alice, not to its reader.
    await sandbox.sign_in_as("Carol Chen")
    await sandbox.go_to("schema-reviews")
    await expect(sandbox.message(v1, "Review1.a")).to_contain_text(
        "Nothing more is needed from @Alice Anders here; the review continues."
    )
    await expect(sandbox.message(v1, "Review1.a")).not_to_contain_text("Your part")
    # The app's two channel copies come one after the other: one name and avatar for both.
    await expect(sandbox.messages(v1).last).to_have_class(re.compile("continued"))
    bobs_request = sandbox.message(v1, "Review1.b")
    await expect(bobs_request).to_contain_text("@Bob Brandt decides here or in their direct")
    await bobs_request.get_by_role("button", name="Approve").click()
    refusal = sandbox.ephemerals().filter(has_text="is not assigned to @Carol Chen")
    await expect(refusal).to_contain_text("Only visible to you")
    await expect(bobs_request.get_by_role("button", name="Approve")).to_be_visible()
    await sandbox.screenshot("carol-refused")

    # Bob sees the same channel without Carol's refusal. He starts rejecting from his DM,
    # reloads the page with the dialog open (it closes, as Slack's does), then rejects.
    await sandbox.sign_in_as("Bob Brandt")
    await expect(page.get_by_role("heading", level=1)).to_have_text("# schema-reviews")
    await expect(sandbox.ephemerals()).to_have_count(0)
    await sandbox.go_to("Schema Approvals")
    await sandbox.message(v1).get_by_role("button", name="Reject").click()
    modal = sandbox.dialog("Reject schema")
    reason = modal.get_by_label("Why are you rejecting it?")
    await modal.get_by_role("button", name="Reject").click()
    await expect(modal).to_contain_text(REQUIRED_FIELD)
    await page.reload()
    await expect(page.get_by_role("status")).to_have_text("Live")
    await expect(modal).to_be_hidden()
    await sandbox.sign_in_as("Bob Brandt")
    await sandbox.go_to("Schema Approvals")
    await expect(modal).to_be_hidden()
    await sandbox.message(v1).get_by_role("button", name="Reject").click()
    await expect(modal).not_to_contain_text(REQUIRED_FIELD)
    await reason.fill("   ")
    await modal.get_by_role("button", name="Reject").click()
    await expect(modal).to_contain_text(EMPTY_REASON)
    await expect(reason).to_have_attribute("aria-invalid", "true")
    await sandbox.screenshot("bob-reason-required")
    await reason.fill(REASON)
    await modal.get_by_role("button", name="Reject").click()
    await expect(modal).to_be_hidden()
    rejected = (
        "Version 1 was rejected by @Bob Brandt at Review1.b; @Olivia Owner was asked for a new"
        " version."
    )
    await expect(sandbox.message(v1).get_by_role("button")).to_have_count(0)
    await expect(sandbox.message(v1)).to_contain_text("Rejected by @Bob Brandt")
    await expect(sandbox.message(v1)).to_contain_text(rejected)
    await expect(sandbox.message(v1)).not_to_contain_text("continues")

    # Alice's message of version 1 no longer says the review continues: it says how it ended.
    await sandbox.sign_in_as("Alice Anders")
    await sandbox.go_to("Schema Approvals")
    await expect(sandbox.message(v1)).to_contain_text(rejected)
    await expect(sandbox.message(v1)).not_to_contain_text("continues")

    # The owner reads the reason and sends version 2, the changed example.
    await sandbox.sign_in_as("Olivia Owner")
    revision = sandbox.message(f"Changes requested: {schema_id} v1")
    await expect(revision).to_contain_text(REASON)
    await expect(revision).to_contain_text("rejected by @Bob Brandt")
    second_url = await sandbox.example_url("version 2")
    await sandbox.send(
        submit_line(
            schema_id,
            2,
            second_url,
            "Adds the warehouse and reorder level; quantity becomes a number",
        )
    )
    await expect(sandbox.ephemerals().filter(has_text="Version 2")).to_be_visible()
    await sandbox.screenshot("owner-resubmitted")

    # Alice has the review open in a second tab whose feed lags. Version 2 says what changed;
    # she approves it in the first tab.
    async with lagging_tab(sandbox, "Alice Anders") as stale:
        await stale.sandbox.go_to("Schema Approvals")
        await expect(
            stale.sandbox.message(v2).get_by_role("button", name="Approve")
        ).to_be_visible()
        stale.held = True
        await sandbox.sign_in_as("Alice Anders")
        await sandbox.go_to("Schema Approvals")
        await expect(sandbox.message(v2)).to_contain_text("What changed since v1")
        await expect(sandbox.message(v2)).to_contain_text("warehouse")
        await sandbox.screenshot("alice-sees-version-2", also=README_SCREENSHOT)
        await decide(sandbox, "Alice Anders", v2, "Approve")

        # The lagging tab still shows the buttons. Her click there reaches the app, as in
        # Slack, which answers that her decision is already recorded.
        stale.held = False
        await stale.sandbox.message(v2).get_by_role("button", name="Approve").click()
        answer = stale.sandbox.ephemerals().filter(has_text="already recorded")
        await expect(answer).to_contain_text("Only visible to you")
        await expect(stale.sandbox.error_banner()).to_be_hidden()
        await stale.sandbox.screenshot("alice-stale-click")

    # Erin, an admin, replaces version 2 with version 3 (the first document again). Olivia is
    # told; Alice's version 2 message says it was superseded.
    await sandbox.sign_in_as("Erin Evans")
    await sandbox.send(submit_line(schema_id, 3, first_url, "Back to the first shape"))
    await expect(sandbox.ephemerals().filter(has_text="Version 3")).to_be_visible()
    await sandbox.sign_in_as("Olivia Owner")
    await expect(sandbox.message("submitted version 3 of your schema")).to_contain_text(
        "@Erin Evans submitted version 3"
    )
    await sandbox.sign_in_as("Alice Anders")
    await sandbox.go_to("Schema Approvals")
    await expect(sandbox.message(v2)).to_contain_text(
        "Version 2 was superseded by version 3; its review ended."
    )
    await decide(sandbox, "Alice Anders", v3, "Approve")
    await decide(sandbox, "Bob Brandt", v3, "Approve")

    # Carol, the senior reviewer, escalates after Slack's confirm dialog.
    await sandbox.sign_in_as("Carol Chen")
    await sandbox.go_to("Schema Approvals")
    await sandbox.message(v3).get_by_role("button", name="Escalate").click()
    confirm = page.get_by_role("alertdialog", name="Request compliance review?")
    await sandbox.screenshot("carol-confirms-escalation")
    await confirm.get_by_role("button", name="Escalate").click()
    await expect(sandbox.message(v3).get_by_role("button")).to_have_count(0)
    await expect(sandbox.message(v3)).to_contain_text("Escalated by @Carol Chen")

    # Dave, compliance, finds the review on his Home tab and approves it there.
    await sandbox.sign_in_as("Dave Dekker")
    await sandbox.go_to("Home")
    home = page.get_by_role("region", name="Home")
    waiting = home.locator(".bk-section").filter(has_text=schema_id)
    await expect(waiting).to_contain_text("Review3")
    await sandbox.screenshot("dave-home")
    await home.get_by_role("button", name="Approve").click()
    await sandbox.go_to("Schema Approvals")
    await expect(sandbox.message(v3).get_by_role("button")).to_have_count(0)
    await expect(sandbox.message(v3)).to_contain_text("Approved by @Dave Dekker")
    await expect(sandbox.message(v3)).to_contain_text(
        "Version 3 was approved; the review is complete."
    )

    # Carol's escalation, decided while the review went on, now says it ended too.
    await sandbox.sign_in_as("Carol Chen")
    await sandbox.go_to("Schema Approvals")
    await expect(sandbox.message(v3)).to_contain_text(
        "Version 3 was approved; the review is complete."
    )

    # The owner sees the approval, then starts the next version: the status shows the open
    # review and the approved version, its digest and approvers.
    await sandbox.sign_in_as("Olivia Owner")
    approval = sandbox.message(f"Approved: {schema_id} v3")
    await expect(approval).to_contain_text("is approved")
    await expect(approval).to_contain_text("Approved by @Dave Dekker")
    await sandbox.send(submit_line(schema_id, 4, second_url, "The warehouse again"))
    await expect(
        sandbox.ephemerals().filter(has_text="Review started for version 4")
    ).to_be_visible()
    await sandbox.send(f"/schema-status {schema_id}")
    status = sandbox.ephemerals().filter(has_text=f"{schema_id} · version 4")
    await expect(status).to_contain_text("Approved versions")
    await expect(status).to_contain_text("v3 · ")
    await expect(status).to_contain_text("by @Alice Anders, @Bob Brandt, @Carol Chen, @Dave Dekker")
    await expect(sandbox.error_banner()).to_be_hidden()
    await sandbox.screenshot("owner-status-after-approval")
    await expect(sandbox.messages(v4)).to_have_count(0)  # review requests go to the reviewers


async def test_a_document_that_cannot_be_fetched_is_refused_before_anything_starts(
    sandbox: SandboxPage,
) -> None:
    schema_id = f"missing-{uuid.uuid4().hex[:8]}"
    missing = f"{sandbox.base_url}/examples/no-such-schema.json"

    await sandbox.send(submit_line(schema_id, 1, missing, "A document that is not there"))

    refused = sandbox.ephemerals().filter(has_text="Not submitted")
    await expect(refused).to_contain_text("404")
    await expect(refused).to_contain_text("Only visible to you")
    await expect(sandbox.messages(f"Changes requested: {schema_id}")).to_have_count(0)
    await expect(sandbox.error_banner()).to_be_hidden()
    await sandbox.screenshot("owner-missing-document")


async def test_the_submit_form_shows_the_apps_errors_under_its_fields(
    sandbox: SandboxPage,
) -> None:
    schema_id = f"customer-{uuid.uuid4().hex[:8]}"
    await sandbox.send("/submit-schema")
    form = sandbox.dialog("Submit a schema")
    reviewer_b = form.get_by_label("Review1 reviewer (b)")
    version = form.get_by_label("Version", exact=True)
    await expect(form.get_by_label("Review1 reviewer (a)")).to_have_value("U0ALICE001")
    await expect(reviewer_b).to_have_value("U0BOB00001")
    await expect(form.get_by_label("Review3: compliance reviewer")).to_have_value("U0DAVE0001")

    await form.get_by_label("Schema id").fill(schema_id)
    await version.fill("one")
    await form.get_by_label("Content URL").fill(await sandbox.example_url("Customer profile"))
    await reviewer_b.select_option(label="Alice Anders")
    await form.get_by_role("button", name="Submit for review").click()
    await expect(version).to_have_accessible_description(re.compile("'one' is not a version"))
    await expect(reviewer_b).to_have_accessible_description(
        re.compile("may not hold both Review1 seats")
    )
    # What was typed stays, as in Slack.
    await expect(form.get_by_label("Schema id")).to_have_value(schema_id)
    await sandbox.screenshot("submit-form-errors")

    await version.fill("1")
    await reviewer_b.select_option(label="Bob Brandt")
    await form.get_by_role("button", name="Submit for review").click()
    await expect(form).to_be_hidden()
    await expect(sandbox.message("Review started")).to_contain_text(schema_id)
    await sandbox.sign_in_as("Bob Brandt")
    await expect(sandbox.message(f"Schema review: {schema_id} v1")).to_contain_text(
        "customer-profile.json"
    )
    await expect(sandbox.error_banner()).to_be_hidden()
