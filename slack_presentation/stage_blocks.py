"""Each round of a review as `/schema-status` and App Home show it (from `status.stages`): how
many approvals it needs, who approved, who is still asked, its deadline and what happens then,
and any override (who, why)."""

from __future__ import annotations

from collections.abc import Sequence

from slack_presentation.mentions import Mentions, mention
from slack_presentation.mrkdwn import escape, slack_date
from workflow.models import ReviewStatus
from workflow.policy_contract import OverrideRecord, StageStatus

STAGE_STATE_WORDS = {
    "waiting": "not open yet",
    "open": "open",
    "approved": "approved",
    "rejected": "rejected",
    "skipped": "not needed",
}
_NEXT_ROUND = {"Review1": "Review2", "Review2": "Review3"}
_ACTED = {
    "escalate": "the deadline passed, so the next round was asked instead",
    "reassign": "the deadline passed, so it was reassigned",
    "reject": "the deadline passed, so it ended rejected",
}


def stages_people(status: ReviewStatus) -> list[str]:
    """Everyone the rounds name, to be looked up for mentions."""
    named: list[str] = []
    for stage in status.stages:
        named += [*stage.reviewers, *stage.approved_by, *stage.still_asked]
        named += [e for e in (stage.reassign_to, stage.overridden_by) if e]
    return named + [o.requested_by for o in status.overrides]


def people_list(emails: Sequence[str], people: Mentions) -> str:
    return ", ".join(mention(email, people) for email in emails)


def deadline_words(stage: StageStatus, people: Mentions) -> str | None:
    """`deadline <date>, then Review2 is asked instead`, or what the deadline did."""
    if stage.deadline_acted:
        return _ACTED.get(stage.deadline_acted, f"the deadline acted ({stage.deadline_acted})")
    if not stage.deadline_then:
        return None
    if stage.deadline_then == "escalate":
        then = f"{_NEXT_ROUND.get(stage.stage, 'the next round')} is asked instead"
    elif stage.deadline_then == "reassign":
        then = f"it goes to {mention(stage.reassign_to or '', people)}"
    else:
        then = "the round ends rejected"
    if stage.deadline_at is None:
        return f"a deadline once it opens, then {then}"
    return f"deadline {slack_date(stage.deadline_at)}, then {then}"


def override_of(stage: StageStatus, status: ReviewStatus) -> OverrideRecord | None:
    """The override that approved this round of the current version, if one did."""
    if stage.overridden_by is None:
        return None
    mine = [o for o in status.overrides if o.version == status.version]
    return next((o for o in mine if o.stage == stage.stage), None) or next(
        (o for o in mine if o.stage is None), None
    )


def stage_line(
    stage: StageStatus, status: ReviewStatus, people: Mentions, *, compact: bool = False
) -> str:
    """One round: `*Review1* · open · 1 of 2 approvals (@A) · still asked: @B, @C · deadline …,
    then Review2 is asked instead`. `compact` leaves out who approved (App Home)."""
    parts = [f"*{stage.stage}*", STAGE_STATE_WORDS.get(stage.state, escape(stage.state))]
    if stage.state != "skipped":
        count = (
            f"{len(stage.approved_by)} of {stage.approvals_required}"
            f" approval{'s' if stage.approvals_required != 1 else ''}"
        )
        if stage.approved_by and not compact:
            count += f" ({people_list(stage.approved_by, people)})"
        parts.append(count)
    if stage.still_asked:
        parts.append(f"still asked: {people_list(stage.still_asked, people)}")
    deadline_matters = stage.state in ("open", "waiting") or stage.deadline_acted
    if deadline_matters and (deadline := deadline_words(stage, people)) is not None:
        parts.append(deadline)
    line = " · ".join(parts)
    if (override := override_of(stage, status)) is not None:
        by = mention(override.requested_by, people)
        line += f"\n    :rotating_light: approved by override by {by}: {escape(override.reason)}"
    return line


def stages_text(status: ReviewStatus, people: Mentions, *, compact: bool = False) -> str | None:
    """The rounds, one line each; None when the status has none (a workflow older than them).
    `compact` shows only the rounds not merely waiting their turn (App Home)."""
    shown = [
        s for s in status.stages if not compact or s.state not in ("waiting", "skipped")
    ] or status.stages
    if not shown:
        return None
    return "\n".join(f"• {stage_line(s, status, people, compact=compact)}" for s in shown)
