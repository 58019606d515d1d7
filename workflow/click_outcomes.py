"""What became of the decisions the bot signalled, by click id, for the update that follows.

The bot sends a click twice (docs/slack.md, "After a click"): first as the
`record_review_decision` signal, which Temporal writes to the history before Slack is answered,
so the click is durable without a worker; then as the `decide_review` update with the click's
id as its update id, whose answer the reviewer is told. The signal decides; the update only
answers with what the signal's decision came to, remembered here under that id. Plain Python,
no clock or randomness: the same history always remembers the same outcomes.
"""

from __future__ import annotations

from collections.abc import Iterable

from workflow.models import ClickOutcome

# Outcomes remembered (and carried across continue-as-new); the oldest are dropped. The update
# follows its signal within seconds, so only the latest few are ever asked for.
CLICK_OUTCOMES_KEPT = 200


class ClickOutcomes:
    def __init__(self, carried: Iterable[ClickOutcome] = ()) -> None:
        # Insertion-ordered: the first key is the oldest.
        self._outcomes: dict[str, ClickOutcome] = {o.click_id: o for o in carried}
        self._trim()

    def remember(self, click_id: str, *, accepted: bool, message: str) -> None:
        """Remember a signalled decision's outcome; the first one for a click id stands (a
        repeat of the same click is refused as "already recorded", which it is not for it)."""
        if not click_id or click_id in self._outcomes:
            return
        self._outcomes[click_id] = ClickOutcome(click_id, accepted, message)
        self._trim()

    def outcome(self, click_id: str | None) -> ClickOutcome | None:
        """The remembered outcome of this click, if its signal came first."""
        if not click_id:
            return None
        return self._outcomes.get(click_id)

    def carried(self) -> list[ClickOutcome]:
        """The outcomes, oldest first, for the next run."""
        return list(self._outcomes.values())

    def _trim(self) -> None:
        while len(self._outcomes) > CLICK_OUTCOMES_KEPT:
            del self._outcomes[next(iter(self._outcomes))]
