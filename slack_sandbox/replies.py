"""Replies the bot sends through a response_url or in a slash command's response body,
shown the way Slack shows them: ephemeral by default, in the channel, or replacing the
message that was clicked."""

from __future__ import annotations

import json
from typing import Any

from slack_sandbox.block_kit import assign_missing_ids, blocks_problems
from slack_sandbox.records import Ephemeral, EphemeralSource, Message, MessageRevision
from slack_sandbox.state import ResponseTarget, SandboxState
from slack_sandbox.users import BOT_ID, BOT_USER


def _original(state: SandboxState, target: ResponseTarget) -> Message | Ephemeral | None:
    if target.message_ts is None:
        return None
    if target.is_ephemeral:
        return state.find_ephemeral(target.channel, target.message_ts)
    return state.find_message(target.channel, target.message_ts)


def apply_reply(
    state: SandboxState, target: ResponseTarget, reply: dict[str, Any], source: EphemeralSource
) -> str | None:
    """Show `reply`; None when shown, else Slack's error code for it."""
    text = str(reply.get("text") or "")
    blocks = reply.get("blocks") or []
    if blocks_problems(blocks):
        return "invalid_blocks"
    assign_missing_ids(blocks)
    original = _original(state, target)
    if reply.get("delete_original") in (True, "true"):
        if original is None:
            return "message_not_found"
        original.deleted = True
        kind = "message_deleted" if isinstance(original, Message) else "ephemeral_deleted"
        state.notify(kind, {kind.split("_")[0]: original.as_dict()})
        return None
    if not text and not blocks:
        return "no_text"
    if reply.get("replace_original") in (True, "true"):
        if original is None:
            return "message_not_found"
        original.text, original.blocks = text, blocks
        original.revisions.append(MessageRevision(text, blocks, state.next_ts()))
        kind = "message_updated" if isinstance(original, Message) else "ephemeral_updated"
        state.notify(kind, {kind.split("_")[0]: original.as_dict()})
        return None
    ts = state.next_ts()
    if reply.get("response_type") == "in_channel":
        state.add_message(
            Message(
                target.channel,
                ts,
                BOT_USER.id,
                text,
                blocks,
                bot_id=BOT_ID,
                revisions=[MessageRevision(text, blocks, ts)],
            )
        )
        return None
    state.add_ephemeral(
        Ephemeral(
            target.channel,
            target.user,
            ts,
            text,
            blocks,
            source,
            revisions=[MessageRevision(text, blocks, ts)],
        )
    )
    return None


def show_command_answer(
    state: SandboxState, target: ResponseTarget, command: str, status: int | None, body: str
) -> None:
    """A slash command's answer as Slack shows it: the body as a reply, or Slack's own error
    line when the app failed (`status` None means no answer within the deadline)."""
    if status != 200:
        code = "operation_timeout" if status is None else "dispatch_failed"
        tell(state, target, f'{command} failed with the error "{code}"')
        return
    if not body.strip():
        return
    try:
        reply = json.loads(body)
    except ValueError:
        reply = {"text": body}
    if isinstance(reply, dict):
        apply_reply(state, target, reply, "slash_command_response")


def tell(state: SandboxState, target: ResponseTarget, text: str) -> None:
    """An ephemeral line from Slack itself to the person behind `target`."""
    ts = state.next_ts()
    state.add_ephemeral(
        Ephemeral(
            target.channel,
            target.user,
            ts,
            text,
            [],
            "slash_command_response",
            revisions=[MessageRevision(text, [], ts)],
        )
    )
