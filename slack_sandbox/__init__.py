"""A local stand-in for Slack: the Web API the bot calls, and the people who click."""

from slack_sandbox.interactions import InteractionResult
from slack_sandbox.server import SlackStandIn
from slack_sandbox.state_file import (
    STATE_FILE_NAME,
    SandboxStateFileError,
    remove_state_file,
    state_file_in,
)
from slack_sandbox.users import SimulatedUser, default_users

__all__ = [
    "STATE_FILE_NAME",
    "InteractionResult",
    "SandboxStateFileError",
    "SimulatedUser",
    "SlackStandIn",
    "default_users",
    "remove_state_file",
    "state_file_in",
]
