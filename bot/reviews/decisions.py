"""The Temporal side of a reviewer's click: send the decision, say what became of it.

A click goes to the workflow twice. First as the `record_review_decision` signal
(`signal_decision`), carrying the click's id: Temporal writes it to the review's history before
answering, with no worker involved, so once it returns the click is durable (Slack's ack waits
for this, or for the click's line in the bot's click journal). Then as the `decide_review`
update with the click's id as its update id, which the workflow answers with what the signal's
decision came to, so the reviewer learns whether it counted. The workflow's validator is the
one authority on who may decide what; this module only turns its answer (or Temporal's silence)
into a sentence for the reviewer.

Every update carries an id derived from the click (`decision_update_id`). Sending it again is
therefore safe: Temporal answers a repeat with the first one's outcome instead of deciding
twice. When Temporal is slow the bot says "being recorded" and keeps asking with the same id
until it knows (`follow_up`, within `bot.reviews.follow_ups.FollowUpWindow`), so the
reviewer is told what happened rather than "maybe".
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from temporalio.client import (
    Client,
)

from bot.reviews.follow_ups import FollowUpWindow, request_update_id
from bot.reviews.temporal_calls import ReviewCallFailed, call_review
from workflow.models import (
    ReviewDecision,
    same_person,
)
from workflow.schema_approval import SchemaApprovalWorkflow

log = logging.getLogger(__name__)

# How long the first try waits for Temporal's answer (after Slack's ack) before the reviewer
# hears "being recorded". Long enough for a workflow task that a restarted worker picks up
# from a sticky queue (about 5 s on Temporal's defaults), short enough not to look ignored.
DECISION_TIMEOUT_SECONDS = 15.0

# How long the signal may take before the bot gives up on it and sends the update alone (as
# before signals: the update then decides). A signal that timed out may still have been
# written: the update is then answered with its outcome, so nothing is decided twice.
SIGNAL_TIMEOUT_SECONDS = 3.0

DECISION_REFUSED = "The review did not accept this decision."
REVIEW_CLOSED = (
    "This review is closed: it has finished or no longer exists, so no decision can be recorded "
    "on it. Use /schema-status to see where the schema stands."
)
SERVICE_UNREACHABLE = (
    "Your decision was NOT recorded: the review service is unreachable right now. "
    "Please try again in a minute."
)
DECISION_PENDING = (
    "Your decision is being recorded: the review service is slow to answer right now. "
    "You will get a message here once it is recorded, or why it was not."
)
NOT_CONFIRMED = (
    "The review service has still not confirmed your decision, so whether it was recorded is "
    "not known. Look at the review message: if its buttons are gone, it was; if they are still "
    "there, click again."
)
NOT_CONFIRMED_YET = (
    "The bot is restarting and the review service has not confirmed your decision yet, so "
    "whether it was recorded is not known. In a minute, look at the review message: if its "
    "buttons are gone, it was recorded; if they are still there, click again."
)

DECISION_FAILED = (
    "Something went wrong in the bot while it recorded your decision, so whether it was "
    "recorded is not known. Look at the review message: if its buttons are gone, it was; if "
    "they are still there, click again."
)

ReplyState = Literal["accepted", "refused", "unknown"]


@dataclass(frozen=True)
class DecisionReply:
    """What became of a decision; `message` is a sentence for the reviewer."""

    state: ReplyState
    message: str

    @property
    def accepted(self) -> bool:
        return self.state == "accepted"


def decision_update_id(user_id: str, *click: str) -> str:
    """The update id of one click: the same for a retry of the same request, different for
    the next click. `click` is what Slack sends that identifies it (action_ts, view id)."""
    return request_update_id("decision", user_id, *click)


SignalAnswer = Literal["taken", "closed", "not taken"]


async def signal_decision(
    temporal: Client, workflow_id: str, decision: ReviewDecision
) -> SignalAnswer:
    """Send the click as the `record_review_decision` signal, `decision.click_id` set to its
    update id. "taken" once Temporal has written it to the history (the click is durable);
    "closed" when the review does not exist or has ended (the update that follows says so);
    "not taken" when Temporal did not take it (unreachable, slow, refused): the update alone
    then decides."""
    handle = temporal.get_workflow_handle(workflow_id)
    # Both bounds: rpc_timeout for the call, the outer one for a lazy client's connect.
    signal = handle.signal(
        SchemaApprovalWorkflow.record_review_decision,
        decision,
        rpc_timeout=timedelta(seconds=SIGNAL_TIMEOUT_SECONDS),
    )
    try:
        await call_review(signal, SIGNAL_TIMEOUT_SECONDS)
    except ReviewCallFailed as failure:
        if failure.fate == "closed":
            return "closed"
        log.warning(
            "Decision on %s: the signal was not taken (%s); sending the update alone",
            workflow_id,
            failure,
        )
        return "not taken"
    return "taken"


async def recorded_in_closed_review(
    temporal: Client, workflow_id: str, decision: ReviewDecision
) -> DecisionReply | None:
    """For a click whose signal the review took before it closed (the update then finds it
    closed): "Recorded: …" when the review recorded this person's decision for the stage, as
    the last approval that completed it does; None when it did not, or cannot be asked."""
    handle = temporal.get_workflow_handle(workflow_id)
    try:
        async with asyncio.timeout(DECISION_TIMEOUT_SECONDS):
            status = await handle.query(SchemaApprovalWorkflow.status)
    except Exception as error:
        log.warning("Decision on %s: the closed review was not read: %r", workflow_id, error)
        return None
    for d in status.decisions:
        if (d.stage, d.version) == (decision.stage, decision.submission_version) and same_person(
            d.reviewer, decision.reviewer
        ):
            verdict = "approved" if d.approved else "rejected"
            return DecisionReply(
                "accepted", f"Recorded: {d.stage} of version {d.version} {verdict} by {d.reviewer}."
            )
    return None


async def record_decision(
    temporal: Client,
    workflow_id: str,
    decision: ReviewDecision,
    *,
    update_id: str | None = None,
    timeout_seconds: float | None = None,
) -> DecisionReply:
    """One try: the workflow's answer, or "unknown" when Temporal did not give one in time
    (ask again with `follow_up` and the same `update_id`)."""
    handle = temporal.get_workflow_handle(workflow_id)
    update = handle.execute_update(SchemaApprovalWorkflow.decide_review, decision, id=update_id)
    try:
        outcome = await call_review(update, timeout_seconds or DECISION_TIMEOUT_SECONDS)
    except ReviewCallFailed as failure:
        if failure.fate == "refused":
            # The validator (or handler) refused; the workflow writes its reason for a person.
            return DecisionReply("refused", failure.message or DECISION_REFUSED)
        if failure.fate == "closed":
            return DecisionReply("refused", REVIEW_CLOSED)
        if failure.fate == "unknown":
            log.warning("Decision on %s not confirmed in time: %s", workflow_id, failure)
            return DecisionReply("unknown", NOT_CONFIRMED)
        # Unreachable, or any other answer (no permission, an expired API key, rate limits
        # spent…): Temporal saying no, so the reviewer must hear that the click did not count.
        log.warning("Decision on %s not recorded: %s", workflow_id, failure)
        return DecisionReply("refused", SERVICE_UNREACHABLE)
    return DecisionReply("accepted" if outcome.accepted else "refused", outcome.message)


async def follow_up(
    temporal: Client, workflow_id: str, decision: ReviewDecision, decision_id: str
) -> DecisionReply:
    """Ask again, with the same update id, until Temporal says what became of the decision
    or the follow-up window closes. A decision that did arrive is not decided twice: Temporal
    answers the repeat with the first one's outcome."""
    window = FollowUpWindow()
    reply = DecisionReply("unknown", NOT_CONFIRMED)
    while (left := window.left()) > 0:
        reply = await record_decision(
            temporal,
            workflow_id,
            decision,
            update_id=decision_id,
            timeout_seconds=min(DECISION_TIMEOUT_SECONDS, left),
        )
        if reply.state != "unknown":
            return reply
        await window.pause()
    if window.cut_by_drain:
        return DecisionReply("unknown", NOT_CONFIRMED_YET)
    return reply
