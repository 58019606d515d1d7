"""What every Web API method handler shares: Slack's error shape and argument parsing."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_sandbox.block_kit import assign_missing_ids, blocks_problems
from slack_sandbox.state import SandboxState

Params = dict[str, Any]
Response = dict[str, Any]


class SlackError(Exception):
    """Answered as HTTP 200 `{"ok": false, "error": code, ...extra}`, as Slack does."""

    def __init__(self, code: str, **extra: Any) -> None:
        super().__init__(code)
        self.code = code
        self.extra = extra


@dataclass
class ApiContext:
    state: SandboxState
    # Where the stand-in is reachable: permalinks point into the sandbox, not slack.com.
    base_url: str


Handler = Callable[[ApiContext, Params], Response]


def required(params: Params, name: str, error: str = "invalid_arguments") -> str:
    value = params.get(name)
    if value is None or value == "":
        if error == "invalid_arguments":
            raise SlackError(
                error, response_metadata={"messages": [f"[ERROR] missing required field: {name}"]}
            )
        raise SlackError(error)
    return str(value)


def json_arg(params: Params, name: str, error: str) -> Any:
    """Form bodies carry structured arguments as JSON strings, JSON bodies as themselves."""
    value = params.get(name)
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise SlackError(error) from None
    return value


def message_content(params: Params) -> tuple[str | None, list[dict[str, Any]] | None]:
    """(text, blocks) of a message call; None where the argument was not given."""
    text = params.get("text")
    blocks = json_arg(params, "blocks", "invalid_blocks")
    if blocks is not None:
        problems = blocks_problems(blocks)
        if problems:
            raise SlackError(
                "invalid_blocks",
                errors=problems,
                response_metadata={"messages": [f"[ERROR] {p}" for p in problems]},
            )
        assign_missing_ids(blocks)
    if text is not None and len(str(text)) > 40_000:
        raise SlackError("msg_too_long")
    return (None if text is None else str(text)), blocks
