"""Subjects, their versions and schemas by id: Confluent's `/subjects` and `/schemas` API."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from registry_sandbox import errors
from registry_sandbox.compatibility import incompatibilities
from registry_sandbox.context import context_of, flag, submitted_schema
from registry_sandbox.documents import SCHEMA_TYPES
from registry_sandbox.errors import answer
from registry_sandbox.store import RegistryState, SubjectVersion, parse_version

routes = web.RouteTableDef()


def version_fields(state: RegistryState, subject: str, version: SubjectVersion) -> dict[str, Any]:
    return {
        "subject": subject,
        "version": version.version,
        "id": version.schema_id,
        **state.schema(version.schema_id).as_fields(),
    }


@routes.get("/subjects")
async def list_subjects(request: web.Request) -> web.Response:
    state = context_of(request).state
    return answer(state.subject_names(deleted=flag(request, "deleted")))


@routes.get("/subjects/{subject}/versions")
async def list_versions(request: web.Request) -> web.Response:
    state = context_of(request).state
    subject = request.match_info["subject"]
    versions = state.versions(subject, deleted=flag(request, "deleted"))
    return answer([v.version for v in versions])


@routes.get("/subjects/{subject}/versions/{version}")
async def get_version(request: web.Request) -> web.Response:
    state = context_of(request).state
    subject = request.match_info["subject"]
    number = parse_version(request.match_info["version"])
    found = state.version(subject, number, deleted=flag(request, "deleted"))
    return answer(version_fields(state, subject, found))


@routes.get("/subjects/{subject}/versions/{version}/schema")
async def get_version_schema(request: web.Request) -> web.Response:
    state = context_of(request).state
    subject = request.match_info["subject"]
    found = state.version(subject, parse_version(request.match_info["version"]))
    # Confluent answers the schema itself, not a JSON string holding it.
    return web.Response(
        body=state.schema(found.schema_id).schema.encode(),
        headers={"Content-Type": errors.CONTENT_TYPE},
    )


@routes.post("/subjects/{subject}/versions")
async def register(request: web.Request) -> web.Response:
    context = context_of(request)
    subject = request.match_info["subject"]
    text = await submitted_schema(request)
    async with context.lock:
        state = context.state
        existing = state.live_version_of(subject, text)
        if existing is not None:
            return answer({"id": existing.schema_id})
        live = state.live_versions(subject)
        previous = [(v.version, state.schema(v.schema_id)) for v in live]
        problems = await incompatibilities(
            text, previous, state.level(subject), state.next_version(subject)
        )
        if problems:
            raise errors.incompatible(subject, problems)
        added = state.add_version(subject, text)
        context.save()
    return answer({"id": added.schema_id})


@routes.post("/subjects/{subject}")
async def lookup(request: web.Request) -> web.Response:
    state = context_of(request).state
    subject = request.match_info["subject"]
    state.versions(subject, deleted=flag(request, "deleted"))
    text = await submitted_schema(request)
    schema_id = state.id_of(text)
    for version in reversed(state.versions(subject, deleted=flag(request, "deleted"))):
        if version.schema_id == schema_id:
            return answer(version_fields(state, subject, version))
    raise errors.schema_not_found()


@routes.delete("/subjects/{subject}")
async def delete_subject(request: web.Request) -> web.Response:
    context = context_of(request)
    async with context.lock:
        deleted = context.state.delete_subject(
            request.match_info["subject"], permanent=flag(request, "permanent")
        )
        context.save()
    return answer(deleted)


@routes.delete("/subjects/{subject}/versions/{version}")
async def delete_version(request: web.Request) -> web.Response:
    context = context_of(request)
    number = parse_version(request.match_info["version"])
    async with context.lock:
        deleted = context.state.delete_version(
            request.match_info["subject"], number, permanent=flag(request, "permanent")
        )
        context.save()
    return answer(deleted)


@routes.get("/schemas/types")
async def schema_types(request: web.Request) -> web.Response:
    return answer(list(SCHEMA_TYPES))


@routes.get("/schemas/ids/{id}")
async def schema_by_id(request: web.Request) -> web.Response:
    state = context_of(request).state
    return answer(state.schema(_schema_id(request)).as_fields())


@routes.get("/schemas/ids/{id}/versions")
async def schema_versions(request: web.Request) -> web.Response:
    state = context_of(request).state
    uses = _uses(request, state, _schema_id(request))
    return answer([{"subject": subject, "version": v.version} for subject, v in uses])


@routes.get("/schemas/ids/{id}/subjects")
async def schema_subjects(request: web.Request) -> web.Response:
    state = context_of(request).state
    uses = _uses(request, state, _schema_id(request))
    return answer(sorted({subject for subject, _ in uses}))


def _uses(
    request: web.Request, state: RegistryState, schema_id: int
) -> list[tuple[str, SubjectVersion]]:
    state.schema(schema_id)
    deleted = flag(request, "deleted")
    return [
        (subject, v)
        for subject, versions in sorted(state.subjects.items())
        for v in versions
        if v.schema_id == schema_id and (deleted or not v.deleted)
    ]


def _schema_id(request: web.Request) -> int:
    raw = request.match_info["id"]
    try:
        return int(raw)
    except ValueError:
        raise errors.schema_not_found() from None
