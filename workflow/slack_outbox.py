"""The Slack side effects of a review: requests out, posted messages closed, revisions sent.

Each runs as a background task so that a slow or failing Slack never holds up the review: a
decision can be recorded (CLI signal) before its request is even posted, and a new version can
supersede a round while Slack is still retrying. The outbox remembers which posted messages are
still live and closes them, also when the post returns after its stage was already decided.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflow import patches
from workflow.activity_calls import SLACK_OPTIONS, delivered_dm, failure_reason, failure_type
from workflow.activity_contract import (
    dispatch_review_request,
    notify_undelivered_review_request,
    post_review_channel_copy,
    record_revision_request,
    update_review_message,
    update_review_messages,
)
from workflow.activity_payloads import (
    PostedMessage,
    ReviewMessageUpdate,
    ReviewRequest,
    RevisionRequest,
    UndeliveredReviewRequest,
)
from workflow.background import Background
from workflow.message_facts import MessageClosing, RoundEnding
from workflow.message_updates import closed_message, said, with_ending
from workflow.models import SIGNAL_RECORD_DECISION, RecordedDecision
from workflow.review_state import HistoryCode
from workflow.round_endings import PATCH_ROUND_ENDINGS

# Reviews whose dispatch failed before the submitter was told of undelivered requests must
# replay without that notice.
PATCH_UNDELIVERED_NOTICE = "notify-submitter-of-undelivered-review-request"
# Reviews whose review channel copy was posted by `dispatch_review_request` itself (so that a
# failed copy failed the delivered DM too) must replay that way.
PATCH_CHANNEL_COPY_ACTIVITY = "review-channel-copy-in-its-own-activity"


@dataclass
class _ReviewRequestMessages:
    request: ReviewRequest
    # None until `dispatch_review_request` returned.
    posted: list[PostedMessage] | None = None
    closing: ReviewMessageUpdate | None = None
    # The closing update on its way to Slack; a newer `closing` (the round's ending) follows
    # it once it is done, so that the newest is what Slack keeps.
    sending: ReviewMessageUpdate | None = None


class SlackOutbox:
    def __init__(self, note: Callable[[str, HistoryCode], None]) -> None:
        self._note = note
        # By (version, stage, member): member is "" for a seat (whose holder's new request
        # replaces the old one) and a pool member's email otherwise (`pooled`).
        self._requests: dict[tuple[int, str, str], _ReviewRequestMessages] = {}
        # The stages whose requests go to every member of a pool (`workflow.policy_contract`).
        self.pooled: set[str] = set()
        # Lean runs: the closings to send together, by one activity (see `_send_queued`).
        self._queued: list[_ReviewRequestMessages] = []
        self.background = Background()

    def _key(self, version: int, stage: str, reviewer: str | None) -> tuple[int, str, str]:
        member = (reviewer or "").lower() if stage in self.pooled else ""
        return (version, stage, member)

    def request_review(self, request: ReviewRequest) -> None:
        entry = _ReviewRequestMessages(request)
        key = self._key(request.submission.version, request.stage, request.reviewer)
        self._requests[key] = entry
        self.background.spawn(self._dispatch(entry))

    def close(
        self,
        version: int,
        stage: str,
        closing: MessageClosing,
        decision: RecordedDecision | None = None,
        *,
        review_continues: bool = False,
        ending: RoundEnding | None = None,
        reviewer: str | None = None,
    ) -> None:
        """Rewrite the stage's review request without buttons, saying why it closed (and, once
        the round ended, how). A pool's stage: `reviewer`'s request."""
        entry = self._requests.get(self._key(version, stage, reviewer))
        if entry is None or entry.closing is not None:
            return
        entry.closing = closed_message(
            entry.request, closing, decision, review_continues=review_continues, ending=ending
        )
        if entry.posted is not None:
            self._send_closing(entry)

    def is_requested(self, version: int, stage: str, reviewer: str | None = None) -> bool:
        """Whether the stage's review request (a pool's: `reviewer`'s) went out (or is going
        out) and is still live."""
        entry = self._requests.get(self._key(version, stage, reviewer))
        if entry is None or entry.closing is not None:
            return False
        return reviewer is None or entry.request.reviewer.lower() == reviewer.lower()

    def live(self, version: int) -> list[ReviewRequest]:
        """The requests of `version` still asking for a decision."""
        return [
            entry.request
            for (entry_version, _, _), entry in self._requests.items()
            if entry_version == version and entry.closing is None
        ]

    def reassign(
        self,
        version: int,
        stage: str,
        reviewer: str,
        closing: MessageClosing,
        replaces: str | None = None,
    ) -> ReviewRequest:
        """Close the stage's live review request (a pool's: `replaces`'s) saying why, and send
        it to `reviewer`."""
        previous = self._requests[self._key(version, stage, replaces)]
        self.close(version, stage, closing, review_continues=True, reviewer=replaces)
        # The new holder stands in for nobody (a handover's reason is in the history).
        request = replace(
            previous.request, reviewer=reviewer, standing_in_for=None, away_until=None
        )
        self.request_review(request)
        return request

    def close_all(
        self, version: int, closing: MessageClosing, *, ending: RoundEnding | None = None
    ) -> None:
        for (entry_version, stage, _), entry in list(self._requests.items()):
            if entry_version == version and entry.closing is None:
                reviewer = entry.request.reviewer
                self.close(version, stage, closing, ending=ending, reviewer=reviewer)

    def conclude(self, version: int, ending: RoundEnding) -> None:
        """The round of `version` ended: the messages closed while it went on ("the review
        continues") are updated again to say how it ended."""
        for (entry_version, _, _), entry in list(self._requests.items()):
            closing = entry.closing
            if entry_version != version or closing is None or not closing.review_continues:
                continue
            if not patches.patched(PATCH_ROUND_ENDINGS):
                return
            entry.closing = with_ending(
                replace(closing, messages=[], review_continues=False), ending
            )
            self._send_closing(entry)

    def review_message(
        self, version: int, stage: str, reviewer: str | None = None
    ) -> PostedMessage | None:
        """The stage's review request (a pool's: `reviewer`'s) as posted in the reviewer's
        direct messages, if it was."""
        entry = self._requests.get(self._key(version, stage, reviewer))
        # `dispatch_review_request` posts the direct message first.
        return entry.posted[0] if entry is not None and entry.posted else None

    def request_revision(self, request: RevisionRequest) -> None:
        self.background.spawn(self._send_revision_request(request))

    def settled(self) -> bool:
        return self.background.settled()

    async def settle(self) -> None:
        """Wait until every Slack call finished (before the workflow ends or continues as new)."""
        await self.background.settle()

    def _send_closing(self, entry: _ReviewRequestMessages) -> None:
        if entry.closing is None or not entry.posted or entry.sending is not None:
            return
        entry.closing.messages = list(entry.posted)
        entry.sending = entry.closing
        if patches.lean():
            self._queued.append(entry)
            if len(self._queued) == 1:
                self.background.spawn(self._send_queued())
            return
        self.background.spawn(self._update(entry.closing, entry))

    async def _send_queued(self) -> None:
        """Lean runs: the closings queued in this workflow task, by one activity."""
        # Behind the caller, who may be closing the other messages of its round just now
        # (a round that ends rewrites every message of it).
        await asyncio.sleep(0)
        queued, self._queued = self._queued, []
        sending = [(entry, entry.sending) for entry in queued if entry.sending is not None]
        if len(sending) == 1:
            await self._update(sending[0][1], sending[0][0])
            return
        updates = [update for _, update in sending]
        try:
            failures = await workflow.execute_activity(
                update_review_messages, updates, **SLACK_OPTIONS
            )
        except ActivityError as error:
            failures = [failure_reason(error)] * len(updates)
        for (entry, update), failure in zip(sending, failures, strict=True):
            if failure:
                self._note(
                    f"Could not update the {update.stage} review message of {update.reviewer}"
                    f" ({said(update)}): {failure}.",
                    "message_update_failed",
                )
            entry.sending = None
            if entry.closing is not update:
                self._send_closing(entry)

    async def _dispatch(self, entry: _ReviewRequestMessages) -> None:
        request = entry.request
        # The DM first. Lean runs: the channel copy by the same activity, once the DM is
        # delivered (a copy that fails cannot undo or repeat the DM: see the activity). Runs
        # before them: the copy in an activity of its own, or (the oldest) by this one.
        lean = patches.lean()
        apart = (
            bool(request.review_channel)
            and not lean
            and patches.patched(PATCH_CHANNEL_COPY_ACTIVITY)
        )
        try:
            posted = await workflow.execute_activity(
                dispatch_review_request,
                replace(request, review_channel=None) if apart else request,
                **SLACK_OPTIONS,
            )
        except ActivityError as error:
            dm = delivered_dm(error) if lean else None
            if dm is None:
                self._undelivered(entry, error)
                return
            # The retries ran out on the channel copy; the DM had been delivered.
            self._copy_failed(request, failure_reason(error))
            posted = [PostedMessage(dm["channel"], dm["ts"])]
        entry.posted = []
        for message in posted:
            if message.not_posted is None:
                entry.posted.append(message)
            else:
                self._copy_failed(request, message.not_posted)
        # The stage may have been decided (CLI) or superseded while Slack was posting.
        self._send_closing(entry)
        if apart and entry.closing is None:
            await self._copy_to_channel(entry)

    def _undelivered(self, entry: _ReviewRequestMessages, error: ActivityError) -> None:
        request = entry.request
        entry.posted = []
        self._note(
            f"Could not send the {request.stage} review request for version"
            f" {request.submission.version} to {request.reviewer}: {failure_reason(error)}."
            f" The decision can still be recorded with the {SIGNAL_RECORD_DECISION} signal.",
            "review_request_undelivered",
        )
        # Unless the stage closed meanwhile (decided, superseded, reassigned), the review
        # waits for someone who does not know: the submitter can reassign the seat.
        if entry.closing is None and patches.patched(PATCH_UNDELIVERED_NOTICE):
            self.background.spawn(self._notify_undelivered(request, error))

    def _copy_failed(self, request: ReviewRequest, reason: str) -> None:
        self._note(
            f"Could not post the {request.stage} review request for version"
            f" {request.submission.version} to the review channel:"
            f" {reason.rstrip('.')}. The request in {request.reviewer}'s"
            " direct messages stands.",
            "channel_copy_failed",
        )

    async def _copy_to_channel(self, entry: _ReviewRequestMessages) -> None:
        request = entry.request
        try:
            copy = await workflow.execute_activity(
                post_review_channel_copy, request, **SLACK_OPTIONS
            )
        except ActivityError as error:
            self._copy_failed(request, failure_reason(error))
            return
        entry.posted = [*(entry.posted or []), copy]
        if entry.closing is not None:
            # The stage closed while the copy was being posted: close the copy too.
            self.background.spawn(self._update(replace(entry.closing, messages=[copy])))

    async def _update(
        self, update: ReviewMessageUpdate, entry: _ReviewRequestMessages | None = None
    ) -> None:
        """`entry`: the request whose closing this is; a newer closing follows once it is done."""
        try:
            await workflow.execute_activity(update_review_message, update, **SLACK_OPTIONS)
        except ActivityError as error:
            self._note(
                f"Could not update the {update.stage} review message of {update.reviewer}"
                f" ({said(update)}): {failure_reason(error)}.",
                "message_update_failed",
            )
        if entry is None:
            return
        entry.sending = None
        if entry.closing is not update:
            self._send_closing(entry)

    async def _send_revision_request(self, request: RevisionRequest) -> None:
        try:
            await workflow.execute_activity(record_revision_request, request, **SLACK_OPTIONS)
        except ActivityError as error:
            self._note(
                f"Could not send the revision request for version {request.submission.version}"
                f" to {request.submission.submitted_by}: {failure_reason(error)}.",
                "revision_request_failed",
            )

    async def _notify_undelivered(self, request: ReviewRequest, error: ActivityError) -> None:
        submitter = request.submission.submitted_by
        notice = UndeliveredReviewRequest(
            workflow_id=workflow.info().workflow_id,
            request=request,
            failure_type=failure_type(error),
            failure=failure_reason(error),
        )
        what = f"the {request.stage} review request could not be delivered to {request.reviewer}"
        try:
            await workflow.execute_activity(
                notify_undelivered_review_request, notice, **SLACK_OPTIONS
            )
        except ActivityError as notice_error:
            self._note(
                f"Could not tell {submitter} that {what}: {failure_reason(notice_error)}.",
                "undelivered_notice_failed",
            )
            return
        self._note(
            f"Told {submitter} that {what}, so that they can reassign it.",
            "undelivered_notice_sent",
        )
