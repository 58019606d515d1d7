"""Reminders for reviews left waiting: a durable timer per open stage, then a direct message.

Each open stage gets its own background task, so both Review1 seats are reminded independently
and a reminder, slow or failing, never holds up the review. The timers are Temporal's
(`wait_condition` with a timeout, never the system clock): a reminder falls due while no worker
runs and is sent once one is back, and tests can skip over the wait.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

from workflow import message_facts, patches
from workflow.activity_calls import REMINDER_OPTIONS, failure_reason, unless_interrupted
from workflow.activity_contract import send_review_reminder, update_review_message
from workflow.activity_payloads import PostedMessage, ReviewReminder, ReviewRequest
from workflow.background import Background
from workflow.message_facts import MessageClosing
from workflow.message_updates import closed_message
from workflow.models import RecordedDecision, ReminderPolicy, same_person
from workflow.policy_closings import why_not_asked
from workflow.review_record import ReviewRecord
from workflow.review_round import next_step
from workflow.slack_outbox import SlackOutbox

# Reviews whose reminders stayed as sent once their stage closed must replay without the update.
PATCH_CLOSE_REMINDERS = "reminders-say-when-their-stage-closed"


@dataclass
class _SharedTimer:
    """Lean runs: one durable timer for every stage whose reminder falls due at `due`."""

    task: asyncio.Task[None]
    waiting: int = 0


class ReviewReminders:
    def __init__(self, record: ReviewRecord, outbox: SlackOutbox) -> None:
        self._record = record
        self._outbox = outbox
        self.background = Background()
        self._timers: dict[datetime, _SharedTimer] = {}

    def watch(self, request: ReviewRequest) -> None:
        """Remind the request's reviewer, as the review's policy says, while the stage waits."""
        policy = self._record.reminders
        if policy is None or policy.max_reminders < 1:
            return
        self.background.spawn(self._remind(request, policy))

    def settled(self) -> bool:
        return self.background.settled()

    async def settle(self) -> None:
        """Wait until no reminder is pending; they end on their own once no stage waits."""
        await self.background.settle()

    async def _remind(self, request: ReviewRequest, policy: ReminderPolicy) -> None:
        record = self._record
        version, stage = request.submission.version, request.stage

        def answered() -> bool:
            # Decided, rejected elsewhere in the round, superseded, the review is over, or the
            # stage was reassigned (the new reviewer's own reminders take over).
            return not record.is_waiting_for(version, stage, request.reviewer)

        opened = workflow.now()
        delay = policy.first_after_seconds
        sent: list[PostedMessage] = []
        last: ReviewReminder | None = None
        for number in range(1, policy.max_reminders + 1):
            # The reminder falling due, or the stage answered, which ends the reminders.
            await self._until_due(answered, delay, number, stage, version)
            if answered():
                break
            reminder = ReviewReminder(
                request=request,
                number=number,
                max_reminders=policy.max_reminders,
                waited_seconds=(workflow.now() - opened).total_seconds(),
                review_message=self._outbox.review_message(version, stage, request.reviewer),
            )
            delivered = len(sent)
            going_on = await self._send(reminder, answered, sent)
            if len(sent) > delivered:
                # The latest reminder the reviewer actually got.
                last = reminder
            if not going_on:
                break
            delay = policy.then_every_seconds
        if last is None or not sent or not patches.patched(PATCH_CLOSE_REMINDERS):
            return
        # The reminders sent must not keep asking once the stage stopped waiting.
        await workflow.wait_condition(answered)
        await self._close(last, sent)

    async def _until_due(
        self, answered: Callable[[], bool], delay: float, number: int, stage: str, version: int
    ) -> None:
        """Until `delay` seconds passed or `answered()`. Lean runs: the stages opened together
        (both Review1 seats) share one timer, cancelled once none of them waits for it."""
        if not patches.lean():
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    answered,
                    timeout=delay,
                    timeout_summary=f"Reminder {number} for {stage} of version {version}",
                )
            return
        due = workflow.now() + timedelta(seconds=delay)
        timer = self._timers.get(due)
        if timer is None:
            summary = f"Reminder {number} of version {version}"
            timer = _SharedTimer(asyncio.create_task(workflow.sleep(delay, summary=summary)))
            self._timers[due] = timer
        timer.waiting += 1
        try:
            await workflow.wait_condition(lambda: answered() or timer.task.done())
        finally:
            timer.waiting -= 1
            if timer.waiting == 0:
                if self._timers.get(due) is timer:
                    del self._timers[due]
                if not timer.task.done():
                    timer.task.cancel()

    async def _close(self, reminder: ReviewReminder, sent: list[PostedMessage]) -> None:
        request = reminder.request
        closing, decision = self._why_closed(request)
        update = closed_message(request, closing, decision, messages=sent, reminder=reminder)
        try:
            await workflow.execute_activity(update_review_message, update, **REMINDER_OPTIONS)
        except ActivityError as error:
            self._record.note(
                f"Could not update the reminders sent to {request.reviewer} for {request.stage}"
                f" of version {request.submission.version}: {failure_reason(error)}.",
                "reminder_update_failed",
            )

    def _why_closed(self, request: ReviewRequest) -> tuple[MessageClosing, RecordedDecision | None]:
        """Why the stage no longer waits for the reminded reviewer, as the closed request says."""
        record = self._record
        version, stage = request.submission.version, request.stage
        decisions = record.decisions_of(version)
        decision = next((d for d in decisions if d.stage == stage), None)
        if record.policy is not None or record.overrides:
            mine = [d for d in decisions if same_person(d.reviewer, request.reviewer)]
            decided = next((d for d in mine if d.stage == stage), None)
            if decided is not None:
                return message_facts.decided(decided), decided
            return why_not_asked(record, version, stage, request.reviewer), None
        if decision is not None:
            return message_facts.decided(decision), decision
        holder = record.reviewers.for_stage(stage)
        if not same_person(holder, request.reviewer):
            return message_facts.reassigned(holder), None
        if record.version > version:
            return message_facts.superseded_by(record.version), None
        step = next_step(decisions)
        if step.kind == "rejected" and step.rejection is not None:
            return message_facts.rejected_elsewhere(step.rejection), None
        return message_facts.NO_LONGER_NEEDED, None

    async def _send(
        self, reminder: ReviewReminder, answered: Callable[[], bool], sent: list[PostedMessage]
    ) -> bool:
        """Send one reminder; False when its stage stopped waiting in the meantime."""
        request = reminder.request
        which = f"{reminder.number} of {reminder.max_reminders}"
        whom = f"to {request.reviewer} for {request.stage} of version {request.submission.version}"
        handle = workflow.start_activity(send_review_reminder, reminder, **REMINDER_OPTIONS)
        try:
            posted = await unless_interrupted(handle, answered)
        except ActivityError as error:
            # The reviewer can still decide, and the next reminder is already due later.
            self._record.note(
                f"Could not send reminder {which} {whom}: {failure_reason(error)}.",
                "reminder_failed",
            )
            return True
        if posted is None:
            return False
        sent.append(posted)
        self._record.note(f"Reminder {which} sent {whom}.", "reminder_sent")
        return True
