"""The activities that talk to Slack: review requests, their updates, and the notices to the
submitter and reviewers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block
from slack_sdk.web.async_client import AsyncWebClient
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.approval_record import ApprovalRecord, record_approval
from activities.heartbeats import beat, heartbeating
from activities.slack_errors import (
    from_connection_error,
    from_slack_api_error,
)
from activities.slack_people import ActivityPeople, worker_people
from activities.slack_posting import OncePoster
from slack_api.client import CONNECTION_FAILURES, slack_error_code, without_blind_retries
from slack_api.people import SlackPeople
from slack_presentation.notice_blocks import (
    approval_blocks,
    approval_people,
    approval_text,
    reviewer_approval_blocks,
    reviewer_approval_text,
    revision_request_blocks,
    revision_request_people,
    revision_request_text,
    undelivered_blocks,
    undelivered_text,
    unrecorded_approval_blocks,
    unrecorded_approval_text,
)
from slack_presentation.reminder_blocks import (
    closed_reminder_blocks,
    closed_reminder_text,
    reminder_blocks,
    reminder_people,
    reminder_text,
)
from slack_presentation.review_blocks import (
    closed_review_blocks,
    closed_review_people,
    closed_review_text,
    review_request_blocks,
    review_request_people,
    review_request_text,
)
from workflow import activity_contract as contract
from workflow.activity_calls import DELIVERED_DM
from workflow.activity_payloads import (
    FinalizeRequest,
    PostedMessage,
    ReviewMessageUpdate,
    ReviewReminder,
    ReviewRequest,
    RevisionRequest,
    UndeliveredReviewRequest,
)
from workflow.models import same_person


class ReviewMessageActivities:
    """Holds the Slack client and the schema store; the worker registers `all()`."""

    def __init__(
        self,
        slack: AsyncWebClient,
        store: ApprovalRecord | None,
        *,
        people: SlackPeople | None = None,
    ) -> None:
        self._slack = slack
        self._store = store
        self._people = ActivityPeople(slack, people or worker_people())
        # Every post goes out once: see `activities.slack_posting`.
        self._poster = OncePoster(without_blind_retries(slack), slack)

    def all(self) -> list[Callable[..., Any]]:
        return [
            self.dispatch_review_request,
            self.post_review_channel_copy,
            self.update_review_message,
            self.update_review_messages,
            self.record_revision_request,
            self.finalize_review,
            self.send_review_reminder,
            self.notify_undelivered_review_request,
        ]

    @activity.defn(name=contract.dispatch_review_request.__name__)
    async def dispatch_review_request(self, request: ReviewRequest) -> list[PostedMessage]:
        """The request in the reviewer's DM and, when the request names a review channel, its
        copy there, posted once the DM was delivered. The DM, once posted, stands whatever
        happens to the copy: a copy refused for good is returned as `not_posted` (the DM
        delivered), and a failure worth retrying fails the attempt with the DM in its details,
        so that the next attempt finds the DM (see `activities.slack_posting`) instead of
        posting it again, and the workflow knows it delivered should the retries run out."""
        async with heartbeating():
            people = await self._people.mentions(review_request_people(request))
            blocks = review_request_blocks(request, people)
            text = review_request_text(request, people)
            doing = f"sending the {request.stage} review request to {request.reviewer}"
            dm = await self._post_dm(request.reviewer, text, blocks, doing=doing)
            if not request.review_channel:
                return [dm]
            copy = review_request_blocks(request, people, in_channel=True)
            try:
                return [dm, await self._post_channel_copy(request, text, copy)]
            except ApplicationError as error:
                if error.non_retryable:
                    return [dm, PostedMessage(request.review_channel, "", not_posted=error.message)]
                raise ApplicationError(
                    error.message,
                    {DELIVERED_DM: {"channel": dm.channel, "ts": dm.ts}},
                    type=error.type,
                    next_retry_delay=error.next_retry_delay,
                ) from error

    @activity.defn(name=contract.post_review_channel_copy.__name__)
    async def post_review_channel_copy(self, request: ReviewRequest) -> PostedMessage:
        """The request's copy in the review channel, posted once its DM was delivered: a
        failure here leaves the DM (and its buttons) as delivered."""
        if not request.review_channel:
            raise ApplicationError(
                "The review request names no review channel to copy it to.",
                type="NoReviewChannel",
                non_retryable=True,
            )
        async with heartbeating():
            people = await self._people.mentions(review_request_people(request))
            # Everyone in the channel sees it: it says whose decision it is.
            blocks = review_request_blocks(request, people, in_channel=True)
            text = review_request_text(request, people)
            return await self._post_channel_copy(request, text, blocks)

    async def _post_channel_copy(
        self, request: ReviewRequest, text: str, blocks: Sequence[Block]
    ) -> PostedMessage:
        assert request.review_channel
        return await self._post(
            request.review_channel,
            text,
            blocks,
            doing=f"posting the {request.stage} review request to the review channel",
        )

    @activity.defn(name=contract.update_review_message.__name__)
    async def update_review_message(self, update: ReviewMessageUpdate) -> None:
        async with heartbeating():
            await self._apply(update)

    @activity.defn(name=contract.update_review_messages.__name__)
    async def update_review_messages(self, updates: list[ReviewMessageUpdate]) -> list[str]:
        """Several updates at once (the messages of a round that just ended), in order; one
        result per update: "" when done, else why it could not be (a permanent failure, which
        leaves the others to go on). A transient failure fails the attempt, and the next one
        starts after the updates the last heartbeat reported done (`chat.update` is idempotent,
        so one repeated does no harm)."""
        details = activity.info().heartbeat_details if activity.in_activity() else []
        results: list[str] = list(details[0]) if details else []
        async with heartbeating():
            for update in updates[len(results) :]:
                try:
                    await self._apply(update)
                except ApplicationError as error:
                    if not error.non_retryable:
                        raise
                    results.append(error.message or str(error))
                else:
                    results.append("")
                beat(results)
        return results

    async def _apply(self, update: ReviewMessageUpdate) -> None:
        """Either shape: the facts (`closing`, `round_ending`) of newer reviews, or the
        sentences (`outcome`, `ending`) of reviews started before they carried facts."""
        if update.closing is None and update.outcome is None:
            raise ApplicationError(
                f"The update of the {update.stage} review message of {update.reviewer} says"
                " neither why it closed (closing) nor in words (outcome), so the message was"
                " left as it was: send one of them.",
                type="UnreadableMessageUpdate",
                non_retryable=True,
            )
        people = await self._people.mentions(closed_review_people(update))
        text = closed_review_text(update, people)
        if update.reminder is not None:
            text = closed_reminder_text(update, people)
        for message in update.messages:
            blocks = (
                closed_reminder_blocks(update, people)
                if update.reminder is not None
                else closed_review_blocks(update, people, in_channel=self._is_channel_copy(message))
            )
            try:
                await self._slack.chat_update(
                    channel=message.channel, ts=message.ts, text=text, blocks=blocks
                )
            except SlackApiError as error:
                if slack_error_code(error) == "message_not_found":
                    activity.logger.info(
                        "Review message %s in %s is gone (deleted?); nothing to update",
                        message.ts,
                        message.channel,
                    )
                    continue
                raise from_slack_api_error(
                    error, doing="closing a review message", channel=message.channel
                ) from error
            except CONNECTION_FAILURES as error:
                raise from_connection_error(error, doing="closing a review message") from error

    @activity.defn(name=contract.record_revision_request.__name__)
    async def record_revision_request(self, request: RevisionRequest) -> list[PostedMessage]:
        async with heartbeating():
            submitter = request.submission.submitted_by
            people = await self._people.mentions(revision_request_people(request))
            # The owner hears of it also when an admin submitted the version.
            told = [submitter]
            if request.owner and not same_person(request.owner, submitter):
                told.append(request.owner)
            return [
                await self._post_dm(
                    person,
                    revision_request_text(request, people),
                    revision_request_blocks(request, people),
                    doing=f"sending the revision request to {person}",
                )
                for person in told
            ]

    @activity.defn(name=contract.finalize_review.__name__)
    async def finalize_review(self, request: FinalizeRequest) -> None:
        async with heartbeating():
            # A registered version is recorded where producers and consumers read it: the
            # directory store, if any, is not asked.
            if request.registration is None:
                try:
                    await record_approval(self._store, request.upload)
                except ApplicationError as unrecorded:
                    # Announcing an approval the store does not hold would mislead everyone;
                    # saying nothing would leave the submitter waiting for a notice that never
                    # comes.
                    await self._tell_unrecorded(request, unrecorded)
                    raise
            submitter = request.submission.submitted_by
            people = await self._people.mentions(approval_people(request))
            # The owner hears of the approval also when an admin submitted the approved version.
            told = [submitter]
            if request.owner and not same_person(request.owner, submitter):
                told.append(request.owner)
            for person in told:
                await self._post_dm(
                    person,
                    approval_text(request),
                    approval_blocks(request, people),
                    doing=f"telling {person} that the schema is approved",
                )
            for reviewer in reviewers_to_notify(request):
                try:
                    await self._post_dm(
                        reviewer,
                        reviewer_approval_text(request),
                        reviewer_approval_blocks(request),
                        doing=f"telling {reviewer} that the schema is approved",
                    )
                except ApplicationError as error:
                    # A courtesy notice is not worth failing an approved review over.
                    if not error.non_retryable:
                        raise
                    activity.logger.warning("Approval notice not sent to %s: %s", reviewer, error)

    async def _tell_unrecorded(self, request: FinalizeRequest, problem: ApplicationError) -> None:
        submitter = request.submission.submitted_by
        try:
            await self._post_dm(
                submitter,
                unrecorded_approval_text(request, problem.message),
                unrecorded_approval_blocks(request, problem.message),
                doing=f"telling {submitter} that the approval could not be recorded",
            )
        except ApplicationError as error:
            # The workflow's history keeps the problem whatever Slack does.
            activity.logger.warning("Could not tell %s: %s", submitter, error)

    @activity.defn(name=contract.send_review_reminder.__name__)
    async def send_review_reminder(self, reminder: ReviewReminder) -> PostedMessage:
        async with heartbeating():
            reviewer = reminder.request.reviewer
            people = await self._people.mentions(reminder_people(reminder))
            return await self._post_dm(
                reviewer,
                reminder_text(reminder),
                reminder_blocks(reminder, people, await self._permalink(reminder.review_message)),
                doing=f"reminding {reviewer} of the {reminder.request.stage} review",
            )

    @activity.defn(name=contract.notify_undelivered_review_request.__name__)
    async def notify_undelivered_review_request(
        self, notice: UndeliveredReviewRequest
    ) -> PostedMessage:
        async with heartbeating():
            submitter = notice.request.submission.submitted_by
            return await self._post_dm(
                submitter,
                undelivered_text(notice),
                undelivered_blocks(notice),
                doing=f"telling {submitter} that a review request could not be delivered",
            )

    @staticmethod
    def _is_channel_copy(message: PostedMessage) -> bool:
        """The review channel's copy speaks of the reviewer; their DM speaks to them. Slack's
        direct-message channel ids start with D."""
        return not message.channel.startswith("D")

    async def _permalink(self, message: PostedMessage | None) -> str | None:
        """A link to a posted message, or None: a reminder without it still reminds."""
        if message is None:
            return None
        try:
            response = await self._slack.chat_getPermalink(
                channel=message.channel, message_ts=message.ts
            )
        except SlackApiError as error:
            activity.logger.info("No link to %s: %s", message.ts, slack_error_code(error))
            return None
        except CONNECTION_FAILURES as error:
            activity.logger.info("No link to %s: %r", message.ts, error)
            return None
        return str(response["permalink"])

    async def _post_dm(
        self, email: str, text: str, blocks: Sequence[Block], *, doing: str
    ) -> PostedMessage:
        channel = await self._people.dm_channel(email, doing=doing)
        return await self._post(channel, text, blocks, doing=doing)

    async def _post(
        self, channel: str, text: str, blocks: Sequence[Block], *, doing: str
    ) -> PostedMessage:
        return await self._poster.post(channel, text, blocks, doing=doing)


def reviewers_to_notify(request: FinalizeRequest) -> list[str]:
    """Everyone who decided on this schema during the review, once each, submitter excluded."""
    found: list[str] = []
    for decision in request.decisions:
        email = decision.reviewer
        if same_person(email, request.submission.submitted_by) or (
            request.owner and same_person(email, request.owner)
        ):
            continue
        if not any(same_person(email, seen) for seen in found):
            found.append(email)
    return found
