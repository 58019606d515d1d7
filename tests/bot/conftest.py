"""Bot tests run against the whole stack (`tests/fixtures/bot_stack.py`)."""

from tests.fixtures.bot_stack import bot_stack  # noqa: F401
