"""An async client of a Confluent-compatible schema registry (Confluent Platform and Cloud,
Redpanda, Apicurio's ccompat API), for what the review needs of it.

Built on `confluent-kafka`'s `AsyncSchemaRegistryClient` (2.16), with direct REST calls where
that client falls short (`schemas.registry_rest`). What it costs or cannot do, measured:

- `test_compatibility*(verbose=True)` returns only the boolean: the registry's messages, which
  reviewers must read, are dropped. The verdict is asked directly.
- `get_compatibility(subject)` cannot say `defaultToGlobal=true`: a subject without a level of
  its own is a 40408 error instead of the level that applies to it. Asked directly.
- It retries 408/429/5xx and network errors itself (`max.retries`, default 3, with a jittered
  wait of 1 to 20 s): an unreachable registry took 3.0 s to report, against 0.0 s with
  `max.retries: 0`. The activities' retries are Temporal's (recorded, with backoff), so the
  client's own are off.
- `register_schema` answers a schema it registered before from its cache, without a version;
  the version comes from a lookup after registering.
- It speaks httpx (its own copy), not the aiohttp the rest of the product uses; its network
  errors are httpx's, caught through the module it imports them from. Building one costs about
  23 ms (a TLS context with certifi's roots), so a worker keeps one for its life.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from confluent_kafka.schema_registry import (
    AsyncSchemaRegistryClient,
    RegisteredSchema,
    Schema,
)
from confluent_kafka.schema_registry import SchemaReference as ConfluentReference
from confluent_kafka.schema_registry.common._httpx_compat import httpx
from confluent_kafka.schema_registry.error import SchemaRegistryError

from schemas.registry_access import RegistryAccess
from schemas.registry_errors import (
    SCHEMA_NOT_FOUND,
    SUBJECT_NOT_FOUND,
    RegistryError,
    RegistryUnavailable,
    registry_error,
)
from schemas.registry_metrics import counted
from schemas.registry_rest import RegistryRest
from workflow.registry_contract import SchemaReference

T = TypeVar("T")

# Failures of the confluent client's transport: no answer came.
_NO_ANSWER = (httpx.TransportError, OSError, TimeoutError)


@dataclass(frozen=True)
class RegistrySchema:
    """A document as the registry holds it: its text, Confluent's schemaType, references."""

    text: str
    schema_type: str
    references: Sequence[SchemaReference] = ()


@dataclass(frozen=True)
class RegisteredVersion:
    subject: str
    version: int
    id: int
    schema: RegistrySchema


@dataclass(frozen=True)
class RegistryVerdict:
    """The registry's own compatibility verdict, with its messages when it refuses."""

    compatible: bool
    messages: list[str]


class RegistryClient:
    """One per process: `await client.aclose()` when done. Every failure is one of the errors
    in `schemas.registry_errors`."""

    def __init__(self, access: RegistryAccess) -> None:
        self.access = access
        conf: dict[str, Any] = {
            "url": access.url,
            "max.retries": 0,
            "timeout": access.timeout_seconds,
        }
        if access.basic_auth_user_info:
            conf["basic.auth.user.info"] = access.basic_auth_user_info
        self._confluent = AsyncSchemaRegistryClient(conf)
        self._rest = RegistryRest(access.url, access.basic_auth_user_info, access.timeout_seconds)

    async def aclose(self) -> None:
        await self._confluent.aclose()
        await self._rest.aclose()

    async def check(self) -> None:
        """Whether the registry answers and accepts the credentials (its global level)."""
        await self._call("check", self._confluent.get_compatibility())

    async def versions(self, subject: str) -> list[int]:
        """The subject's registered versions, oldest first ([] for an unknown subject)."""
        found = await self._call("versions", self._confluent.get_versions(subject), missing=[])
        return sorted(found)

    async def version(self, subject: str, version: int) -> RegisteredVersion:
        return _registered(
            await self._call("version", self._confluent.get_version(subject, version))
        )

    async def registered(self, subject: str) -> list[RegisteredVersion]:
        """Every version registered under the subject, oldest first."""
        numbers = await self.versions(subject)
        return list(await asyncio.gather(*(self.version(subject, n) for n in numbers)))

    async def level(self, subject: str) -> str | None:
        """The level that applies to the subject (its own, else the registry's global one);
        None when the registry has none to say."""
        return await self._counted("level", self._rest.level(subject))

    async def verdict(self, subject: str, schema: RegistrySchema) -> RegistryVerdict | None:
        """The registry's verdict on `schema` against the subject's versions, as it would
        judge a registration. An unknown subject has nothing to judge against: compatible, or
        None from a registry that answers 40401 there."""
        answer = await self._counted("verdict", self._rest.compatibility(subject, _body(schema)))
        if answer is None:
            return None
        messages = answer.get("messages") or []
        return RegistryVerdict(
            bool(answer.get("is_compatible")), [str(m) for m in messages if str(m).strip()]
        )

    async def lookup(self, subject: str, schema: RegistrySchema) -> RegisteredVersion | None:
        """The version under which the subject holds exactly this schema, or None."""
        found = await self._call(
            "lookup", self._confluent.lookup_schema(subject, _confluent(schema))
        )
        if found is None:
            return None
        return RegisteredVersion(subject, found.version or 0, found.schema_id or 0, schema)

    async def register(self, subject: str, schema: RegistrySchema) -> int:
        """Register `schema` under the subject; its id (the same schema again: the same id)."""
        return int(
            await self._call(
                "register", self._confluent.register_schema(subject, _confluent(schema))
            )
        )

    async def set_level(self, subject: str, level: str) -> None:
        await self._call("set_level", self._confluent.set_compatibility(subject, level))

    async def _counted(self, operation: str, work: Awaitable[T]) -> T:
        """`work`'s answer, counted (`schemas.registry_metrics`) whatever it was."""
        try:
            answer = await work
        except RegistryError as error:
            counted(operation, _code(error))
            raise
        counted(operation, "ok")
        return answer

    async def _call(self, operation: str, work: Awaitable[T], *, missing: Any = None) -> T:
        """`work`'s answer; "no such subject or schema" as `missing`, other failures typed."""
        return await self._counted(operation, self._typed(work, missing))

    async def _typed(self, work: Awaitable[T], missing: Any) -> T:
        shown = self.access.shown_url
        try:
            return await work
        except SchemaRegistryError as error:
            if error.error_code in (SUBJECT_NOT_FOUND, SCHEMA_NOT_FOUND):
                return missing  # type: ignore[no-any-return]
            raise registry_error(
                error.http_status_code, error.error_code, error.error_message, shown
            ) from None
        except _NO_ANSWER as error:
            raise RegistryUnavailable(
                f"The schema registry at {shown} is not answering"
                f" ({str(error) or type(error).__name__})."
            ) from None


def _confluent(schema: RegistrySchema) -> Schema:
    references = [ConfluentReference(r.name, r.subject, r.version) for r in schema.references]
    return Schema(schema.text, schema.schema_type, references)


def _body(schema: RegistrySchema) -> dict[str, Any]:
    body: dict[str, Any] = {"schema": schema.text, "schemaType": schema.schema_type}
    if schema.references:
        body["references"] = [
            {"name": r.name, "subject": r.subject, "version": r.version} for r in schema.references
        ]
    return body


def _registered(found: RegisteredSchema) -> RegisteredVersion:
    schema = found.schema
    references = [
        SchemaReference(str(r.name), str(r.subject), int(r.version or 0))
        for r in schema.references or []
    ]
    return RegisteredVersion(
        str(found.subject),
        int(found.version or 0),
        int(found.schema_id or 0),
        RegistrySchema(schema.schema_str or "", schema.schema_type or "AVRO", tuple(references)),
    )


def _code(error: RegistryError) -> str:
    """A label for what the registry answered: its error code, else unavailable."""
    return str(error.error_code) if error.error_code is not None else "unavailable"
