"""How a value sent to a review is judged and shown: the one rule for a schema version, and a
value as its sender wrote it, for the sentence that refuses it."""

from __future__ import annotations


def as_written(value: object) -> str:
    """The value as its sender wrote it in JSON: null, true and false as such, anything else
    as Python shows it ('two', 1.5), so that a string is told apart from a number."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def version_problem(value: object, name: str = "version") -> str | None:
    """What is wrong with a schema version, or None: a version is a whole number of 1 or more,
    sent as one. "2", 2.0 and true are refused, not read as 2: a sender who wrote them meant
    something this contract does not say, and guessing would record a version nobody sent.
    Every check of a version (payloads, the bot's forms, the store, the buttons) is this one."""
    if not isinstance(value, int) or isinstance(value, bool):
        return f"{name} must be a whole number of 1 or more, not {as_written(value)}"
    if value < 1:
        return f"{name} {value} is too low: versions start at 1"
    return None
