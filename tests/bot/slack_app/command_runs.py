"""Running slash commands as a person in the stand-in, and reading the reply they see."""

from __future__ import annotations

from temporalio.service import RPCError, RPCStatusCode

from slack_sandbox.records import Ephemeral
from tests.fixtures.bot_stack import BotStack
from tests.helpers import eventually
from workflow.models import workflow_id_for


async def run_command(stack: BotStack, email: str, command: str, text: str) -> Ephemeral:
    """Run a slash command as `email`; the ephemeral reply it produced."""
    user_id = stack.user_id(email)
    before = len(stack.standin.ephemerals_for(user_id))
    result = await stack.standin.run_slash_command(user_id, command, text)
    assert result.status == 200, f"{command} answered {result.status}: {result.body}"

    async def replied() -> Ephemeral:
        replies = stack.standin.ephemerals_for(user_id)[before:]
        assert replies, f"No reply to {command} {text!r} reached {email}"
        return replies[-1]

    return await eventually(replied)


async def assert_no_review(stack: BotStack, schema_id: str) -> None:
    try:
        await stack.handle(workflow_id_for(schema_id)).describe()
    except RPCError as error:
        assert error.status == RPCStatusCode.NOT_FOUND
    else:
        raise AssertionError(f"A review of {schema_id} exists, but nothing should have started")
