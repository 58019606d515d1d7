"""The submit form's submission: checked while the form is open, then submitted.

Slack needs the answer to a form within 3 seconds, and only that answer can show a problem next
to its field. So the checks that need Slack (emails) or Temporal (the running review's version
and owner) run before the answer, within a budget; the submission itself runs after it, and
its outcome reaches the submitter as a direct message.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.lookup import TemporalUnavailable, find_review
from bot.reviews.submission_plan import (
    SubmissionRefused,
    plan_submission,
    review_input,
    with_review_rule,
)
from bot.reviews.submit import submission_update_id
from bot.slack_app.deps import BotDeps
from bot.slack_app.listeners.context import deps_of
from bot.slack_app.services.submit_form import SubmitForm, form_problems, read_submit_form
from bot.slack_app.services.submit_replies import NO_EMAIL, submit_and_tell
from slack_api.client import SLACK_FAILURES
from slack_api.people import IdentityUnavailable
from slack_presentation.submit_modal import FIELD_SCHEMA_ID, SEAT_A, SEATS
from workflow.models import Reviewers, ReviewInput, Submission

log = logging.getLogger(__name__)

# Of Slack's 3 seconds, what the checks before the answer may use.
CHECK_BUDGET_SECONDS = 2.0

NOT_CHECKED = (
    "Slack or the review service did not answer in time, so nothing was submitted. "
    "Please submit again in a moment."
)


class _Unreviewable(Exception):
    """A picked reviewer whose email Slack does not give; `seat` is where to say so."""

    def __init__(self, seat: str) -> None:
        super().__init__(seat)
        self.seat = seat


async def submit_schema_view(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    deps = deps_of(context)
    submitter_id = str(body["user"]["id"])
    form = read_submit_form(view.get("state", {}).get("values", {}))
    if problems := form_problems(form, submitter_id):
        await ack(response_action="errors", errors=problems)
        return
    try:
        async with asyncio.timeout(CHECK_BUDGET_SECONDS):
            review = await _review_from(form, submitter_id, client, deps)
            existing = await find_review(deps.temporal, form.schema_id)
        plan_submission(existing, review, deps.settings.slack_admins)
    except IdentityUnavailable as error:
        problem = NOT_CHECKED if error.transient else NO_EMAIL
        await ack(response_action="errors", errors={FIELD_SCHEMA_ID: problem})
        return
    except _Unreviewable as error:
        await ack(
            response_action="errors",
            errors={
                error.seat: "Slack does not give this person's email address, and reviewers "
                "are matched by email: pick someone else."
            },
        )
        return
    except SubmissionRefused as refusal:
        if refusal.field == "reviewers":
            errors = {SEAT_A: _sentence(str(refusal))}
        else:
            # These begin with the schema id, which is lowercase by rule.
            errors = {refusal.field: str(refusal)}
        await ack(response_action="errors", errors=errors)
        return
    except (TemporalUnavailable, *SLACK_FAILURES) as error:  # type: ignore[misc]
        log.warning("Submit form not checked in time: %r", error)
        await ack(response_action="errors", errors={FIELD_SCHEMA_ID: NOT_CHECKED})
        return
    if problems_left := review.submission.problems():
        await ack(response_action="errors", errors={FIELD_SCHEMA_ID: " ".join(problems_left)})
        return
    await ack()

    async def say(text: str) -> None:
        # Posting to a user id lands in the bot's direct message with that person.
        await client.chat_postMessage(channel=submitter_id, text=text)

    view_id = str(view.get("id") or body.get("trigger_id") or "")
    await submit_and_tell(
        deps, client, review, say, update_id=submission_update_id(submitter_id, view_id)
    )


async def _review_from(
    form: SubmitForm, submitter_id: str, client: AsyncWebClient, deps: BotDeps
) -> ReviewInput:
    submitter = await deps.people.email_of(client, submitter_id)

    async def email(seat: str) -> str:
        try:
            return await deps.people.email_of(client, str(form.reviewers[seat]))
        except IdentityUnavailable as error:
            if error.transient:
                raise
            raise _Unreviewable(seat) from None

    seats = [seat for seat, _ in SEATS]
    emails = await asyncio.gather(*(email(seat) for seat in seats))
    review = review_input(
        Submission(
            schema_id=form.schema_id,
            version=int(form.version),
            description=form.description,
            content_uri=form.content_uri,
            submitted_by=submitter,
            compatibility_mode=form.compatibility_mode,
        ),
        Reviewers(**dict(zip(seats, emails, strict=True))),
        deps.settings,
    )
    # The pickers open on the defaults: left as they were, the form names no reviewers of its
    # own, and the schema's rule applies; changed, the form's people are the roster.
    if review.reviewers != deps.settings.default_roster():
        return review
    return with_review_rule(review, deps.settings.review_rules().rule_for(form.schema_id))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
