"""A review's input, what it carries, and what it answers.

The workflow input (with the state carried across continue-as-new), the decisions and history
it records, the updates' outcomes, the `status` query's answer and the workflow's result, as
plain dataclasses for Temporal's JSON converter. The names and the values they are made of
are in `workflow.contract`; import either through `workflow.models`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from workflow.away_contract import StandIn
from workflow.contract import (
    Compatibility,
    ReminderPolicy,
    Reviewers,
    ReviewState,
    Submission,
    UploadResult,
)
from workflow.payload_shape import WRITTEN_BY_WORKFLOW
from workflow.policy_contract import DeadlineAct, OverrideRecord, ReviewPolicy, StageStatus
from workflow.registry_contract import Registration


@dataclass
class ReviewInput:
    """The workflow's input. `submission` and `reviewers` are enough; the rest is optional."""

    submission: Submission
    reviewers: Reviewers
    # Slack channel (id) where review requests are also posted, if any.
    review_channel: str | None = None
    # None: reviewers are never reminded (as in reviews started before reminders existed).
    reminders: ReminderPolicy | None = None
    # Whose schema this is: with an admin, the only one who may submit its next versions. Set
    # once, by the first submission (None: the submission's own submitter), and kept across
    # continue-as-new and by a new review after an approval, whoever submits later versions.
    owner: str | None = None
    # Carried across continue-as-new; never set by callers.
    carried: CarriedState | None = field(default=None, metadata=WRITTEN_BY_WORKFLOW)
    # Test knob: continue as new once this many rounds ran in one run (None: when Temporal
    # suggests it).
    continue_as_new_after_rounds: int | None = None
    # Pools, approvals and deadlines per round (`workflow.policy_contract`); None: the seats
    # of `reviewers` and no deadline, the Conductor graph.
    policy: ReviewPolicy | None = None
    # Seats (or pool places) given to someone's delegate because they were away when the bot
    # started the review: those requests say for whom (`workflow.away_contract`).
    stand_ins: list[StandIn] = field(default_factory=list)
    # The schema's breaking-change policy (one of BREAKING_CHANGE_POLICIES) from its rule in
    # the policy file; None: the worker's BREAKING_CHANGE_POLICY setting.
    breaking_change_policy: str | None = None


@dataclass
class DecisionOutcome:
    """What the `decide_review` update returns once a decision was accepted."""

    accepted: bool
    message: str


@dataclass
class SubmissionOutcome:
    """What the `submit_schema_version` update returns once the review took the version.

    `kind`: "under_review" when this version is the one the review runs on (update-with-start
    started the review with it), "new_version" when it superseded `previous_version`.
    """

    kind: Literal["under_review", "new_version"]
    version: int
    message: str
    previous_version: int | None = None


@dataclass
class ReassignmentOutcome:
    """What the `reassign_reviewer` update returns once the seat changed hands."""

    stage: str
    previous_reviewer: str
    reviewer: str
    # True when the seat's stage was open, so the new reviewer was sent the review request now.
    requested_now: bool
    message: str


@dataclass
class RecordedDecision:
    stage: str
    reviewer: str
    version: int
    approved: bool
    requires_additional_review: bool
    reason: str
    at: str  # ISO 8601, from workflow time


# What a history entry is about, beside its text, for readers that act on it rather than show
# it. Entries recorded before codes existed (and carried from such runs) have none.
HistoryCode = Literal[
    "review_started",
    "upload_started",
    "uploaded",
    "compatible",
    "breaking_change",
    "compliance_required",
    "review_requested",
    "decision_recorded",
    "decision_ignored",
    "signal_ignored",
    "version_submitted",
    "version_ignored",
    "revision_requested",
    "approved",
    "approval_unrecorded",
    "finalize_failed",
    "withdrawn",
    "reassigned",
    "reminder_sent",
    "reminder_failed",
    "reminder_update_failed",
    "message_update_failed",
    "review_request_undelivered",
    "channel_copy_failed",
    "revision_request_failed",
    "undelivered_notice_sent",
    "undelivered_notice_failed",
    "continued_as_new",
    # The schema registry (`workflow.approval_registration`).
    "registered",
    "registration_pending",
    "not_registered",
    "registration_retry_asked",
    "registration_notice_failed",
    # Review policies (`workflow.stage_deadlines`, `workflow.overrides`).
    "deadline_escalated",
    "deadline_reassigned",
    "deadline_rejected",
    "overridden",
    "policy_notice_failed",
]


@dataclass
class HistoryEntry:
    at: str  # ISO 8601, from workflow time
    text: str
    # One of `HistoryCode`, typed as text so that a reader built before a new code still reads
    # the status; None for entries from before codes.
    code: str | None = None


@dataclass
class PendingReview:
    stage: str
    reviewer: str


@dataclass
class ReviewResult:
    """The workflow's result once a version is approved (or the review withdrawn)."""

    schema_id: str
    # None when the review was withdrawn instead.
    approved_version: int | None
    digest: str
    decisions: list[RecordedDecision]
    rounds: int
    # Who withdrew the review (`withdraw_review`), when it ended that way.
    withdrawn_by: str | None = None
    # Decisions of earlier versions left out of `decisions` when the review continued as new
    # (they are in the Temporal histories of its earlier runs).
    earlier_decisions: int = 0
    # Where the schema registry holds the approved version; None without a registry (or for
    # a review started before registration existed).
    registry: Registration | None = None


@dataclass
class ReviewStatus:
    """The `status` query's answer."""

    schema_id: str
    version: int
    state: ReviewState
    round: int
    # "Review1" (both seats), "Review2", "Review3", or None when no review round is open.
    active_round: str | None
    # The open stages, e.g. ["Review1.a", "Review1.b"].
    active_stages: list[str]
    pending_reviewers: list[PendingReview]
    decisions: list[RecordedDecision]
    digest: str | None
    history: list[HistoryEntry]
    submitted_by: str
    description: str
    content_uri: str
    reviewers: Reviewers
    revision_reason: str | None = None
    # The schema's owner (see `ReviewInput.owner`); None from workflows older than the field,
    # whose owner is then best known as `submitted_by`.
    owner: str | None = None
    # The version's compatibility verdict; None before its upload or for a first version.
    compatibility: Compatibility | None = None
    # `history` is the latest STATUS_HISTORY entries; this many earlier ones are left out (the
    # workflow's Temporal history, of this run and earlier ones, keeps them all).
    earlier_history: int = 0
    # Where the schema registry holds the approved version (subject, version, id); None before
    # registration or without a registry.
    registry: Registration | None = None
    # While the approved version is not (yet) registered: why, in the registry's words or ours
    # (registration pending and retried, or `approved_not_registered`); None otherwise.
    registry_problem: str | None = None
    # Per round of the current version: approvals required, who approved, who is still asked,
    # the deadline and what happens then (`workflow.stage_status`).
    stages: list[StageStatus] = field(default_factory=list)
    # Every override accepted (`override_review`), oldest first.
    overrides: list[OverrideRecord] = field(default_factory=list)


@dataclass
class ClickOutcome:
    """What became of a decision signalled with a click id (`workflow.click_outcomes`)."""

    click_id: str
    accepted: bool
    # The accepted decision's "Recorded: …" sentence, or why it was refused.
    message: str


@dataclass
class CarriedState:
    """What the workflow keeps across continue-as-new: a bounded tail of the history and of
    the decisions of earlier versions, every decision of the current version, and counts."""

    round: int
    history: list[HistoryEntry]
    all_decisions: list[RecordedDecision]
    # Payloads of earlier runs may still hold "pending_submission" (always null): Temporal's
    # dataclass converter ignores keys a dataclass does not have, so they still decode.
    awaiting_revision_reason: str | None
    last_upload: UploadResult | None
    # Versions whose breaking change made the compliance review (Review3) required.
    compliance_required: list[int] = field(default_factory=list)
    # Carried state is bounded: the latest history entries and decisions, and how many earlier
    # ones were left behind in earlier runs (0 in payloads from before the bound).
    earlier_history: int = 0
    earlier_decisions: int = 0
    # The latest outcomes of signalled clicks (`workflow.click_outcomes`); none in payloads
    # from before clicks were signalled.
    click_outcomes: list[ClickOutcome] = field(default_factory=list)
    # Whether the review registers its approved version in the schema registry (the patch
    # `registry-registration`, asked once, when the review started): False in payloads from
    # runs started before it, so that such a review ends as it began, without registering.
    registers_approvals: bool = False
    # The deadlines that acted and the overrides accepted, for the rounds they decided.
    deadline_acts: list[DeadlineAct] = field(default_factory=list)
    overrides: list[OverrideRecord] = field(default_factory=list)
