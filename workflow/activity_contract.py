"""The activities the workflow calls, as typed stubs: their Temporal names, inputs and results.

The workflow calls these functions (`workflow.execute_activity(upload_schema, …)`): Temporal
takes the activity's name and result type from the stub, so this package imports nothing but
its own modules and temporalio, and the implementations in `activities/` may change without
touching the workflow's determinism. The implementations register under the stubs' names
(`@activity.defn(name=activity_contract.upload_schema.__name__)`), and
`tests/activities/test_activity_contract.py` holds each one to its stub's parameters and result.
A stub never runs: a worker that registered the stub instead of the implementation fails the
activity with the reason.
"""

from __future__ import annotations

from temporalio import activity

from workflow.activity_payloads import (
    FinalizeRequest,
    PolicyNotice,
    PostedMessage,
    RegistrationNotice,
    ReviewMessageUpdate,
    ReviewReminder,
    ReviewRequest,
    RevisionRequest,
    UndeliveredReviewRequest,
)
from workflow.away_contract import HandedOver, HandOver
from workflow.models import UploadRequest, UploadResult
from workflow.registry_contract import Registration, RegistrationRequest

_STUB = "a contract stub: the worker must register the implementation from activities/"


@activity.defn
async def upload_schema(request: UploadRequest) -> UploadResult:
    """Fetch, check, fingerprint and store one submitted version (`activities.upload`)."""
    raise NotImplementedError(_STUB)


@activity.defn
async def dispatch_review_request(request: ReviewRequest) -> list[PostedMessage]:
    """The review request in the reviewer's DM and, when named, its review channel copy."""
    raise NotImplementedError(_STUB)


@activity.defn
async def post_review_channel_copy(request: ReviewRequest) -> PostedMessage:
    """The review request's copy in the review channel, once its DM was delivered."""
    raise NotImplementedError(_STUB)


@activity.defn
async def update_review_message(update: ReviewMessageUpdate) -> None:
    """Rewrite posted review requests (or reminders) without buttons."""
    raise NotImplementedError(_STUB)


@activity.defn
async def update_review_messages(updates: list[ReviewMessageUpdate]) -> list[str]:
    """Several updates in order; per update "" when done, else why it could not be."""
    raise NotImplementedError(_STUB)


@activity.defn
async def record_revision_request(request: RevisionRequest) -> list[PostedMessage]:
    """Tell the submitter (and the owner) what to fix."""
    raise NotImplementedError(_STUB)


@activity.defn
async def finalize_review(request: FinalizeRequest) -> None:
    """Mark the version approved in the schema store and tell everyone concerned."""
    raise NotImplementedError(_STUB)


@activity.defn
async def send_review_reminder(reminder: ReviewReminder) -> PostedMessage:
    """Nudge a reviewer whose review request still waits."""
    raise NotImplementedError(_STUB)


@activity.defn
async def notify_undelivered_review_request(notice: UndeliveredReviewRequest) -> PostedMessage:
    """Tell the submitter that a review request could not be delivered."""
    raise NotImplementedError(_STUB)


@activity.defn
async def register_approved_schema(request: RegistrationRequest) -> Registration:
    """Register the approved version in the schema registry, exactly once
    (`activities.registration`)."""
    raise NotImplementedError(_STUB)


@activity.defn
async def notify_registration(notice: RegistrationNotice) -> list[PostedMessage]:
    """Tell the owner and the review channel that an approved version is not registered (yet),
    and why (`activities.registration_notices`)."""
    raise NotImplementedError(_STUB)


@activity.defn
async def hand_over_seats(request: HandOver) -> list[HandedOver]:
    """Give an absent person's open review seats to their delegate, each review's
    `reassign_reviewer` saying why (`activities.away_seats`)."""
    raise NotImplementedError(_STUB)


@activity.defn
async def return_seats(seats: list[HandedOver]) -> list[HandedOver]:
    """Give the seats still open back to the person who returned; the seats given back."""
    raise NotImplementedError(_STUB)


@activity.defn
async def notify_policy_action(notice: PolicyNotice) -> list[PostedMessage]:
    """Tell the owner and the review channel that a deadline acted or an admin overrode the
    review (`activities.policy_notices`)."""
    raise NotImplementedError(_STUB)
