"""The upload against a schema registry: the subject's registered versions are the approved
ones, so the verdict, the diff and the version rule compare with them, and the registry's own
verdict is asked before any reviewer sees the version.

The mode is the submission's when it changes the subject's level (judged by our checkers in the
new mode: the registry checks that level only at registration), else the subject's level
(`defaultToGlobal`), else the worker's DEFAULT_COMPATIBILITY. When the registry finds the
version incompatible, it is incompatible, whatever our checkers say: the registry would refuse
to register it. Its messages join ours, marked as its, so reviewers read both.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from temporalio.exceptions import ApplicationError

from activities.registry_failures import upload_failure
from schemas import error_kinds as kinds
from schemas.compatibility import ApprovedVersion, verdict
from schemas.fetch import display_uri
from schemas.formats import SchemaFormatError
from schemas.registry_client import RegisteredVersion, RegistryClient, RegistrySchema
from schemas.registry_errors import RegistryError
from schemas.registry_subject import (
    FORMATS_OF_TYPES,
    parsed_registered,
    unregistrable_format,
    version_behind,
)
from schemas.validation import SchemaDocument
from workflow.models import Compatibility, Submission
from workflow.registry_contract import DOCUMENT_CARRIED_MAX_BYTES, SCHEMA_TYPES, RegistryView

# Reviewers read a handful of the registry's messages; its view in the history keeps them all.
REGISTRY_MESSAGES_SHOWN = 5
REGISTRY_SAYS = "The schema registry says: "


@dataclass(frozen=True)
class RegistrySide:
    """A registry's client and the worker's registry settings."""

    client: RegistryClient
    subject_template: str = "{schema_id}-value"
    retry_hours: float = 24.0

    def subject_for(self, schema_id: str) -> str:
        return self.subject_template.format(schema_id=schema_id)


@dataclass
class SubjectReading:
    """What the upload learned of the subject."""

    view: RegistryView
    mode: str
    compatibility: Compatibility | None
    # The subject's latest registered version: what the diff compares with.
    latest: RegisteredVersion | None = None
    approved: list[RegisteredVersion] = field(default_factory=list)


async def read_subject(
    side: RegistrySide,
    submission: Submission,
    document: SchemaDocument,
    content: bytes,
    default_mode: str,
) -> SubjectReading:
    """The subject's side of the version, or a non-retryable ApplicationError for what the
    owner must change, a retryable one while the registry does not answer as it should."""
    shown = display_uri(submission.content_uri)
    if refusal := unregistrable_format(document.fmt, shown):
        raise ApplicationError(refusal, type=kinds.SCHEMA_NOT_REGISTRABLE, non_retryable=True)
    subject = side.subject_for(submission.schema_id)
    schema = RegistrySchema(
        content.decode("utf-8-sig"), SCHEMA_TYPES[document.fmt], tuple(submission.references)
    )
    try:
        registered = await side.client.registered(subject)
        latest = registered[-1] if registered else None
        if refusal := version_behind(
            subject, latest.version if latest else None, submission.version
        ):
            raise ApplicationError(
                refusal, type=kinds.SCHEMA_VERSION_BEHIND_REGISTRY, non_retryable=True
            )
        if latest is not None and (found := await side.client.lookup(subject, schema)):
            raise ApplicationError(
                f"Version {submission.version} of {submission.schema_id} is identical to"
                f" version {found.version} registered as {subject} in the schema registry, so"
                " there is nothing to review. Change the document, or keep using the"
                " registered version.",
                type=kinds.SCHEMA_UNCHANGED,
                non_retryable=True,
            )
        level = await side.client.level(subject) or default_mode
        changing = submission.compatibility_mode not in (None, level)
        mode = (
            submission.compatibility_mode if changing and submission.compatibility_mode else level
        )
        said = None
        if latest is not None and not changing:
            said = await side.client.verdict(subject, schema)
    except RegistryError as error:
        raise upload_failure(error, shown) from None
    ours = await verdict(
        document.fmt, submission.version, document.parsed, _approved(registered), mode
    )
    view = RegistryView(
        subject=subject,
        schema_type=schema.schema_type,
        latest_version=latest.version if latest else None,
        compatibility_level=level,
        registry_compatible=said.compatible if said else None,
        registry_messages=said.messages if said else [],
        document=schema.text if len(content) <= DOCUMENT_CARRIED_MAX_BYTES else None,
        retry_hours=side.retry_hours,
    )
    compatibility = ours
    if said is not None and not said.compatible and latest is not None:
        compatibility = _refused_by_registry(ours, mode, latest.version, said.messages)
    return SubjectReading(view, mode, compatibility, latest, registered)


def _approved(registered: list[RegisteredVersion]) -> list[ApprovedVersion]:
    found: list[ApprovedVersion] = []
    for version in registered:
        fmt = FORMATS_OF_TYPES.get(version.schema.schema_type)
        if fmt is None:
            continue
        try:
            parsed = parsed_registered(version.schema.text, version.schema.schema_type)
        except SchemaFormatError:
            # The registry validated it on the way in; one it serves unreadable is left out.
            continue
        found.append(ApprovedVersion(version.version, fmt, parsed))
    return found


def _refused_by_registry(
    ours: Compatibility | None, mode: str, latest: int, messages: list[str]
) -> Compatibility:
    said = [f"{REGISTRY_SAYS}{m}" for m in messages[:REGISTRY_MESSAGES_SHOWN]] or [
        f"{REGISTRY_SAYS}it is incompatible (it gave no reason)."
    ]
    if ours is None:
        return Compatibility(mode, latest, False, said)
    return Compatibility(ours.mode, ours.against_version, False, [*ours.problems, *said])
