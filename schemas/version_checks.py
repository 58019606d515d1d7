"""What `upload_schema` checks beyond the document itself: that it is not a copy of a version
already reviewed, and whether it is compatible with the approved versions.

The schema store is the memory across reviews: it knows the approved versions (also those of
an earlier, completed review) and the schema's compatibility mode.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from temporalio import activity

from schemas.compatibility import ApprovedVersion, verdict
from schemas.formats import FORMAT_PROTOBUF, SchemaFormatError, parse_document
from schemas.store import SchemaStore, StoredVersion
from schemas.validation import SchemaDocument
from workflow.models import DEFAULT_COMPATIBILITY_MODE, Compatibility, Submission


@dataclass(frozen=True)
class CompatibilityPolicy:
    """The worker's settings: the mode of a schema whose first submission named none, and what
    a breaking change does (one of `workflow.models.BREAKING_CHANGE_POLICIES`)."""

    default_mode: str = DEFAULT_COMPATIBILITY_MODE
    breaking_change: str = "require_compliance"


def copy_of_reviewed(
    store: SchemaStore, submission: Submission, digest: str, previous: StoredVersion | None
) -> str | None:
    """Why this document needs no review (a sentence), or None: it is the approved version's,
    or the one of the version it follows."""
    schema_id, version = submission.schema_id, submission.version
    approved = [a for a in store.approved_versions(schema_id) if a.version < version]
    if approved and approved[-1].digest == digest:
        return (
            f"Version {version} of {schema_id} is identical to the approved version"
            f" {approved[-1].version}, so there is nothing to review. Change the document, or"
            " keep using the approved version."
        )
    if previous is not None and previous.digest == digest:
        return (
            f"Version {version} of {schema_id} is identical to version {previous.version},"
            " which was already submitted for review. Submit a changed document."
        )
    return None


def resolve_mode(store: SchemaStore, submission: Submission, policy: CompatibilityPolicy) -> str:
    """The submission's mode, remembered for the schema; else the one remembered; else the
    default. Who may change it (the first submitter, or an admin) is the bot's check."""
    if submission.compatibility_mode:
        if store.compatibility_mode(submission.schema_id) != submission.compatibility_mode:
            store.set_compatibility_mode(submission.schema_id, submission.compatibility_mode)
        return submission.compatibility_mode
    return store.compatibility_mode(submission.schema_id) or policy.default_mode


async def check_compatibility(
    store: SchemaStore, submission: Submission, document: SchemaDocument, mode: str
) -> Compatibility | None:
    approved = await asyncio.to_thread(_approved_documents, store, submission)
    return await verdict(document.fmt, submission.version, document.parsed, approved, mode)


def _approved_documents(store: SchemaStore, submission: Submission) -> list[ApprovedVersion]:
    found: list[ApprovedVersion] = []
    for stored in store.approved_versions(submission.schema_id):
        if stored.version >= submission.version:
            continue
        content = store.load(stored.schema_id, stored.version)
        try:
            parsed = (
                content.decode("utf-8-sig")
                if stored.format == FORMAT_PROTOBUF
                else parse_document(content)
            )
        except (SchemaFormatError, UnicodeDecodeError):
            activity.logger.warning(
                "Approved version %s of %s could not be read back; it is left out of the"
                " compatibility check",
                stored.version,
                stored.schema_id,
            )
            continue
        found.append(ApprovedVersion(stored.version, stored.format, parsed))
    return found


def breaking_change_refusal(submission: Submission, compatibility: Compatibility) -> str:
    problems = " ".join(compatibility.problems)
    return (
        f"Version {submission.version} of {submission.schema_id} breaks consumers of the"
        f" approved version {compatibility.against_version} ({compatibility.mode}), and breaking"
        f" changes are refused: {problems} Make the change compatible and submit it again."
    )
