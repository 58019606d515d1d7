"""`/schema-status policy <schema>`: which rule of the policy file a schema's reviews start
with, and why, as the bot shows it (the facts come from `bot.runtime.review_rules`)."""

from __future__ import annotations

from dataclasses import dataclass

from slack_presentation.mrkdwn import escape
from workflow.models import Reviewers
from workflow.policy_contract import POLICY_STAGES, ReviewPolicy


@dataclass(frozen=True)
class RuleFacts:
    """The rule that matched (None fields: no rule matched, the defaults apply)."""

    schema_id: str
    source: str | None
    number: int | None = None
    pattern: str | None = None
    reviewers: Reviewers | None = None
    policy: ReviewPolicy | None = None
    compatibility_mode: str | None = None
    breaking_change_policy: str | None = None


def rule_explanation(facts: RuleFacts) -> str:
    schema = f"*{escape(facts.schema_id)}*"
    if facts.source is None:
        return (
            f"No rule: the defaults. No policy file is set (REVIEW_POLICY_FILE), so reviews"
            f" of {schema} start with the default reviewers and settings."
        )
    if facts.number is None:
        return (
            f"No rule: the defaults. No rule of the policy file matches {schema}, so its"
            " reviews start with the default reviewers and settings."
        )
    lines = [
        f"Rule {facts.number} applies to {schema}: its pattern `{escape(facts.pattern or '')}`"
        f" is the first that matches (the first match wins)."
    ]
    if facts.reviewers is not None:
        r = facts.reviewers
        lines.append(
            f"• Reviewers: {r.reviewer_a} and {r.reviewer_b} (Review1), {r.senior_reviewer}"
            f" (Review2), {r.compliance_reviewer} (Review3)"
        )
    for stage in POLICY_STAGES:
        entry = facts.policy.for_stage(stage) if facts.policy is not None else None
        if entry is None:
            continue
        pool = f"{entry.approvals} of {', '.join(entry.reviewers)}" if entry.reviewers else ""
        deadline = entry.deadline
        after = (
            f"after {deadline.after_seconds / 3600:g} hours, {deadline.then}"
            + (f" to {deadline.reassign_to}" if deadline.reassign_to else "")
            if deadline is not None
            else ""
        )
        lines.append(f"• {stage}: " + "; ".join(p for p in (pool, after) if p))
    if facts.compatibility_mode:
        lines.append(f"• Compatibility mode: {facts.compatibility_mode}")
    if facts.breaking_change_policy:
        lines.append(f"• Breaking changes: {facts.breaking_change_policy}")
    lines.append("A review keeps the rule it started with.")
    return "\n".join(escape(line) if i else line for i, line in enumerate(lines))
