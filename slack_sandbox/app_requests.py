"""The bodies Slack sends to an app, in Slack's own field layout."""

from __future__ import annotations

import secrets
import time
from typing import Any

from slack_sandbox.records import Channel, Ephemeral, Message, View
from slack_sandbox.users import APP_ID, BOT_USER, TEAM_DOMAIN, TEAM_ID, SimulatedUser

# Slack still sends the legacy verification token; Bolt ignores it in favour of signatures.
VERIFICATION_TOKEN = "sandbox-verification-token"
TEAM = {"id": TEAM_ID, "domain": TEAM_DOMAIN}


def _action_ts() -> str:
    return f"{time.time():.6f}"


def channel_name(channel: Channel) -> str:
    return "directmessage" if channel.is_im else channel.name


def button_action(block_id: str, button: dict[str, Any]) -> dict[str, Any]:
    action: dict[str, Any] = {
        "action_id": button.get("action_id", ""),
        "block_id": block_id,
        "text": button.get("text"),
        "type": "button",
        "action_ts": _action_ts(),
    }
    for optional in ("value", "style", "url"):
        if optional in button:
            action[optional] = button[optional]
    return action


def block_actions(
    *,
    user: SimulatedUser,
    channel: Channel,
    source: Message | Ephemeral,
    block_id: str,
    button: dict[str, Any],
    trigger_id: str,
    response_url: str,
) -> dict[str, Any]:
    is_ephemeral = isinstance(source, Ephemeral)
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": user.as_payload_user(),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": {
            "type": "message",
            "message_ts": source.ts,
            "channel_id": channel.id,
            "is_ephemeral": is_ephemeral,
        },
        "trigger_id": trigger_id,
        "team": TEAM,
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel.id, "name": channel_name(channel)},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [button_action(block_id, button)],
    }
    # Slack leaves the message out when the clicked message was ephemeral.
    if isinstance(source, Message):
        payload["message"] = source.as_slack()
    return payload


def view_block_actions(
    *,
    user: SimulatedUser,
    view: View,
    block_id: str,
    button: dict[str, Any],
    trigger_id: str,
) -> dict[str, Any]:
    """A click inside a modal or an App Home tab: the view instead of a channel and message,
    and no response_url (Slack gives none for view containers)."""
    return {
        "type": "block_actions",
        "user": user.as_payload_user(),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": {"type": "view", "view_id": view.id},
        "trigger_id": trigger_id,
        "team": TEAM,
        "enterprise": None,
        "is_enterprise_install": False,
        "view": view.as_slack(),
        "actions": [button_action(block_id, button)],
    }


def view_closed(*, user: SimulatedUser, view: View, is_cleared: bool) -> dict[str, Any]:
    """Sent only for modals defined with notify_on_close."""
    return {
        "type": "view_closed",
        "team": TEAM,
        "user": user.as_payload_user(),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "view": view.as_slack(),
        "is_cleared": is_cleared,
        "is_enterprise_install": False,
        "enterprise": None,
    }


def app_home_opened(*, user: SimulatedUser, dm: Channel, home: View | None) -> dict[str, Any]:
    """The Events API envelope Slack posts (as JSON) each time a person opens the Home tab."""
    now = time.time()
    event: dict[str, Any] = {
        "type": "app_home_opened",
        "user": user.id,
        "channel": dm.id,
        "tab": "home",
        "event_ts": f"{now:.6f}",
    }
    if home is not None:
        event["view"] = home.as_slack()
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": f"Ev0{secrets.token_hex(5).upper()}",
        "event_time": int(now),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM_ID,
                "user_id": BOT_USER.id,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def view_submission(
    *, user: SimulatedUser, view: View, values: dict[str, Any], trigger_id: str
) -> dict[str, Any]:
    return {
        "type": "view_submission",
        "team": TEAM,
        "user": user.as_payload_user(),
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "view": view.as_slack(values),
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def slash_command(
    *,
    user: SimulatedUser,
    channel: Channel,
    command: str,
    text: str,
    response_url: str,
    trigger_id: str,
) -> dict[str, str]:
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": TEAM_ID,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel.id,
        "channel_name": channel_name(channel),
        "user_id": user.id,
        "user_name": user.name,
        "command": command,
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id,
    }
