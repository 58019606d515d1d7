"""The data contract's names and values: what is sent to a review.

Temporal names (workflow type, task queue, signals, updates, query, search attributes), the
stages and seats, and the values reviews are made of and sent (submissions, the roster,
reminder policies, decisions, reassignments, withdrawals, uploads), as plain dataclasses that
Temporal's default JSON converter turns into the payloads shown in `docs/workflow.md`. The
workflow input, and what a review carries and answers, are in `workflow.review_state`; import
either through `workflow.models`. The Slack activities' payloads are in
`workflow.activity_payloads`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

from temporalio.common import SearchAttributeKey

from workflow.payload_shape import VERSION_FIELD
from workflow.payload_values import version_problem
from workflow.registry_contract import RegistryView, SchemaReference

WORKFLOW_TYPE = "schema_approval"
TASK_QUEUE = "schema-approval-task-queue"
WORKFLOW_ID_PREFIX = "schema-approval-"

SIGNAL_RECORD_DECISION = "record_review_decision"
SIGNAL_SUBMIT_SCHEMA = "submit_schema"
UPDATE_DECIDE = "decide_review"
UPDATE_REASSIGN = "reassign_reviewer"
UPDATE_WITHDRAW = "withdraw_review"
UPDATE_SUBMIT = "submit_schema_version"
# An admin asks a review left `approved_not_registered` to register its version again.
UPDATE_RETRY_REGISTRATION = "retry_registration"
# Why the `retry_registration` update was refused (the ApplicationError type): the review is not
# `approved_not_registered`, or the payload does not name who asks.
REGISTRATION_RETRY_REFUSED = "RegistrationRetryRefused"
QUERY_STATUS = "status"
# Break glass: an admin approves a round, or the whole review, with a reason (`ReviewOverride`
# in `workflow.policy_contract`); refused with OVERRIDE_REFUSED.
UPDATE_OVERRIDE = "override_review"
OVERRIDE_REFUSED = "OverrideRefused"

REVIEW_1A = "Review1.a"
REVIEW_1B = "Review1.b"
REVIEW_2 = "Review2"
REVIEW_3 = "Review3"
STAGES: tuple[str, ...] = (REVIEW_1A, REVIEW_1B, REVIEW_2, REVIEW_3)
# Escalate means "approved, but compliance review is required"; Review3 is that compliance review.
ESCALATABLE_STAGES: tuple[str, ...] = (REVIEW_1A, REVIEW_1B, REVIEW_2)

# The roster's seats (the `Reviewers` fields) and the stage each one decides.
SEAT_STAGES: dict[str, str] = {
    "reviewer_a": REVIEW_1A,
    "reviewer_b": REVIEW_1B,
    "senior_reviewer": REVIEW_2,
    "compliance_reviewer": REVIEW_3,
}
REVIEWER_SEATS: tuple[str, ...] = tuple(SEAT_STAGES)

# Error types of a refused `reassign_reviewer` update: which part of the request was refused,
# so that a form can show the sentence under the right field.
REASSIGNMENT_REFUSED = "ReassignmentRefused"
REASSIGNMENT_SEAT_REFUSED = "ReassignmentSeatRefused"
REASSIGNMENT_REVIEWER_REFUSED = "ReassignmentReviewerRefused"

ReviewState = Literal[
    "uploading",
    "awaiting_review",
    "awaiting_revision",
    "approved",
    "withdrawn",
    # Approved, but the schema registry refused the registration (or the retries ran out): the
    # review stays open until an admin retries it (`retry_registration`) or withdraws it.
    "approved_not_registered",
]

# Compatibility modes, as in Confluent Schema Registry: which versions a new one is checked
# against (the last approved, or every approved one) and in which direction.
COMPATIBILITY_MODES: tuple[str, ...] = (
    "BACKWARD",
    "BACKWARD_TRANSITIVE",
    "FORWARD",
    "FULL",
    "NONE",
)
DEFAULT_COMPATIBILITY_MODE = "BACKWARD"
# What a breaking change does to a review (the worker's BREAKING_CHANGE_POLICY setting).
BREAKING_CHANGE_POLICIES: tuple[str, ...] = ("require_compliance", "refuse", "allow")

# Visibility: lets `/schema-status` and App Home list reviews without querying every workflow.
# Registered by the dev command and by the test environments; see README for a production cluster.
SA_SCHEMA_ID = SearchAttributeKey.for_keyword("SchemaId")
SA_REVIEW_STATE = SearchAttributeKey.for_keyword("SchemaReviewState")
SA_PENDING_REVIEWERS = SearchAttributeKey.for_keyword_list("SchemaPendingReviewers")
SA_SUBMITTED_BY = SearchAttributeKey.for_keyword("SchemaSubmittedBy")
SEARCH_ATTRIBUTES = (SA_SCHEMA_ID, SA_REVIEW_STATE, SA_PENDING_REVIEWERS, SA_SUBMITTED_BY)

SCHEMA_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def workflow_id_for(schema_id: str) -> str:
    """One live review per schema: the workflow id is derived from the schema id."""
    return f"{WORKFLOW_ID_PREFIX}{schema_id}"


def schema_id_problem(schema_id: str) -> str | None:
    if not schema_id:
        return "the schema id is empty"
    if not SCHEMA_ID_PATTERN.match(schema_id):
        return (
            f"'{schema_id}' is not a valid schema id: use lowercase letters, digits, '.', '_'"
            " or '-', starting with a letter or digit (at most 100 characters)"
        )
    return None


def compatibility_mode_problem(mode: str | None) -> str | None:
    if mode is None or mode in COMPATIBILITY_MODES:
        return None
    return f"compatibility_mode must be one of {', '.join(COMPATIBILITY_MODES)}, not {mode!r}"


def same_person(a: str, b: str) -> bool:
    """Emails are compared case-insensitively (spec, semantics 8)."""
    return a.strip().lower() == b.strip().lower()


@dataclass
class Submission:
    """One version of a schema submitted for review."""

    schema_id: str
    version: int = field(metadata=VERSION_FIELD)
    description: str
    content_uri: str
    submitted_by: str
    # One of COMPATIBILITY_MODES, set by the schema's first submission (or changed by an
    # admin); None keeps the mode the schema store holds for the schema.
    compatibility_mode: str | None = None
    # Imports of other subjects' schemas, registered with the document (registry only).
    references: list[SchemaReference] = field(default_factory=list)

    def problems(self) -> list[str]:
        found: list[str] = []
        if problem := schema_id_problem(self.schema_id):
            found.append(problem)
        if problem := compatibility_mode_problem(self.compatibility_mode):
            found.append(problem)
        if problem := version_problem(self.version):
            found.append(problem)
        if not self.content_uri:
            found.append("content_uri is empty: give the URL of the schema document")
        if not EMAIL_PATTERN.match(self.submitted_by or ""):
            found.append(f"submitted_by must be an email address, not {self.submitted_by!r}")
        return found


@dataclass
class Reviewers:
    """The roster: who decides each stage (emails)."""

    reviewer_a: str
    reviewer_b: str
    senior_reviewer: str
    compliance_reviewer: str

    def for_stage(self, stage: str) -> str:
        return {
            REVIEW_1A: self.reviewer_a,
            REVIEW_1B: self.reviewer_b,
            REVIEW_2: self.senior_reviewer,
            REVIEW_3: self.compliance_reviewer,
        }[stage]

    def all(self) -> list[str]:
        return [self.reviewer_a, self.reviewer_b, self.senior_reviewer, self.compliance_reviewer]

    def with_seat(self, seat: str, email: str) -> Reviewers:
        """The roster with `seat` (a `REVIEWER_SEATS` name) given to `email`."""
        return replace(self, **{seat: email})

    def problems(self, submitted_by: str) -> list[str]:
        found: list[str] = []
        for name, email in (
            ("reviewer_a", self.reviewer_a),
            ("reviewer_b", self.reviewer_b),
            ("senior_reviewer", self.senior_reviewer),
            ("compliance_reviewer", self.compliance_reviewer),
        ):
            if not EMAIL_PATTERN.match(email or ""):
                found.append(f"{name} must be an email address, not {email!r}")
        if self.reviewer_a and same_person(self.reviewer_a, self.reviewer_b):
            found.append("one person may not hold both Review1 seats (reviewer_a and reviewer_b)")
        if submitted_by and any(same_person(submitted_by, r) for r in self.all() if r):
            found.append(f"{submitted_by} submitted this schema and may not review it")
        return found


# Each reminder adds to the event history of a stage that may wait long; keep it bounded.
MAX_REMINDERS = 20


def _positive_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


@dataclass
class ReminderPolicy:
    """When a reviewer whose request still waits is reminded (seconds of workflow time)."""

    first_after_seconds: float
    then_every_seconds: float
    # Per stage and version; 0 sends none.
    max_reminders: int

    def problems(self) -> list[str]:
        found: list[str] = []
        for name in ("first_after_seconds", "then_every_seconds"):
            value = getattr(self, name)
            if not _positive_number(value):
                found.append(f"reminders.{name} must be a number of seconds above 0, not {value!r}")
        count = self.max_reminders
        if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_REMINDERS:
            found.append(
                f"reminders.max_reminders must be a whole number from 0 to {MAX_REMINDERS},"
                f" not {count!r}"
            )
        return found


@dataclass
class ReviewDecision:
    """A reviewer's decision: the payload of the `record_review_decision` signal and the
    `decide_review` update."""

    stage: str
    reviewer: str
    submission_version: int = field(metadata=VERSION_FIELD)
    approved: bool
    requires_additional_review: bool = False
    reason: str = ""
    # The bot's id for the click (the update id of its `decide_review`, sent after this
    # signal): the workflow remembers what became of the signal under it, so that the update
    # answers with that outcome instead of deciding again. "" from the CLI and older payloads.
    click_id: str = ""


# Why the `submit_schema_version` update refused a version (the ApplicationError type).
SUBMISSION_REFUSED = "SubmissionRefused"
# The review has a version approved and is finishing; a new version starts the next review.
REVIEW_FINISHING = "ReviewFinishing"


@dataclass
class Reassignment:
    """The payload of the `reassign_reviewer` update: give a seat of the roster to someone else
    for the rest of the review."""

    # One of REVIEWER_SEATS: "reviewer_a", "reviewer_b", "senior_reviewer", "compliance_reviewer";
    # or the name of a round with a pool ("Review1"), with `replaces` the member replaced.
    seat: str
    reviewer: str
    requested_by: str
    reason: str = ""
    replaces: str | None = None


@dataclass
class UploadRequest:
    submission: Submission
    # The review's own breaking-change policy (`ReviewInput.breaking_change_policy`); None:
    # the worker's setting.
    breaking_change_policy: str | None = None


@dataclass
class Compatibility:
    """The verdict on a version against the schema's approved versions (the `status` query's
    `compatibility`): whether producers and consumers of `against_version` keep working."""

    mode: str  # one of COMPATIBILITY_MODES
    against_version: int
    compatible: bool
    # One plain sentence per problem, naming the field.
    problems: list[str] = field(default_factory=list)


@dataclass
class RegistrationRetry:
    """The payload of the `retry_registration` update: an admin (or the owner) asks a review
    left `approved_not_registered` to register its approved version again."""

    requested_by: str


@dataclass
class Withdrawal:
    """The payload of the `withdraw_review` update: the owner (or an admin) ends the review."""

    requested_by: str
    reason: str = ""


@dataclass
class UploadResult:
    schema_id: str
    version: int
    digest: str  # "sha256:<hex>"
    format: str  # "JSON Schema", "Avro", "JSON"
    size_bytes: int
    # Plain-text lines saying what changed against the previously stored version (empty for
    # the first version, or when nothing changed).
    changes: list[str] = field(default_factory=list)
    previous_version: int | None = None
    # Against the last approved version (None: nothing approved to compare with yet).
    compatibility: Compatibility | None = None
    # The worker's BREAKING_CHANGE_POLICY when the version was checked: carried in the result,
    # so the workflow's routing is recorded in its history.
    breaking_change_policy: str | None = None
    # The schema registry's side of the version; None when the worker has no registry.
    registry: RegistryView | None = None

    def requires_compliance(self) -> bool:
        """A breaking change under the `require_compliance` policy: Review3 is required."""
        return (
            self.compatibility is not None
            and not self.compatibility.compatible
            and self.breaking_change_policy == "require_compliance"
        )
