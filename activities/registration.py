"""The `register_approved_schema` activity: the approved version into the schema registry,
exactly once across activity retries, worker kills and a registry that registered but
answered 5xx.

Every attempt looks first (`POST /subjects/{subject}`): a registry that holds the document
under the subject already answers its version and id, and nothing is registered again. Only
then is the subject's level written (when the approved review changed it) and the document
registered. A document too large to travel with the review is fetched again, under the
fetch's address rules, and must still have the digest the reviewers approved.
"""

from __future__ import annotations

from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.heartbeats import heartbeating
from activities.registry_failures import registration_failure
from activities.upload import sha256_digest
from schemas.fetch import FetchPolicy, SchemaFetchError, display_uri, fetch_document
from schemas.registry_client import RegistryClient, RegistrySchema
from schemas.registry_errors import RegistryError
from workflow import activity_contract as contract
from workflow.registry_contract import (
    REGISTRY_DOCUMENT_CHANGED,
    REGISTRY_UNAVAILABLE,
    Registration,
    RegistrationRequest,
)


class RegistrationActivities:
    """`client`: the worker's registry (None: this worker has none, and says so, retryable:
    another worker may)."""

    def __init__(self, client: RegistryClient | None, policy: FetchPolicy) -> None:
        self._client = client
        self._policy = policy

    @activity.defn(name=contract.register_approved_schema.__name__)
    async def register_approved_schema(self, request: RegistrationRequest) -> Registration:
        async with heartbeating():
            if self._client is None:
                raise ApplicationError(
                    "The worker that ran the registration has no schema registry set"
                    " (SCHEMA_REGISTRY_URL): every worker needs the same registry settings.",
                    type=REGISTRY_UNAVAILABLE,
                )
            schema = RegistrySchema(
                request.document if request.document is not None else await self._fetch(request),
                request.schema_type,
                tuple(request.references),
            )
            try:
                return await self._register(self._client, request, schema)
            except RegistryError as error:
                raise registration_failure(error) from None

    async def _register(
        self, client: RegistryClient, request: RegistrationRequest, schema: RegistrySchema
    ) -> Registration:
        subject = request.subject
        found = await client.lookup(subject, schema)
        if found is None:
            if request.set_compatibility:
                await client.set_level(subject, request.set_compatibility)
            await client.register(subject, schema)
            found = await client.lookup(subject, schema)
            if found is None:
                raise ApplicationError(
                    f"The schema registry took version {request.version} of"
                    f" {request.schema_id} under {subject} but does not find it there yet.",
                    type=REGISTRY_UNAVAILABLE,
                )
            activity.logger.info(
                "Registered version %s of %s as %s version %s (id %s)",
                request.version,
                request.schema_id,
                subject,
                found.version,
                found.id,
            )
        return Registration(subject=subject, version=found.version, id=found.id)

    async def _fetch(self, request: RegistrationRequest) -> str:
        """The approved document, fetched again; it must have the approved digest."""
        shown = display_uri(request.content_uri)
        try:
            content = await fetch_document(request.content_uri, self._policy)
        except SchemaFetchError as error:
            if not error.permanent:
                raise ApplicationError(error.message, type=error.kind) from None
            raise ApplicationError(
                f"The approved document could not be fetched again from {shown} to register"
                f" it: {error.message} Submit it as a new version.",
                type=REGISTRY_DOCUMENT_CHANGED,
                non_retryable=True,
            ) from None
        digest = sha256_digest(content)
        if digest != request.digest:
            raise ApplicationError(
                f"The document at {shown} changed since version {request.version} was approved"
                f" (it is {digest} now, the reviewers approved {request.digest}), so it was not"
                " registered. Submit the new document as a new version for review.",
                type=REGISTRY_DOCUMENT_CHANGED,
                non_retryable=True,
            )
        return content.decode("utf-8-sig")
