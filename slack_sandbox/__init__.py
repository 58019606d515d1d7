"""A local stand-in for Slack: the Web API the bot calls, and the people who click."""

from slack_sandbox.interactions import InteractionResult
from slack_sandbox.server import SlackStandIn
from slack_sandbox.users import SimulatedUser, default_users

__all__ = ["InteractionResult", "SimulatedUser", "SlackStandIn", "default_users"]
