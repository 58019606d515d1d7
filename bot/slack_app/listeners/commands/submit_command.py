"""`/submit-schema`: alone it opens the form; with text it submits with the default roster."""

from __future__ import annotations

import asyncio
import logging

from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.submission_plan import review_input, with_review_rule
from bot.reviews.submit import submission_update_id
from bot.slack_app.deps import BotDeps
from bot.slack_app.listeners.commands.slash_command import SlashCommand
from bot.slack_app.services.command_parsing import (
    SUBMIT_USAGE,
    CommandInputError,
    parse_submit_text,
)
from bot.slack_app.services.submit_replies import NO_EMAIL, NO_ROSTER, submit_and_tell
from slack_api.client import SLACK_FAILURES, slack_error_code
from slack_api.people import IdentityUnavailable, PersonNotFound, SlackLookupFailed
from slack_presentation.mrkdwn import escape
from slack_presentation.submit_modal import SEATS, submit_modal
from workflow.models import Submission

log = logging.getLogger(__name__)

# Slack's trigger_id lives 3 seconds; looking up the default roster must leave time to open.
ROSTER_LOOKUP_SECONDS = 1.5

FORM_NOT_OPENED = (
    "The submit form could not open (Slack allows 3 seconds for it). Run `/submit-schema` "
    f"again, or submit with text. {SUBMIT_USAGE}"
)


async def submit_schema(command: SlashCommand) -> None:
    deps = command.deps
    if not command.text:
        await command.ack()
        try:
            await open_submit_form(command.client, deps, command.trigger_id)
        except SLACK_FAILURES as error:
            log.warning("Submit form not opened: %s", slack_error_code(error))
            await command.reply(text=FORM_NOT_OPENED)
        return
    try:
        args = parse_submit_text(command.text)
    except CommandInputError as error:
        await command.refuse(error.reply("Not submitted"))
        return
    # The text names no reviewers: the schema's rule gives them, else the defaults.
    rule = deps.settings.review_rules().rule_for(args.schema_id)
    roster = rule.reviewers if rule and rule.reviewers else deps.settings.default_roster()
    if roster is None:
        await command.refuse(NO_ROSTER)
        return
    # Everything below may be slow (Slack, Temporal): Slack hears back first.
    await command.ack()
    try:
        email = await deps.people.email_of(command.client, command.user_id)
    except IdentityUnavailable as error:
        await command.reply(text=f"Not submitted: {error if error.transient else NO_EMAIL}")
        return
    review = review_input(
        Submission(
            schema_id=args.schema_id,
            version=args.version,
            description=args.description,
            content_uri=args.content_uri,
            submitted_by=email,
            compatibility_mode=args.compatibility_mode,
        ),
        roster,
        deps.settings,
    )
    review = with_review_rule(review, rule)
    if problems := review.submission.problems():
        lines = "\n".join(f"• {escape(p)}" for p in problems)
        await command.reply(text=f"Not submitted:\n{lines}\n{SUBMIT_USAGE}")
        return

    async def say(text: str) -> None:
        await command.reply(text=text)

    await submit_and_tell(
        deps,
        command.client,
        review,
        say,
        # A retry of this request is the same update; the next command is another.
        update_id=submission_update_id(command.user_id, command.trigger_id or command.text),
    )


async def open_submit_form(client: AsyncWebClient, deps: BotDeps, trigger_id: str) -> None:
    await client.views_open(
        trigger_id=trigger_id, view=submit_modal(await _default_pickers(client, deps))
    )


async def _default_pickers(client: AsyncWebClient, deps: BotDeps) -> dict[str, str | None]:
    """The default roster as Slack user ids, for the form's pickers; empty when unknown."""
    roster = deps.settings.default_roster()
    if roster is None:
        return {}
    seats = [seat for seat, _ in SEATS]
    emails = [getattr(roster, seat) for seat in seats]
    try:
        async with asyncio.timeout(ROSTER_LOOKUP_SECONDS):
            user_ids = await asyncio.gather(
                *(_picker_user(client, deps, email) for email in emails)
            )
    except (SlackLookupFailed, TimeoutError) as error:
        # An empty picker is better than a form that never opens.
        log.warning("Default reviewers not looked up: %r", error)
        return {}
    return dict(zip(seats, user_ids, strict=True))


async def _picker_user(client: AsyncWebClient, deps: BotDeps, email: str) -> str | None:
    """The Slack user to preselect for this email; None (an empty picker) when Slack has
    nobody with it."""
    try:
        return await deps.people.user_id_of(client, email)
    except PersonNotFound:
        return None
