"""Compatibility levels (`/config`) and compatibility tests (`/compatibility`), as Confluent's.

GET answers `{"compatibilityLevel": ...}`, PUT answers `{"compatibility": ...}`: Confluent's
two spellings, kept because clients read them so.
"""

from __future__ import annotations

from aiohttp import web

from registry_sandbox import errors
from registry_sandbox.compatibility import incompatibilities
from registry_sandbox.context import context_of, flag, request_body, submitted_schema
from registry_sandbox.documents import SchemaText
from registry_sandbox.errors import RegistryError, answer
from registry_sandbox.store import DEFAULT_LEVEL, LATEST, parse_level, parse_version

routes = web.RouteTableDef()


@routes.get("/config")
async def get_global_level(request: web.Request) -> web.Response:
    return answer({"compatibilityLevel": context_of(request).state.global_level})


@routes.put("/config")
async def set_global_level(request: web.Request) -> web.Response:
    context = context_of(request)
    level = parse_level((await request_body(request)).get("compatibility"))
    async with context.lock:
        context.state.global_level = level
        context.save()
    return answer({"compatibility": level})


@routes.delete("/config")
async def reset_global_level(request: web.Request) -> web.Response:
    context = context_of(request)
    async with context.lock:
        previous = context.state.global_level
        context.state.global_level = DEFAULT_LEVEL
        context.save()
    return answer({"compatibilityLevel": previous})


@routes.get("/config/{subject}")
async def get_subject_level(request: web.Request) -> web.Response:
    state = context_of(request).state
    subject = request.match_info["subject"]
    level = state.subject_levels.get(subject)
    if level is None:
        if not flag(request, "defaultToGlobal"):
            raise errors.compatibility_not_configured(subject)
        level = state.global_level
    return answer({"compatibilityLevel": level})


@routes.put("/config/{subject}")
async def set_subject_level(request: web.Request) -> web.Response:
    context = context_of(request)
    level = parse_level((await request_body(request)).get("compatibility"))
    async with context.lock:
        context.state.subject_levels[request.match_info["subject"]] = level
        context.save()
    return answer({"compatibility": level})


@routes.delete("/config/{subject}")
async def delete_subject_level(request: web.Request) -> web.Response:
    context = context_of(request)
    subject = request.match_info["subject"]
    async with context.lock:
        previous = context.state.subject_levels.pop(subject, None)
        if previous is None:
            raise errors.subject_not_found(subject)
        context.save()
    return answer({"compatibilityLevel": previous})


@routes.post("/compatibility/subjects/{subject}/versions/{version}")
async def test_against_version(request: web.Request) -> web.Response:
    """Against one version (`latest`: the newest, and compatible when there is none)."""
    state = context_of(request).state
    subject = request.match_info["subject"]
    number = parse_version(request.match_info["version"])
    if number == LATEST and not state.live_versions(subject):
        against = []
    else:
        found = state.version(subject, number)
        against = [(found.version, state.schema(found.schema_id))]
    return await _verdict(request, against)


@routes.post("/compatibility/subjects/{subject}/versions")
async def test_against_all(request: web.Request) -> web.Response:
    """Against every live version, as a registration would be judged."""
    state = context_of(request).state
    live = state.live_versions(request.match_info["subject"])
    return await _verdict(request, [(v.version, state.schema(v.schema_id)) for v in live])


async def _verdict(request: web.Request, against: list[tuple[int, SchemaText]]) -> web.Response:
    verbose = flag(request, "verbose")
    state = context_of(request).state
    try:
        text = await submitted_schema(request)
        subject = request.match_info["subject"]
        messages = await incompatibilities(
            text, against, state.level(subject), state.next_version(subject)
        )
    except RegistryError as error:
        # Confluent answers an invalid schema as incompatible when asked to explain.
        if not verbose or error.error_code != errors.INVALID_SCHEMA:
            raise
        messages = [error.message]
    body: dict[str, object] = {"is_compatible": not messages}
    if verbose:
        body["messages"] = messages
    return answer(body)
