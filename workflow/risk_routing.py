"""What a version's compatibility verdict does to its review.

The verdict and the worker's BREAKING_CHANGE_POLICY arrive in the `upload_schema` result, so
both are in the workflow's history: a replay, or a review that runs on when the setting
changes, routes each version as it was routed first. `require_compliance` makes the
compliance review (Review3) required for a breaking change, as if a reviewer had escalated;
`refuse` is applied by the activity itself (the upload fails and the owner is told); `allow`
leaves the Conductor graph as it is.
"""

from __future__ import annotations

from workflow import patches
from workflow.models import UploadResult
from workflow.review_record import ReviewRecord

# Reviews whose uploads returned a verdict before routing existed completed without Review3.
PATCH_BREAKING_CHANGE_ROUTING = "breaking-change-routing"


def route_breaking_change(record: ReviewRecord, upload: UploadResult) -> None:
    verdict = upload.compatibility
    if verdict is None:
        return
    against = f"approved version {verdict.against_version} ({verdict.mode})"
    if verdict.compatible:
        record.note(f"Version {upload.version} is compatible with {against}.", "compatible")
        return
    problems = " ".join(verdict.problems)
    record.note(
        f"Version {upload.version} breaks consumers of {against}: {problems}", "breaking_change"
    )
    if upload.requires_compliance() and patches.patched(PATCH_BREAKING_CHANGE_ROUTING):
        record.compliance_required.add(upload.version)
        record.note(
            f"Compliance review (Review3) is required for version {upload.version} because it"
            " is a breaking change (BREAKING_CHANGE_POLICY require_compliance).",
            "compliance_required",
        )
