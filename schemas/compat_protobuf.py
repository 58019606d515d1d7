"""Protobuf compatibility: `buf breaking` with buf's wire-level rules (the WIRE category).

BACKWARD runs the new version against the old: buf reports what breaks readers of the old data
(a field deleted without reserving its number, a type that does not convert on the wire, ...).
FORWARD runs the old against the new, leaving out the deletion rules: a field the new version
adds is skipped by readers of the old one on the wire, so only changes of meaning count.
"""

from __future__ import annotations

import re

from schemas import buf_cli
from schemas.validation import SchemaInvalid

# buf compares "current" with "against": swapped for FORWARD, its "from A to B" reads backwards.
_FROM_TO = re.compile(r'from "([^"]*)" to "([^"]*)"')

_DELETION_RULES = (
    "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
    "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
    "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
    "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
)


async def protobuf_problems(
    old_text: str, new_text: str, old_version: int, new_version: int, *, backward: bool
) -> list[str]:
    if backward:
        findings = await buf_cli.breaking(new_text, old_text)
        readers = f"readers using v{new_version} of data written with v{old_version}"
    else:
        findings = await buf_cli.breaking(old_text, new_text, except_rules=_DELETION_RULES)
        readers = f"readers still using v{old_version} of data written with v{new_version}"
    compile_errors = [f for f in findings if f.is_compile_error]
    if compile_errors:
        raise_compile_errors(compile_errors, old_version)
    messages = [finding.message.rstrip(".") for finding in findings]
    if not backward:
        messages = [_FROM_TO.sub(r'from "\2" to "\1"', message) for message in messages]
    return [
        f"{message} (buf rule {finding.rule}); this breaks {readers}."
        for message, finding in zip(messages, findings, strict=True)
    ]


def raise_compile_errors(errors: list[buf_cli.BufFinding], old_version: int) -> None:
    """`buf breaking` compiles both documents: errors in the checked one are its own words
    about it, as from `buf build`; errors in an approved one mean it cannot be compared."""
    current = [e for e in errors if e.module == buf_cli.CURRENT]
    if current:
        shown = "; ".join(e.located() for e in current[:3])
        raise SchemaInvalid(f"buf build says {shown}")
    shown = "; ".join(e.located() for e in errors[:3])
    raise SchemaInvalid(
        f"the approved version {old_version} no longer builds with this buf ({shown}), so it"
        " cannot be compared; ask the bot's operators"
    )
