"""Replies only the clicker sees: why a click changed nothing, or what to do next."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import PlainTextObject, SectionBlock


def notice(sentence: str) -> dict[str, Any]:
    """Keyword arguments for `chat.postEphemeral`: the sentence as the notification text and
    as a block. Plain text, because sentences may quote what a person typed."""
    block = SectionBlock(text=PlainTextObject(text=sentence, emoji=False))
    return {"text": sentence, "blocks": [block.to_dict()]}
