"""How the page's endpoints refuse: a status and one sentence saying what to do instead."""

from __future__ import annotations

from aiohttp import web


class UiError(Exception):
    def __init__(self, status: int, sentence: str) -> None:
        super().__init__(sentence)
        self.status = status
        self.sentence = sentence


def json_error(status: int, sentence: str) -> web.Response:
    return web.json_response({"ok": False, "error": sentence}, status=status)
