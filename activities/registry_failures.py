"""Registry failures as the `ApplicationError`s the workflow knows: retryable while the
registry may recover or an operator may fix its credentials, non-retryable when it refused
this document for good (`workflow.registry_contract`)."""

from __future__ import annotations

from temporalio.exceptions import ApplicationError

from schemas import error_kinds as kinds
from schemas.registry_errors import (
    RegistryConflict,
    RegistryError,
    RegistryRejected,
    RegistryUnauthorized,
)
from workflow.registry_contract import (
    REGISTRY_CONFLICT,
    REGISTRY_REJECTED,
    REGISTRY_UNAUTHORIZED,
    REGISTRY_UNAVAILABLE,
)


def registration_failure(error: RegistryError) -> ApplicationError:
    """`register_approved_schema`'s error for a registry failure."""
    if isinstance(error, RegistryConflict):
        return ApplicationError(
            _in_words(
                error, "A version registered there since the review started is incompatible with it"
            ),
            type=REGISTRY_CONFLICT,
            non_retryable=True,
        )
    if isinstance(error, RegistryRejected):
        return ApplicationError(
            _in_words(error, "The registry cannot read it"),
            type=REGISTRY_REJECTED,
            non_retryable=True,
        )
    return _retryable(error)


def upload_failure(error: RegistryError, shown_uri: str) -> ApplicationError:
    """`upload_schema`'s error for a registry failure while it reads the subject."""
    if isinstance(error, RegistryRejected):
        return ApplicationError(
            f"The schema registry cannot read the document at {shown_uri}:"
            f" {_said(error)}. Fix the document and submit a new version.",
            type=kinds.SCHEMA_NOT_PARSEABLE,
            non_retryable=True,
        )
    return _retryable(error)


def _retryable(error: RegistryError) -> ApplicationError:
    kind = (
        REGISTRY_UNAUTHORIZED if isinstance(error, RegistryUnauthorized) else REGISTRY_UNAVAILABLE
    )
    return ApplicationError(error.sentence, type=kind)


def _said(error: RegistryError) -> str:
    return (error.registry_message or error.sentence).strip().rstrip(".")


def _in_words(error: RegistryError, meaning: str) -> str:
    """The registry's words in a sentence: what it means, then what it said."""
    return f"The schema registry refused the registration: {meaning} ({_said(error)})."
