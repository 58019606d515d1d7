"""`chat.*`: posting, updating and deleting messages, ephemerals and permalinks."""

from __future__ import annotations

from typing import Any

from slack_sandbox.api_support import (
    ApiContext,
    Handler,
    Params,
    Response,
    SlackError,
    json_arg,
    message_content,
    required,
)
from slack_sandbox.records import Channel, Ephemeral, Message, MessageRevision
from slack_sandbox.users import BOT_ID, BOT_USER


def _channel(ctx: ApiContext, params: Params) -> Channel:
    channel = ctx.state.resolve_channel(required(params, "channel", "channel_not_found"))
    if channel is None:
        raise SlackError("channel_not_found")
    return channel


def post_message(ctx: ApiContext, params: Params) -> Response:
    channel = _channel(ctx, params)
    text, blocks = message_content(params)
    if not text and not blocks:
        raise SlackError("no_text")
    thread_ts = params.get("thread_ts") or None
    if thread_ts and ctx.state.find_message(channel.id, str(thread_ts)) is None:
        raise SlackError("thread_not_found")
    metadata = _metadata(params)
    ts = ctx.state.next_ts()
    message = Message(
        channel=channel.id,
        ts=ts,
        user=BOT_USER.id,
        text=text or "",
        blocks=blocks or [],
        bot_id=BOT_ID,
        thread_ts=str(thread_ts) if thread_ts else None,
        revisions=[MessageRevision(text or "", blocks or [], ts)],
        metadata=metadata,
    )
    ctx.state.add_message(message)
    return {"channel": channel.id, "ts": ts, "message": message.as_slack(with_metadata=True)}


def _metadata(params: Params) -> dict[str, Any] | None:
    """Message metadata as Slack checks it: an `event_type` name and an `event_payload` object."""
    metadata = json_arg(params, "metadata", "invalid_metadata_format")
    if metadata is None:
        return None
    if not isinstance(metadata, dict):
        raise SlackError("invalid_metadata_format")
    event_type, payload = metadata.get("event_type"), metadata.get("event_payload")
    if not isinstance(event_type, str) or not event_type or not isinstance(payload, dict):
        raise SlackError(
            "invalid_metadata_schema",
            response_metadata={
                "messages": ["[ERROR] metadata needs an event_type and an event_payload object"]
            },
        )
    return {"event_type": event_type, "event_payload": payload}


def update_message(ctx: ApiContext, params: Params) -> Response:
    channel = _channel(ctx, params)
    ts = required(params, "ts", "message_not_found")
    text, blocks = message_content(params)
    if text is None and blocks is None:
        raise SlackError("no_text")
    message = ctx.state.find_message(channel.id, ts)
    if message is None:
        raise SlackError("message_not_found")
    if message.user != BOT_USER.id:
        raise SlackError("cant_update_message")
    # Slack keeps what an update leaves out: omitted blocks stay, an empty list removes them.
    revise(
        ctx,
        message,
        message.text if text is None else text,
        message.blocks if blocks is None else blocks,
    )
    return {"channel": channel.id, "ts": ts, "text": message.text, "message": message.as_slack()}


def revise(ctx: ApiContext, target: Message | Ephemeral, text: str, blocks: list) -> None:
    """Change a message in place and keep the previous state in its history."""
    target.text, target.blocks = text, blocks
    target.revisions.append(MessageRevision(text, blocks, ctx.state.next_ts()))
    kind = "message_updated" if isinstance(target, Message) else "ephemeral_updated"
    ctx.state.notify(kind, {kind.split("_")[0]: target.as_dict()})


def delete_message(ctx: ApiContext, params: Params) -> Response:
    channel = _channel(ctx, params)
    ts = required(params, "ts", "message_not_found")
    message = ctx.state.find_message(channel.id, ts)
    if message is None:
        raise SlackError("message_not_found")
    if message.user != BOT_USER.id:
        raise SlackError("cant_delete_message")
    message.deleted = True
    ctx.state.notify("message_deleted", {"message": message.as_dict()})
    return {"channel": channel.id, "ts": ts}


def post_ephemeral(ctx: ApiContext, params: Params) -> Response:
    channel = _channel(ctx, params)
    user_id = required(params, "user", "user_not_found")
    if ctx.state.users.by_id(user_id) is None:
        raise SlackError("user_not_found")
    text, blocks = message_content(params)
    if not text and not blocks:
        raise SlackError("no_text")
    ephemeral = Ephemeral(
        channel=channel.id,
        user=user_id,
        ts=ctx.state.next_ts(),
        text=text or "",
        blocks=blocks or [],
        source="chat.postEphemeral",
    )
    ephemeral.revisions.append(MessageRevision(ephemeral.text, ephemeral.blocks, ephemeral.ts))
    ctx.state.add_ephemeral(ephemeral)
    return {"message_ts": ephemeral.ts}


def get_permalink(ctx: ApiContext, params: Params) -> Response:
    channel = _channel(ctx, params)
    ts = required(params, "message_ts", "message_not_found")
    if ctx.state.find_message(channel.id, ts) is None:
        raise SlackError("message_not_found")
    return {
        "channel": channel.id,
        "permalink": f"{ctx.base_url}/archives/{channel.id}/p{ts.replace('.', '')}",
    }


CHAT_METHODS: dict[str, Handler] = {
    "chat.postMessage": post_message,
    "chat.update": update_message,
    "chat.delete": delete_message,
    "chat.postEphemeral": post_ephemeral,
    "chat.getPermalink": get_permalink,
}
