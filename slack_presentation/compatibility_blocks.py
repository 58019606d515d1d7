"""The compatibility verdict as reviewers read it, above the field diff: one line for a
compatible change, the problems for a breaking one, and why compliance review is required."""

from __future__ import annotations

from slack_presentation.mrkdwn import escape, fit
from slack_presentation.slack_blocks import SECTION_TEXT_LIMIT
from workflow.models import Compatibility, UploadResult

REVIEW_COMPATIBILITY_BLOCK_ID = "review_compatibility"
# The formats whose versions get a verdict (the others are plain JSON documents).
CHECKED_FORMATS = ("JSON Schema", "Avro", "Protobuf")

COMPLIANCE_REASON = (
    "Compliance review (Review3) is required because this change breaks consumers of the"
    " approved version."
)


def compatibility_text(upload: UploadResult) -> str | None:
    verdict = upload.compatibility
    if verdict is None:
        if upload.format not in CHECKED_FORMATS:
            return None
        if upload.previous_version is None:
            return "*Compatibility:* first version, nothing to compare with."
        return "*Compatibility:* no approved version to compare with yet."
    against = f"approved v{verdict.against_version}"
    if verdict.mode == "NONE":
        return f"*Compatibility:* not checked (mode NONE; compared with {against})."
    if verdict.compatible:
        return f":white_check_mark: *Compatible* with {against} ({verdict.mode})."
    lines = "\n".join(f"• {escape(problem)}" for problem in verdict.problems)
    text = f":warning: *Breaking change* against {against} ({verdict.mode}):\n{lines}"
    if upload.requires_compliance():
        text += f"\n_{COMPLIANCE_REASON}_"
    return fit(text, SECTION_TEXT_LIMIT)


def compatibility_line(verdict: Compatibility | None) -> str | None:
    """The verdict in one line, for `/schema-status` and App Home."""
    if verdict is None:
        return None
    if verdict.mode == "NONE":
        return "Compatibility: not checked (mode NONE)."
    if verdict.compatible:
        against = verdict.against_version
        return f":white_check_mark: Compatible with approved v{against} ({verdict.mode})."
    count = len(verdict.problems)
    return (
        f":warning: Breaking change against approved v{verdict.against_version}"
        f" ({verdict.mode}): {count} problem{'s' if count != 1 else ''}."
    )


def compatibility_section_text(verdict: Compatibility | None) -> str | None:
    """The verdict with its problems, for one review's status."""
    line = compatibility_line(verdict)
    if verdict is None or line is None:
        return None
    problems = "".join(f"\n• {escape(problem)}" for problem in verdict.problems)
    return fit(f"*Compatibility*\n{line}{problems}", SECTION_TEXT_LIMIT)
