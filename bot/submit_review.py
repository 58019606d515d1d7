"""From a submission made in Slack to the sentence that tells the submitter what happened.

Shared by `/submit-schema` with text and by the submit form.
"""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.command_parsing import SUBMIT_USAGE
from bot.deps import BotDeps
from bot.owner_notice import tell_owner
from bot.review_lookup import TemporalUnavailable, workflow_ui_url
from bot.submissions import SubmissionPlan, SubmissionRefused, submit
from slack_presentation.mentions import Mentions, emails_in, mention, with_mentions
from slack_presentation.mrkdwn import escape, link
from workflow.models import ReviewInput, workflow_id_for

TEMPORAL_DOWN = (
    ":warning: Not submitted: the review service (Temporal) did not answer, so nothing "
    "changed. Please try again in a minute."
)
NO_EMAIL = (
    "Slack did not tell this app your email address, and reviews know their submitter by "
    "email. Ask a workspace admin to grant the app the users:read.email scope, or to add an "
    "email address to your Slack profile."
)
PICK_REVIEWERS = "Run `/submit-schema` alone to pick the reviewers in a form."
NO_ROSTER = (
    "Not submitted: no default reviewers are configured (DEFAULT_REVIEWER_A, "
    f"DEFAULT_REVIEWER_B, DEFAULT_SENIOR_REVIEWER, DEFAULT_COMPLIANCE_REVIEWER). {PICK_REVIEWERS}"
)


def follow_up(deps: BotDeps, schema_id: str) -> str:
    url = workflow_ui_url(deps.settings, workflow_id_for(schema_id))
    return f"Follow it with `/schema-status {schema_id}`, or {link(url, 'in Temporal')}."


def first_reviewers(review: ReviewInput) -> list[str]:
    return [review.reviewers.reviewer_a, review.reviewers.reviewer_b]


def submitted_message(
    deps: BotDeps, plan: SubmissionPlan, review: ReviewInput, people: Mentions
) -> str:
    submission = review.submission
    schema, version = escape(submission.schema_id), submission.version
    first = " and ".join(mention(email, people) for email in first_reviewers(review))
    first += " are asked first (Review1)."
    if plan.kind == "new_version":
        head = (
            f":arrows_counterclockwise: Version {version} of *{schema}* went to the running "
            f"review (it was at version {plan.previous_version}); the review starts again "
            f"with version {version}."
        )
    elif plan.kind == "restart_after_approval":
        head = (
            f"Version {plan.previous_version} of *{schema}* was approved already; a new version "
            f"starts a new review. :rocket: Review started for version {version}. {first}"
        )
    else:
        head = f":rocket: Review started for *{schema}* version {version}. {first}"
    return f"{head}\n{follow_up(deps, submission.schema_id)}"


async def submit_and_describe(deps: BotDeps, client: AsyncWebClient, review: ReviewInput) -> str:
    """Submit, and say what happened (or why nothing did) in one message for the submitter."""
    try:
        plan = await submit(deps.temporal, deps.settings, review)
    except SubmissionRefused as refusal:
        hint = PICK_REVIEWERS if refusal.field == "reviewers" else SUBMIT_USAGE
        # The refusal may name the schema's owner ("… was submitted by alice@example.com").
        people = await deps.identity.mentions(client, emails_in(str(refusal)))
        return f"Not submitted: {with_mentions(str(refusal), people)}\n{hint}"
    except TemporalUnavailable:
        return TEMPORAL_DOWN
    await tell_owner(deps, client, plan, review)
    people = await deps.identity.mentions(client, first_reviewers(review))
    return submitted_message(deps, plan, review, people)
