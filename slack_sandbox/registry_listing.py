"""The page's "Schema registry" panel: what a schema registry holds, read from its REST API.

The sandbox knows a registry only by its address (`SlackStandIn.registry_url`, set by whoever
runs the sandbox beside one) and reads it as any client would, through Confluent's REST API:
the subjects, their versions, each version's id. The page asks the sandbox rather than the
registry, so that the registry needs no CORS headers and the page no second origin.

GET /ui/registry   {"url": null} without a registry; else {"url", "subjects": [{"subject",
                   "versions": [{"version", "id"}]}]}, or {"url", "error": sentence}
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import aiohttp
from aiohttp import web

if TYPE_CHECKING:
    from slack_sandbox.server import SlackStandIn

# The panel refreshes every few seconds: a registry that is slow must not pile requests up.
READ_TIMEOUT = aiohttp.ClientTimeout(total=3.0)
# A panel, not a registry browser: beyond this many subjects the rest is counted, not listed.
MAX_SUBJECTS = 50


class RegistryUnreadable(Exception):
    """The registry did not answer as Confluent's REST API does; the message says how."""


# Refused, silent, or answering something other than Confluent's JSON.
_UNREADABLE = (aiohttp.ClientError, TimeoutError, RegistryUnreadable, ValueError, KeyError)


async def _get(http: aiohttp.ClientSession, url: str) -> Any:
    async with http.get(url) as response:
        if response.status != 200:
            raise RegistryUnreadable(f"GET {url} answered HTTP {response.status}")
        return await response.json(content_type=None)


async def _versions(http: aiohttp.ClientSession, base: str, subject: str) -> dict[str, Any]:
    at = f"{base}/subjects/{quote(subject, safe='')}/versions"
    numbers = await _get(http, at)
    found = await asyncio.gather(*(_get(http, f"{at}/{n}") for n in numbers))
    versions = [{"version": v["version"], "id": v["id"]} for v in found]
    return {"subject": subject, "versions": versions}


async def read_registry(base: str) -> dict[str, Any]:
    """Subjects (sorted) and their live versions, as the panel shows them."""
    async with aiohttp.ClientSession(timeout=READ_TIMEOUT) as http:
        subjects = sorted(await _get(http, f"{base}/subjects"))
        listed = await asyncio.gather(*(_versions(http, base, s) for s in subjects[:MAX_SUBJECTS]))
    return {"url": base, "subjects": listed, "more": max(0, len(subjects) - MAX_SUBJECTS)}


def add_registry_route(app: web.Application, standin: SlackStandIn) -> None:
    async def registry(_request: web.Request) -> web.Response:
        base = standin.registry_url
        if base is None:
            return web.json_response({"url": None})
        try:
            return web.json_response(await read_registry(base.rstrip("/")))
        except _UNREADABLE as error:
            reason = str(error) or type(error).__name__
            sentence = (
                f"The schema registry at {base} could not be read ({reason}). Is it still running?"
            )
            return web.json_response({"url": base, "error": sentence})

    app.router.add_get("/ui/registry", registry)
