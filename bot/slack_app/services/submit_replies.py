"""From a submission made in Slack to the sentences that tell the submitter what happened.

Shared by `/submit-schema` with text and by the submit form. What the reply says comes from
the workflow's answer to the `submit_schema_version` update (bot.reviews.submit); when that
answer is slow the submitter hears "being submitted" first, then the outcome.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.lookup import TemporalUnavailable, workflow_ui_url
from bot.reviews.submission_plan import SubmissionRefused
from bot.reviews.submit import (
    SubmissionPending,
    SubmissionUnknown,
    Submitted,
    follow_up,
    submit,
)
from bot.slack_app.deps import BotDeps
from bot.slack_app.services.command_parsing import SUBMIT_USAGE
from bot.slack_app.services.owner_notice import tell_owner
from slack_presentation.mentions import Mentions, emails_in, mention, with_mentions
from slack_presentation.mrkdwn import escape, link
from workflow.models import ReviewInput, workflow_id_for

Say = Callable[[str], Awaitable[None]]

TEMPORAL_DOWN = (
    ":warning: Not submitted: the review service (Temporal) did not answer, so nothing "
    "changed. Please try again in a minute."
)
NO_EMAIL = (
    "Slack did not tell this app your email address, and reviews know their submitter by "
    "email. Ask a workspace admin to grant the app the users:read.email scope, or to add an "
    "email address to your Slack profile."
)
BEING_SUBMITTED = (
    ":hourglass_flowing_sand: Version {version} of *{schema}* is being submitted: the review "
    "service is slow to answer. You will get a message here once the review has taken it, or "
    "why not."
)
NOT_CONFIRMED = (
    ":warning: The review service has still not said what became of version {version} of "
    "*{schema}*. Check with `/schema-status {schema}` before submitting again."
)
NOT_CONFIRMED_YET = (
    ":warning: The bot is restarting and the review service has not yet said what became of "
    "version {version} of *{schema}*: it may still be taken. In a minute, check with "
    "`/schema-status {schema}` before submitting again."
)
PICK_REVIEWERS = "Run `/submit-schema` alone to pick the reviewers in a form."
NO_ROSTER = (
    "Not submitted: no default reviewers are configured (DEFAULT_REVIEWER_A, "
    f"DEFAULT_REVIEWER_B, DEFAULT_SENIOR_REVIEWER, DEFAULT_COMPLIANCE_REVIEWER). {PICK_REVIEWERS}"
)


def follow_up_hint(deps: BotDeps, schema_id: str) -> str:
    url = workflow_ui_url(deps.settings, workflow_id_for(schema_id))
    return f"Follow it with `/schema-status {schema_id}`, or {link(url, 'in Temporal')}."


def first_reviewers(review: ReviewInput) -> list[str]:
    return [review.reviewers.reviewer_a, review.reviewers.reviewer_b]


def submitted_message(
    deps: BotDeps, submitted: Submitted, review: ReviewInput, people: Mentions
) -> str:
    """What the review did, in the workflow's terms: took the version as the next one, or
    runs on it (a review this submission started)."""
    plan, outcome = submitted.plan, submitted.outcome
    submission = review.submission
    schema, version = escape(submission.schema_id), submission.version
    first = " and ".join(mention(email, people) for email in first_reviewers(review))
    first += " are asked first (Review1)."
    if outcome.kind == "new_version":
        head = (
            f":arrows_counterclockwise: Version {version} of *{schema}* went to the running "
            f"review (it was at version {outcome.previous_version}); the review starts again "
            f"with version {version}."
        )
    elif plan.kind == "restart_after_approval":
        head = (
            f"Version {plan.previous_version} of *{schema}* was approved already; a new version "
            f"starts a new review. :rocket: Review started for version {version}. {first}"
        )
    elif plan.kind == "new_version":
        # The running review ended between the check and the submission: this version began
        # the next one.
        head = (
            f":rocket: The review of *{schema}* had just finished, so version {version} started "
            f"a new review. {first}"
        )
    else:
        head = f":rocket: Review started for *{schema}* version {version}. {first}"
    return f"{head}\n{follow_up_hint(deps, submission.schema_id)}"


async def submit_and_tell(
    deps: BotDeps, client: AsyncWebClient, review: ReviewInput, say: Say, *, update_id: str
) -> None:
    """Submit, and tell the submitter what happened (or why nothing did): one message, or
    "being submitted" and then the outcome when Temporal is slow."""
    try:
        submitted = await submit(deps.temporal, deps.settings, review, update_id=update_id)
    except SubmissionPending as pending:
        submission = review.submission
        await say(
            BEING_SUBMITTED.format(version=submission.version, schema=escape(submission.schema_id))
        )
        try:
            submitted = await follow_up(
                deps.temporal, deps.settings, review, pending.plan, update_id
            )
        except SubmissionUnknown as unknown:
            sentence = NOT_CONFIRMED_YET if unknown.restarting else NOT_CONFIRMED
            await say(
                sentence.format(version=submission.version, schema=escape(submission.schema_id))
            )
            return
        except (SubmissionRefused, TemporalUnavailable) as error:
            await say(await _not_submitted(deps, client, error))
            return
    except (SubmissionRefused, TemporalUnavailable) as error:
        await say(await _not_submitted(deps, client, error))
        return
    await tell_owner(deps, client, submitted.plan, review)
    people = await deps.people.mentions(client, first_reviewers(review))
    await say(submitted_message(deps, submitted, review, people))


async def _not_submitted(
    deps: BotDeps, client: AsyncWebClient, error: SubmissionRefused | TemporalUnavailable
) -> str:
    if isinstance(error, TemporalUnavailable):
        return TEMPORAL_DOWN
    if error.finishing:
        # The sentence says what to do: submit again in a moment.
        return f"Not submitted: {escape(str(error))}"
    hint = PICK_REVIEWERS if error.field == "reviewers" else SUBMIT_USAGE
    # The refusal may name the schema's owner ("… was submitted by alice@example.com").
    people = await deps.people.mentions(client, emails_in(str(error)))
    return f"Not submitted: {with_mentions(str(error), people)}\n{hint}"
