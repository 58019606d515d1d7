"""Reading Block Kit as Slack would receive it, for the message builders' tests."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from slack_sdk.models.blocks import Block

# What the activities would have looked up in Slack; dave is not in Slack.
PEOPLE = {
    "owner@example.com": "U0OWNER001",
    "alice@example.com": "U0ALICE001",
    "bob@example.com": "U0BOB00001",
    "carol@example.com": "U0CAROL001",
}


def wire(blocks: Sequence[Block]) -> list[dict[str, Any]]:
    return [block.to_dict() for block in blocks]


def texts(blocks: list[dict[str, Any]]) -> str:
    """Every text a reader sees, in order."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "\n".join(found)


def buttons(blocks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        element["action_id"]: element
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
    }
