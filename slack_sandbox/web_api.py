"""The Web API: authentication, the call hooks, the call record, and the people and
conversation methods. Message and view methods live in `chat_api` and `views_api`."""

from __future__ import annotations

from typing import Any

from slack_sandbox.api_support import (
    ApiContext,
    Handler,
    Params,
    Response,
    SlackError,
    required,
)
from slack_sandbox.call_hooks import ApiAnswer, CallHook, answer_after, answer_before
from slack_sandbox.chat_api import CHAT_METHODS
from slack_sandbox.records import ApiCall
from slack_sandbox.users import BOT_ID, BOT_USER, TEAM_DOMAIN, TEAM_ID, TEAM_NAME
from slack_sandbox.views_api import VIEW_METHODS


def auth_test(ctx: ApiContext, params: Params) -> Response:
    return {
        "url": f"https://{TEAM_DOMAIN}.slack.com/",
        "team": TEAM_NAME,
        "user": BOT_USER.name,
        "team_id": TEAM_ID,
        "user_id": BOT_USER.id,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


def users_info(ctx: ApiContext, params: Params) -> Response:
    user = ctx.state.users.by_id(required(params, "user", "user_not_found"))
    if user is None:
        raise SlackError("user_not_found")
    return {"user": user.as_slack_user()}


def users_lookup_by_email(ctx: ApiContext, params: Params) -> Response:
    user = ctx.state.users.by_email(required(params, "email", "users_not_found"))
    if user is None:
        raise SlackError("users_not_found")
    return {"user": user.as_slack_user()}


def conversations_open(ctx: ApiContext, params: Params) -> Response:
    raw = params.get("users") or params.get("channel")
    if not raw:
        raise SlackError("users_list_not_supplied")
    if params.get("channel"):
        channel = ctx.state.channels.get(str(params["channel"]))
        if channel is None:
            raise SlackError("channel_not_found")
        return {
            "channel": channel.as_slack()
            if _truthy(params.get("return_im"))
            else {"id": channel.id}
        }
    user_ids = [u.strip() for u in str(raw).split(",") if u.strip()]
    if len(user_ids) != 1:
        # Group DMs are not part of this workspace's story; say so rather than fake one.
        raise SlackError("not_supported", detail="The sandbox opens DMs with one person only.")
    user = ctx.state.users.by_id(user_ids[0])
    if user is None or user.is_bot:
        raise SlackError("user_not_found")
    channel, existed = ctx.state.open_dm(user)
    body: Response = {
        "channel": channel.as_slack() if _truthy(params.get("return_im")) else {"id": channel.id}
    }
    if existed:
        body.update(no_op=True, already_open=True)
    return body


def conversations_info(ctx: ApiContext, params: Params) -> Response:
    channel = ctx.state.channels.get(required(params, "channel", "channel_not_found"))
    if channel is None:
        raise SlackError("channel_not_found")
    return {"channel": channel.as_slack()}


# Slack's defaults and cap for `conversations.history`'s page size.
HISTORY_PAGE = 100
HISTORY_PAGE_MAX = 999


def conversations_history(ctx: ApiContext, params: Params) -> Response:
    """A channel's messages, newest first, a page at a time (`cursor`), between `oldest` and
    `latest`; thread replies stay in their threads. Metadata only with
    `include_all_metadata`, as Slack does."""
    channel = ctx.state.resolve_channel(required(params, "channel", "channel_not_found"))
    if channel is None:
        raise SlackError("channel_not_found")
    try:
        limit = min(int(params.get("limit") or HISTORY_PAGE), HISTORY_PAGE_MAX)
        oldest = float(params.get("oldest") or 0)
        latest = float(params.get("latest") or "inf")
        # The cursor is the ts the next page starts below.
        below = float(params["cursor"]) if params.get("cursor") else float("inf")
    except ValueError:
        raise SlackError("invalid_arguments") from None
    if limit < 1:
        raise SlackError("invalid_limit")
    inclusive = _truthy(params.get("inclusive"))
    with_metadata = _truthy(params.get("include_all_metadata"))

    def shown(ts: float) -> bool:
        if inclusive:
            return oldest <= ts <= latest
        return oldest < ts < latest

    found = sorted(
        (
            m
            for m in ctx.state.messages
            if m.channel == channel.id
            and not m.deleted
            and (m.thread_ts is None or m.thread_ts == m.ts)
            and shown(float(m.ts))
            and float(m.ts) < below
        ),
        key=lambda m: float(m.ts),
        reverse=True,
    )
    page, more = found[:limit], len(found) > limit
    return {
        "messages": [m.as_slack(with_metadata=with_metadata) for m in page],
        "has_more": more,
        "pin_count": 0,
        "response_metadata": {"next_cursor": page[-1].ts if more else ""},
    }


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() in ("true", "1")


METHODS: dict[str, Handler] = {
    "auth.test": auth_test,
    "users.info": users_info,
    "users.lookupByEmail": users_lookup_by_email,
    "conversations.open": conversations_open,
    "conversations.info": conversations_info,
    "conversations.history": conversations_history,
    **CHAT_METHODS,
    **VIEW_METHODS,
}


def call_method(
    ctx: ApiContext,
    hooks: list[CallHook],
    bot_token: str,
    method: str,
    params: Params,
    header_token: str | None,
) -> ApiAnswer:
    """The answer to one Web API request, recorded in the call list. An answer kept back
    (`kept_back_until`) is the caller's to wait for."""
    token = header_token or params.pop("token", None)
    params.pop("token", None)
    try:
        handler = METHODS.get(method)
        if handler is None:
            raise SlackError("unknown_method", req_method=method)
        if not token:
            raise SlackError("not_authed")
        if token != bot_token:
            raise SlackError("invalid_auth")
        answer = answer_before(hooks, method)
        if answer is None:
            answer = answer_after(
                hooks, method, ApiAnswer(200, {"ok": True, **handler(ctx, params)})
            )
    except SlackError as error:
        answer = ApiAnswer(200, {"ok": False, "error": error.code, **error.extra})
    call = ApiCall(method, params, answer.body["ok"], answer.body.get("error"), answer.status)
    ctx.state.calls.append(call)
    ctx.state.notify("api_call", {"call": call.as_dict()})
    return answer
