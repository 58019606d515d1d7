"""The reassign modal's submission: the workflow's answer shown under the field it concerns.

Only the answer to the submission can keep the modal open with a sentence under a field, and
Slack waits 3 seconds for it: the people are looked up and the update sent within a budget,
before answering. The confirmation follows as an ephemeral where the button was (a direct
message when it was in App Home).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.reviews.follow_ups import request_update_id
from bot.reviews.lookup import TemporalUnavailable, find_review
from bot.reviews.reassign import (
    ReassignmentRefused,
    ReassignmentUnconfirmed,
    requester_refusal,
    send_reassignment,
)
from bot.slack_app.deps import BotDeps
from bot.slack_app.listeners.context import deps_of
from bot.slack_app.listeners.decide import tell
from bot.slack_app.listeners.events.app_home_opened import publish_home
from slack_api.people import IdentityUnavailable
from slack_presentation.mentions import emails_in
from slack_presentation.reassign_modal import (
    REVIEWER_BLOCK,
    SEAT_BLOCK,
    InvalidReassignTarget,
    ReassignTarget,
    read_reassign_form,
)
from workflow.models import Reassignment, ReassignmentOutcome, workflow_id_for

log = logging.getLogger(__name__)

# Of Slack's 3 seconds, what the look-ups and the update may use.
ANSWER_BUDGET = timedelta(seconds=2.5)

NOT_REACHED = (
    "The review service (Temporal) did not answer, so nothing changed. Please try again in a"
    " minute."
)
NOT_CONFIRMED = (
    "The review service did not confirm in time, so the reviewer may or may not have changed."
    " Check /schema-status before trying again."
)
NO_EMAIL = (
    "Slack does not give this person's email address, and reviewers are matched by email:"
    " pick someone else."
)


class _Refused(Exception):
    """A sentence to show under a field of the modal, nothing having changed."""

    def __init__(self, block_id: str, sentence: str) -> None:
        super().__init__(sentence)
        self.block_id = block_id


async def reassign_from_form(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    deps = deps_of(context)
    user_id = str(body["user"]["id"])
    view = body["view"]
    try:
        target = ReassignTarget.decode(view.get("private_metadata", ""))
        outcome = await _reassign(deps, client, user_id, target, view)
    except InvalidReassignTarget as error:
        await ack(response_action="errors", errors={SEAT_BLOCK: str(error)})
        return
    except _Refused as refusal:
        await ack(response_action="errors", errors={refusal.block_id: str(refusal)})
        return
    except (TimeoutError, TemporalUnavailable, SlackApiError) as error:
        log.warning("Reassignment not made: %r", error)
        await ack(response_action="errors", errors={SEAT_BLOCK: NOT_REACHED})
        return
    except ReassignmentUnconfirmed:
        await ack(response_action="errors", errors={SEAT_BLOCK: NOT_CONFIRMED})
        return
    # The modal closes now; the confirmation follows.
    await ack()
    sentence = f"Reassigned in the review of {target.schema_id}: {outcome.message}"
    people = await deps.people.mentions(client, emails_in(sentence))
    await tell(client, target.channel, user_id, sentence, people)
    if target.channel is None:
        await publish_home(client, deps, user_id)


async def _reassign(
    deps: BotDeps,
    client: AsyncWebClient,
    user_id: str,
    target: ReassignTarget,
    view: dict[str, Any],
) -> ReassignmentOutcome:
    form = read_reassign_form(view.get("state", {}).get("values", {}))
    loop = asyncio.get_running_loop()
    answer_by = loop.time() + ANSWER_BUDGET.total_seconds()
    # Nothing is sent before the update: a timeout here changed nothing.
    async with asyncio.timeout_at(answer_by):
        try:
            requester = await deps.people.email_of(client, user_id)
        except IdentityUnavailable as error:
            raise _Refused(SEAT_BLOCK, str(error)) from None
        try:
            reviewer = await deps.people.email_of(client, form.user_id)
        except IdentityUnavailable:
            raise _Refused(REVIEWER_BLOCK, NO_EMAIL) from None
        # Asked again, not trusted from when the form opened: the review may have moved on.
        existing = await find_review(deps.temporal, target.schema_id, ANSWER_BUDGET)
    if refusal := requester_refusal(existing, requester, deps.settings.slack_admins):
        raise _Refused(SEAT_BLOCK, refusal)
    request = Reassignment(
        seat=form.seat, reviewer=reviewer, requested_by=requester, reason=form.reason
    )
    try:
        return await send_reassignment(
            deps.temporal,
            workflow_id_for(target.schema_id),
            request,
            timedelta(seconds=max(answer_by - loop.time(), 0.1)),
            request_update_id("reassign", user_id, str(view.get("id", ""))),
        )
    except ReassignmentRefused as refused:
        block = REVIEWER_BLOCK if refused.part == "reviewer" else SEAT_BLOCK
        raise _Refused(block, str(refused)) from None
