"""Enough Block Kit validation to refuse what Slack refuses with `invalid_blocks`.

Not the full schema: the limits a message builder is most likely to break.
"""

from __future__ import annotations

import secrets
from typing import Any

MESSAGE_BLOCK_TYPES = {
    "actions", "context", "divider", "file", "header", "image", "input", "rich_text", "section",
    "video", "markdown",
}  # fmt: skip
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100


def _text_problems(obj: Any, where: str, limit: int, plain_only: bool = False) -> list[str]:
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn"):
        return [f"must be a text object [json-pointer:{where}]"]
    if plain_only and obj["type"] != "plain_text":
        return [f"must be plain_text [json-pointer:{where}/type]"]
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        return [f"must be more than 0 characters [json-pointer:{where}/text]"]
    if len(text) > limit:
        return [f"must be less than {limit + 1} characters [json-pointer:{where}/text]"]
    return []


def _element_problems(element: Any, where: str) -> list[str]:
    if not isinstance(element, dict) or not isinstance(element.get("type"), str):
        return [f"must be an element object [json-pointer:{where}]"]
    problems: list[str] = []
    if len(str(element.get("action_id", ""))) > 255:
        problems.append(f"must be less than 256 characters [json-pointer:{where}/action_id]")
    if element["type"] == "button":
        problems += _text_problems(element.get("text"), f"{where}/text", 75, plain_only=True)
        if len(str(element.get("value", ""))) > 2000:
            problems.append(f"must be less than 2001 characters [json-pointer:{where}/value]")
        if element.get("style") not in (None, "primary", "danger"):
            problems.append(f"must be primary or danger [json-pointer:{where}/style]")
    return problems


def _block_problems(block: Any, where: str) -> list[str]:
    if not isinstance(block, dict) or block.get("type") not in MESSAGE_BLOCK_TYPES:
        return [f"unsupported type [json-pointer:{where}/type]"]
    kind = block["type"]
    if len(str(block.get("block_id", ""))) > 255:
        return [f"must be less than 256 characters [json-pointer:{where}/block_id]"]
    if kind == "header":
        return _text_problems(block.get("text"), f"{where}/text", 150, plain_only=True)
    if kind == "section":
        problems: list[str] = []
        if "text" not in block and "fields" not in block:
            problems.append(f"must provide text or fields [json-pointer:{where}]")
        if "text" in block:
            problems += _text_problems(block["text"], f"{where}/text", 3000)
        fields = block.get("fields", [])
        if len(fields) > 10:
            problems.append(f"must have at most 10 items [json-pointer:{where}/fields]")
        for i, f in enumerate(fields):
            problems += _text_problems(f, f"{where}/fields/{i}", 2000)
        if "accessory" in block:
            problems += _element_problems(block["accessory"], f"{where}/accessory")
        return problems
    if kind in ("actions", "context"):
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            return [f"must provide at least 1 item [json-pointer:{where}/elements]"]
        if kind == "context":
            return []
        action_ids = [e.get("action_id") for e in elements if isinstance(e, dict)]
        if len(set(action_ids)) != len(action_ids) and None not in action_ids:
            return [f"action_id must be unique within the block [json-pointer:{where}/elements]"]
        return [
            p for i, e in enumerate(elements) for p in _element_problems(e, f"{where}/elements/{i}")
        ]
    if kind == "input":
        return _text_problems(block.get("label"), f"{where}/label", 2000, plain_only=True) + (
            _element_problems(block.get("element"), f"{where}/element")
        )
    return []


def blocks_problems(
    blocks: Any, *, limit: int = MAX_MESSAGE_BLOCKS, root: str = "/blocks"
) -> list[str]:
    """Slack's `errors` entries for a blocks array, empty when it is acceptable."""
    if not isinstance(blocks, list):
        return [f"must be an array [json-pointer:{root}]"]
    if len(blocks) > limit:
        return [f"must have at most {limit} items [json-pointer:{root}]"]
    problems = [p for i, b in enumerate(blocks) for p in _block_problems(b, f"{root}/{i}")]
    block_ids = [b["block_id"] for b in blocks if isinstance(b, dict) and "block_id" in b]
    if len(set(block_ids)) != len(block_ids):
        problems.append(f"block_id must be unique [json-pointer:{root}]")
    return problems


def assign_missing_ids(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Slack gives every block and interactive element an id when the app left it out."""
    for block in blocks:
        block.setdefault("block_id", secrets.token_urlsafe(4)[:5])
        elements = list(block.get("elements") or [])
        elements += [block[k] for k in ("accessory", "element") if isinstance(block.get(k), dict)]
        for element in elements:
            if isinstance(element, dict) and element.get("type") not in _NON_INTERACTIVE:
                element.setdefault("action_id", secrets.token_urlsafe(4)[:5])
    return blocks


_NON_INTERACTIVE = {"plain_text", "mrkdwn", "image", "rich_text_section"}
