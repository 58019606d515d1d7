"""The browser sandbox's routes on the stand-in's own server.

GET  /                      the page (plain HTML, CSS and JavaScript; no build step)
GET  /static/<file>         its script and styles
GET  /examples/             the example schema documents and their /submit-schema lines
GET  /examples/<file>        one example document (.json, or .proto as text)
GET  /ui/people             the simulated people, for the page's user switcher
GET  /ui/registry           what the schema registry beside the sandbox holds (registry_listing)
GET  /ui/socket?user=U…     websocket: that person's workspace, then live changes
POST /ui/click|submit|close|message|home|dismiss   what the person does (see ui_actions)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web

from slack_sandbox.examples import EXAMPLES, example_text, find_example
from slack_sandbox.registry_listing import add_registry_route
from slack_sandbox.ui_actions import APP_COMMANDS, PersonActions
from slack_sandbox.ui_errors import json_error
from slack_sandbox.ui_feed import LiveFeed
from slack_sandbox.users import SimulatedUser

if TYPE_CHECKING:
    from slack_sandbox.server import SlackStandIn

STATIC_DIR = Path(__file__).parent / "static"
# The page changes with the code; a cached copy would talk to the server in an old dialect.
NO_CACHE = {"Cache-Control": "no-cache"}

__all__ = ["APP_COMMANDS", "add_page_routes"]


def role_of(standin: SlackStandIn, user: SimulatedUser) -> str:
    """What the switcher says beside the name: "admin", the seat the app gave them, or both."""
    roles = ["admin"] if user.is_admin else []
    if role := standin.roles.get(user.id):
        roles.append(role)
    return ", ".join(roles)


def add_page_routes(app: web.Application, standin: SlackStandIn) -> None:
    feed = LiveFeed(standin.state, commands=lambda: standin.slash_commands)
    app.on_shutdown.append(feed.close_all)

    async def page(_request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / "index.html", headers=NO_CACHE)

    async def static(request: web.Request) -> web.StreamResponse:
        # Only the files that are there by name: no path from the request reaches the disk.
        served = {p.name: p for p in STATIC_DIR.iterdir() if p.is_file()}
        path = served.get(request.match_info["file"])
        if path is None:
            return json_error(404, f"No such file; the page's files are {', '.join(served)}.")
        return web.FileResponse(path, headers=NO_CACHE)

    async def people(_request: web.Request) -> web.Response:
        users = [
            {"id": u.id, "name": u.name, "real_name": u.real_name, "role": role_of(standin, u)}
            for u in standin.state.users
        ]
        return web.json_response({"users": users})

    async def examples(_request: web.Request) -> web.Response:
        listing = [example.as_listing(standin.url) for example in EXAMPLES]
        return web.json_response({"examples": listing})

    async def example(request: web.Request) -> web.Response:
        found = find_example(request.match_info["file"])
        if found is None:
            names = ", ".join(e.file for e in EXAMPLES)
            return json_error(404, f"No example document by that name; the examples are {names}.")
        kind = "text/plain" if found.file.endswith(".proto") else "application/json"
        return web.Response(text=example_text(found), content_type=kind)

    app.router.add_get("/", page)
    app.router.add_get("/static/{file}", static)
    app.router.add_get("/examples/", examples)
    app.router.add_get("/examples/{file}", example)
    app.router.add_get("/ui/people", people)
    app.router.add_get("/ui/socket", feed.handle)
    app.router.add_routes(PersonActions(standin).routes())
    add_registry_route(app, standin)
