"""The document of a submission, fetched and checked before any review starts.

`/submit-schema`, the submit form and `python -m bot start` ask this before they start or signal
anything: an unreachable URL, a document its format's library refuses, or one identical to the
version under review or the approved one is answered with the reason, and nothing runs. The
workflow's `upload_schema` repeats the same checks for starts that do not come through here.
"""

from __future__ import annotations

import logging

from temporalio.exceptions import ApplicationError

from activities.upload import read_document, sha256_digest
from bot.reviews.lookup import ExistingReview
from bot.runtime.settings import Settings
from schemas.fetch import FetchPolicy, SchemaFetchError, display_uri, fetch_document
from schemas.registry_client import RegistryClient
from schemas.registry_errors import RegistryError
from schemas.registry_subject import unregistrable_format, version_behind
from workflow.models import ReviewInput, Submission, same_person

log = logging.getLogger(__name__)

# The check waits this long for the schema registry, then leaves its rules to the upload.
REGISTRY_CHECK_SECONDS = 5.0


async def document_refusal(
    settings: Settings,
    review: ReviewInput,
    existing: ExistingReview | None,
    *,
    allow_private: bool | None = None,
) -> str | None:
    """Why the submission's document cannot be reviewed (a sentence fragment for "Not
    submitted: …"), or None when it can. `allow_private` overrides the setting: the command
    line starter fetches from its user's own machine, where the address rules protect
    nothing; the worker still applies them. `file://` documents are read only below
    SCHEMA_FETCH_FILE_ROOT either way."""
    submission = review.submission
    admin = any(same_person(submission.submitted_by, a) for a in settings.slack_admins)
    if submission.compatibility_mode and existing is not None and not admin:
        return (
            f"the compatibility mode of {submission.schema_id} was set by its first"
            " submission, and only an admin may change it: submit without a mode, or ask"
            " an admin."
        )
    policy = FetchPolicy(
        max_bytes=settings.schema_fetch_max_bytes,
        timeout_seconds=settings.schema_fetch_timeout_seconds,
        allow_private=(
            settings.schema_fetch_allow_private if allow_private is None else allow_private
        ),
        file_root=settings.schema_fetch_file_root,
    )
    try:
        content = await fetch_document(submission.content_uri, policy)
        document = await read_document(content, submission.content_uri)
    except SchemaFetchError as error:
        return _fragment(error.message)
    except ApplicationError as error:
        return _fragment(error.message)
    if refusal := await _registry_refusal(settings, submission, document.fmt):
        return _fragment(refusal)
    status = existing.status if existing is not None else None
    if (
        status is not None
        and status.state != "withdrawn"
        and status.digest == sha256_digest(content)
    ):
        what = "the approved" if status.state == "approved" else "the version under review,"
        return (
            f"the document is identical to {what} version {status.version} of"
            f" {submission.schema_id}, so there is nothing to review. Change the document"
            " first."
        )
    return None


async def _registry_refusal(settings: Settings, submission: Submission, fmt: str) -> str | None:
    """With a schema registry: a format it cannot hold, or a version not above the subject's
    registered ones, in the upload's words. A registry that does not answer refuses nothing
    here: the upload asks again and waits for it."""
    access = settings.registry_access(timeout_seconds=REGISTRY_CHECK_SECONDS)
    if access is None:
        return None
    if refusal := unregistrable_format(fmt, display_uri(submission.content_uri)):
        return refusal
    subject = settings.subject_for(submission.schema_id)
    client = RegistryClient(access)
    try:
        versions = await client.versions(subject)
    except RegistryError as error:
        log.warning("Submission of %s not checked against the registry: %s", subject, error)
        return None
    finally:
        await client.aclose()
    return version_behind(subject, versions[-1] if versions else None, submission.version)


def _fragment(sentence: str) -> str:
    """Refusals read "Not submitted: <fragment>"; the activities' sentences start a line."""
    return sentence[:1].lower() + sentence[1:]
