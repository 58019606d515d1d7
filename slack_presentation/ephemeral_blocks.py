"""Replies only the clicker sees: why a click changed nothing, or what to do next."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import MarkdownTextObject, PlainTextObject, SectionBlock

from slack_presentation.mentions import NO_MENTIONS, Mentions, with_mentions
from slack_presentation.mrkdwn import escape


def notice(sentence: str, people: Mentions = NO_MENTIONS) -> dict[str, Any]:
    """Keyword arguments for `chat.postEphemeral`: the sentence as the notification text and
    as a block. Plain text, because sentences may quote what a person typed; mrkdwn (escaped,
    `verbatim` so nothing else turns into a link) only when it names people Slack can show."""
    shown = with_mentions(sentence, people)
    if shown == escape(sentence):
        block = SectionBlock(text=PlainTextObject(text=sentence, emoji=False))
        return {"text": sentence, "blocks": [block.to_dict()]}
    block = SectionBlock(text=MarkdownTextObject(text=shown, verbatim=True))
    return {"text": shown, "blocks": [block.to_dict()]}
