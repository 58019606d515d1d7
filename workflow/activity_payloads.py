"""What the workflow hands its Slack activities, and what they hand back: the activities'
side of the shared contract (the names, inputs and status are in `workflow.models`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from workflow.message_facts import MessageClosing, RoundEnding
from workflow.models import RecordedDecision, Reviewers, Submission, UploadResult
from workflow.registry_contract import Registration


@dataclass
class PostedMessage:
    """Where a Slack message was posted, so that it can be updated later."""

    channel: str
    ts: str
    # Set (and `ts` empty) when `dispatch_review_request` could not post the review channel's
    # copy for good (a wrong channel, the bot not invited): why, as a sentence. The request in
    # the reviewer's DM, posted first, stands.
    not_posted: str | None = None


@dataclass
class ReviewRequest:
    """Input of `dispatch_review_request`: ask one reviewer to decide one stage."""

    workflow_id: str
    stage: str
    reviewer: str
    submission: Submission
    upload: UploadResult
    round: int
    allow_escalate: bool
    review_channel: str | None = None
    # The person away whom `reviewer` decides for, and until when (`StandIn`); None otherwise.
    standing_in_for: str | None = None
    away_until: str | None = None


@dataclass
class ReviewMessageUpdate:
    """Input of `update_review_message`: rewrite posted review requests without buttons."""

    messages: list[PostedMessage]
    schema_id: str
    version: int
    stage: str
    reviewer: str
    # Reviews started before the patch `review-messages-carry-facts`: why the message is
    # closed, as a sentence, e.g. "Approved by alice@example.com", "Superseded by version 3".
    # None in the newer shape, which says it with `closing` instead: an activity worker that
    # still requires the sentence fails to read that input, and Temporal retries it on one
    # that reads both, rather than showing an empty outcome.
    outcome: str | None = None
    decision: RecordedDecision | None = None
    # The request the message was posted from, so the closed message keeps its content.
    # None in histories recorded before it was added; the message then shows a short form.
    request: ReviewRequest | None = None
    # True when the message closes because its reviewer decided, or was replaced, and the
    # review goes on (the next stage, or a revised version after a rejection): their part is
    # done, the review is not. False when the review itself ended or moved past this message
    # (and in histories recorded before the field).
    review_continues: bool = False
    # Reviews started before the patch: how the round of this version ended, once it has, as a
    # sentence, e.g. "Version 1 was rejected by bob@example.com at Review1.b; owner@example.com
    # was asked for a new version." A message closed earlier (its reviewer decided while the
    # round went on) is updated again with it, so that no message keeps saying the review
    # continues. Newer reviews say it with `round_ending`.
    ending: str | None = None
    # Set when the messages are the reminders sent for this stage, not its review request: they
    # are rewritten to say the stage no longer waits, and why (`outcome`, `decision`).
    reminder: ReviewReminder | None = None
    # Reviews started since the patch: the facts of `outcome` and `ending`, which the
    # presentation turns into the same sentences.
    closing: MessageClosing | None = None
    round_ending: RoundEnding | None = None


@dataclass
class ReviewReminder:
    """Input of `send_review_reminder`: nudge a reviewer whose review request still waits."""

    request: ReviewRequest
    # 1 for the first reminder of this stage and version.
    number: int
    max_reminders: int
    # Workflow time since the stage opened.
    waited_seconds: float
    # The review request in the reviewer's direct messages, to link to; None when it was
    # never posted (or is still being posted).
    review_message: PostedMessage | None = None


@dataclass
class UndeliveredReviewRequest:
    """Input of `notify_undelivered_review_request`: tell the submitter that a review request
    could not be delivered, so that they reassign the reviewer."""

    workflow_id: str
    request: ReviewRequest
    # The activity error's type (e.g. "SlackUserNotFound"), or "" when it had none.
    failure_type: str
    # The failure as a sentence fragment, e.g. "No Slack user has the email …".
    failure: str


@dataclass
class RevisionRequest:
    """Input of `record_revision_request`: tell the submitter what to fix."""

    workflow_id: str
    submission: Submission
    # The stage that rejected, or "upload" when the document itself could not be accepted.
    stage: str
    rejected_by: str | None
    reason: str
    # The schema's owner, told too when someone else (an admin) submitted the version; None in
    # histories recorded before the field.
    owner: str | None = None
    # Set when no reviewer decided: the round's deadline (a review policy's `reject`) fell due
    # after this many seconds; `rejected_by` is None and `reason` empty.
    deadline_seconds: float | None = None


@dataclass
class FinalizeRequest:
    workflow_id: str
    submission: Submission
    upload: UploadResult
    reviewers: Reviewers
    decisions: list[RecordedDecision]
    rounds: int
    # The schema's owner, told of the approval too when someone else (an admin) submitted the
    # approved version; None in histories recorded before the field.
    owner: str | None = None
    # Where the schema registry registered the approved version; None without a registry:
    # the directory store marks it approved instead.
    registration: Registration | None = None


@dataclass
class RegistrationNotice:
    """Input of `notify_registration`: tell the owner (and the review channel) that an approved
    version is not in the schema registry yet, and why.

    `kind`: "pending" when the registry could not take it now and registration is retried
    (for up to `retry_hours`); "not_registered" when the registry refused it for good, or the
    retries ran out: the review waits for `retry_registration` or a withdrawal."""

    workflow_id: str
    kind: Literal["pending", "not_registered"]
    schema_id: str
    version: int
    subject: str
    # Why, in the registry's words (or the workflow's, for an unreachable registry).
    reason: str
    owner: str
    review_channel: str | None = None
    retry_hours: float | None = None


@dataclass
class PolicyNotice:
    """Input of `notify_policy_action`: tell the owner (and the review channel) that a review
    policy acted: a round's deadline fell due (`kind` "deadline": `then`, `after_seconds`,
    `reassign_to`) or an admin approved by override (`kind` "override": `by`, `reason`).
    `stage`: the round; None for an override of the whole review."""

    workflow_id: str
    kind: Literal["deadline", "override"]
    schema_id: str
    version: int
    owner: str
    stage: str | None = None
    by: str | None = None
    reason: str = ""
    then: str | None = None
    after_seconds: float | None = None
    reassign_to: str | None = None
    review_channel: str | None = None
