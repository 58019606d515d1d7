"""The owner hears when someone else (an admin) submits a version of their schema: it replaces
the version in review, or starts a new review after an approval, and they should not learn of
it from a reviewer."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.submission_plan import SubmissionPlan
from bot.slack_app.deps import BotDeps
from slack_api.people import IdentityUnavailable
from slack_presentation.mentions import Mentions, mention
from slack_presentation.mrkdwn import escape
from workflow.models import ReviewInput, same_person

log = logging.getLogger(__name__)


def replaced_by_someone_else(plan: SubmissionPlan, review: ReviewInput) -> str | None:
    """The owner to tell, when the submitter is not the owner; None otherwise."""
    owner = plan.owner
    if owner is None or same_person(owner, review.submission.submitted_by):
        return None
    return owner


def owner_notice_text(plan: SubmissionPlan, review: ReviewInput, people: Mentions) -> str:
    submission = review.submission
    who = mention(submission.submitted_by, people)
    schema = f"*{escape(submission.schema_id)}*"
    if plan.kind == "new_version":
        what = (
            f"{who} submitted version {submission.version} of your schema {schema}; it replaces"
            f" version {plan.previous_version} in review, which starts again from the first round."
        )
    else:
        what = (
            f"{who} submitted version {submission.version} of your schema {schema}; a new review"
            " started for it."
        )
    description = (
        f" Their description: “{escape(submission.description)}”."
        if (submission.description)
        else ""
    )
    return (
        f":information_source: {what}{description} You still own the schema:"
        f" `/schema-status {escape(submission.schema_id)}` shows the review."
    )


async def tell_owner(
    deps: BotDeps, client: AsyncWebClient, plan: SubmissionPlan, review: ReviewInput
) -> None:
    """A direct message to the owner; a failure is logged, the submission stands."""
    owner = replaced_by_someone_else(plan, review)
    if owner is None:
        return
    try:
        people = await deps.people.mentions(client, [owner, review.submission.submitted_by])
        owner_id = people.get(owner.strip().lower())
        if owner_id is None:
            log.warning("Could not tell %s of the new version: no Slack user", owner)
            return
        text = owner_notice_text(plan, review, people)
        await client.chat_postMessage(channel=owner_id, text=text)
    except (SlackApiError, IdentityUnavailable) as error:
        log.warning("Could not tell %s of the new version: %s", owner, error)
