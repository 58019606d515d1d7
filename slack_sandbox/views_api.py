"""`views.*`: modals opened with a fresh trigger_id, pushed, updated; App Home published."""

from __future__ import annotations

from slack_sandbox import modals
from slack_sandbox.api_support import ApiContext, Handler, Params, Response, SlackError, required
from slack_sandbox.records import View
from slack_sandbox.state import TRIGGER_LIFETIME_SECONDS


def _redeem_trigger(ctx: ApiContext, params: Params) -> str:
    """The person behind a trigger_id; each one works once, within 3 seconds of the click."""
    trigger = ctx.state.triggers.get(required(params, "trigger_id"))
    if trigger is None:
        raise SlackError("invalid_trigger_id")
    if trigger.used:
        raise SlackError("exchanged_trigger_id")
    if ctx.state.clock() - trigger.issued_at > TRIGGER_LIFETIME_SECONDS:
        raise SlackError("expired_trigger_id")
    trigger.used = True
    return trigger.user


def views_open(ctx: ApiContext, params: Params) -> Response:
    definition = modals.parse_view(params.get("view"), expected_type="modal")
    user = _redeem_trigger(ctx, params)
    return {"view": modals.open_modal(ctx.state, user, definition).as_slack()}


def views_push(ctx: ApiContext, params: Params) -> Response:
    definition = modals.parse_view(params.get("view"), expected_type="modal")
    user = _redeem_trigger(ctx, params)
    return {"view": modals.push_modal(ctx.state, user, definition).as_slack()}


def _target_view(ctx: ApiContext, params: Params) -> View:
    view_id, external_id = params.get("view_id"), params.get("external_id")
    if not view_id and not external_id:
        raise SlackError(
            "invalid_arguments",
            response_metadata={"messages": ["[ERROR] either view_id or external_id is required"]},
        )
    for view in ctx.state.views.values():
        if view.status == "open" and (
            view.id == view_id or (external_id and view.external_id == external_id)
        ):
            return view
    raise SlackError("not_found")


def views_update(ctx: ApiContext, params: Params) -> Response:
    view = _target_view(ctx, params)
    definition = modals.parse_view(params.get("view"), expected_type=view.type)
    if params.get("hash") and params["hash"] != view.hash:
        raise SlackError("hash_conflict")
    return {"view": modals.update_view(ctx.state, view, definition).as_slack()}


def views_publish(ctx: ApiContext, params: Params) -> Response:
    user_id = required(params, "user_id")
    user = ctx.state.users.by_id(user_id)
    if user is None or user.is_bot:
        raise SlackError("user_not_found")
    definition = modals.parse_view(params.get("view"), expected_type="home")
    current = ctx.state.views.get(ctx.state.home_views.get(user_id, ""))
    if params.get("hash") and current is not None and params["hash"] != current.hash:
        raise SlackError("hash_conflict")
    return {"view": modals.publish_home(ctx.state, user_id, definition).as_slack()}


VIEW_METHODS: dict[str, Handler] = {
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
}
