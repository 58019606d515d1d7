"""The `people_away` workflow: who is away, until when, and who decides for them.

One long-running workflow per task queue holds every absence (`workflow.away_contract`). Setting
one (`set_away`) hands the person's open review seats to their delegate (activity
`hand_over_seats`, which calls each review's `reassign_reviewer`); a durable timer gives the
seats still open back when the absence ends (`return_seats`), as does `clear_away`. New reviews
read the absences (`absences` query) when the bot starts them and seat the delegates at once.
It continues as new when its history grows long, carrying the absences.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

from workflow.activity_contract import hand_over_seats, return_seats
from workflow.away_contract import (
    AWAY_REFUSED,
    PEOPLE_AWAY_WORKFLOW_TYPE,
    QUERY_ABSENCES,
    UPDATE_CLEAR_AWAY,
    UPDATE_SET_AWAY,
    Absence,
    AwayClear,
    AwayState,
    HandedOver,
    HandOver,
)
from workflow.away_rules import absence_problem, clear_problem, key_of

# A handover calls every open review of the person; retried, then given up with a log line
# rather than holding every later absence behind it.
SEAT_CALLS: workflow.ActivityConfig = {
    "start_to_close_timeout": timedelta(minutes=2),
    "retry_policy": RetryPolicy(maximum_attempts=10, maximum_interval=timedelta(minutes=1)),
}
# Well below Temporal's limits: an absence costs a handful of events.
MAX_HISTORY_EVENTS = 5_000


@workflow.defn(name=PEOPLE_AWAY_WORKFLOW_TYPE)
class PeopleAwayWorkflow:
    @workflow.init
    def __init__(self, state: AwayState | None = None) -> None:
        carried = state.absences if state is not None else []
        self._absences: dict[str, Absence] = {key_of(a.person): a for a in carried}
        # People whose open seats go to their delegate, and absences whose seats go back.
        self._handovers: list[str] = []
        self._returns: list[Absence] = []

    @workflow.run
    async def run(self, state: AwayState | None = None) -> None:
        while True:
            self._end_due()
            await self._work()
            if self._should_continue_as_new():
                await workflow.wait_condition(workflow.all_handlers_finished)
                if not (self._handovers or self._returns):
                    workflow.continue_as_new(AwayState(list(self._absences.values())))
            # The timeout is the next absence's end: a durable timer, due with no worker up.
            with contextlib.suppress(TimeoutError):
                await workflow.wait_condition(
                    lambda: bool(self._handovers or self._returns),
                    timeout=self._until_next_return(),
                )

    @workflow.update(name=UPDATE_SET_AWAY)
    def set_away(self, absence: Absence) -> str:
        key = key_of(absence.person)
        earlier = self._absences.get(key)
        if earlier is not None and earlier.handed_over:
            # A new delegate or date: the old delegate's seats go back first.
            self._returns.append(earlier)
        absence.handed_over = []
        self._absences[key] = absence
        self._handovers.append(key)
        return (
            f"{absence.person} is away until {absence.until}; {absence.delegate} decides for"
            " them meanwhile."
        )

    @set_away.validator
    def _check_set_away(self, absence: Absence) -> None:
        if problem := absence_problem(absence, self._absences, workflow.now()):
            raise ApplicationError(problem, type=AWAY_REFUSED, non_retryable=True)

    @workflow.update(name=UPDATE_CLEAR_AWAY)
    def clear_away(self, request: AwayClear) -> str:
        absence = self._absences.pop(key_of(request.person))
        self._returns.append(absence)
        return f"{absence.person} is back; their open seats return to them."

    @clear_away.validator
    def _check_clear_away(self, request: AwayClear) -> None:
        if problem := clear_problem(request, self._absences):
            raise ApplicationError(problem, type=AWAY_REFUSED, non_retryable=True)

    @workflow.query(name=QUERY_ABSENCES)
    def absences(self) -> list[Absence]:
        return list(self._absences.values())

    def _end_due(self) -> None:
        now = workflow.now()
        for key, absence in list(self._absences.items()):
            if datetime.fromisoformat(absence.back_at) <= now:
                del self._absences[key]
                self._returns.append(absence)

    def _until_next_return(self) -> timedelta | None:
        if not self._absences:
            return None
        soonest = min(datetime.fromisoformat(a.back_at) for a in self._absences.values())
        # At least a second: a timer of 0 would spin.
        return max(soonest - workflow.now(), timedelta(seconds=1))

    async def _work(self) -> None:
        while self._returns or self._handovers:
            if self._returns:
                absence = self._returns.pop(0)
                if absence.handed_over:
                    await self._moved(return_seats, absence.handed_over, absence.person)
                continue
            key = self._handovers.pop(0)
            absence_now = self._absences.get(key)
            if absence_now is None:
                continue
            request = HandOver(absence_now.person, absence_now.delegate, absence_now.until)
            handed = await self._moved(hand_over_seats, request, absence_now.person)
            absence_now.handed_over.extend(handed)
            if self._absences.get(key) is not absence_now:
                # Cleared (or changed) while the seats were being handed over: give them back.
                self._returns.append(absence_now)

    async def _moved(
        self,
        activity: Callable[[Any], Awaitable[list[HandedOver]]],
        argument: Any,
        person: str,
    ) -> list[HandedOver]:
        """The seats the activity moved; none when it failed for good (logged)."""
        try:
            return await workflow.execute_activity(activity, argument, **SEAT_CALLS)
        except ActivityError as error:
            workflow.logger.warning("Seats of %s not moved: %s", person, error.cause or error)
            return []

    def _should_continue_as_new(self) -> bool:
        info = workflow.info()
        return (
            info.is_continue_as_new_suggested()
            or info.get_current_history_length() > MAX_HISTORY_EVENTS
        )
