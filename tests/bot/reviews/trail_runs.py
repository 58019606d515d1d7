"""Reviews that leave a full audit trail, run through the bot stack as people run them: a
rejection, a resubmission, a reassignment, an escalation and an approval, and a withdrawn
review; with the rows the audit must list for them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_presentation.reject_modal import REASON_BLOCK
from slack_presentation.review_actions import ACTION_ESCALATE
from tests.bot.slack_app.reassign_runs import schema_of
from tests.bot.slack_app.test_buttons import approve, closed, open_reject_modal
from tests.fixtures.bot_stack import OWNER, ROSTER, BotStack
from tests.helpers import eventually
from workflow.models import UPDATE_REASSIGN, UPDATE_WITHDRAW, Reassignment, Withdrawal

ALICE, BOB, CAROL, DAVE = ROSTER.all()
ERIN = "erin@example.com"
REJECTION = "sku needs a pattern"
AWAY = "Alice is on holiday"
WITHDRAWN = "Submitted to the wrong team"

# kind, schema, version, digest, stage, reviewer, decision, reason, submitted_by,
# requested_by, previous_reviewer
Expected = tuple[str, str, int, str, str, str, str, str, str, str, str]


@dataclass
class TrailRun:
    approved_id: str
    withdrawn_id: str
    # When the first review started and when the last one ended.
    began: datetime
    ended: datetime
    expected: list[Expected]


def digest_of(stack: BotStack, schema_id: str, version: int) -> str:
    content = (stack.documents_dir / f"{schema_id}-v{version}.json").read_bytes()
    return f"sha256:{hashlib.sha256(content).hexdigest()}"


async def run_reviews_with_a_trail(stack: BotStack) -> TrailRun:
    began = datetime.now(UTC)
    approved_id = await stack.submit()
    schema = schema_of(approved_id)
    await approve(stack, ALICE)
    view_id = await open_reject_modal(stack, BOB)
    await stack.standin.submit_view(stack.user_id(BOB), view_id, {REASON_BLOCK: REJECTION})

    async def awaiting_revision() -> None:
        assert (await stack.status(approved_id)).state == "awaiting_revision"

    await eventually(awaiting_revision)
    await stack.submit_version(approved_id, 2)
    await stack.review_message(ALICE, version=2)
    await stack.handle(approved_id).execute_update(
        UPDATE_REASSIGN, Reassignment("reviewer_a", ERIN, OWNER, AWAY)
    )
    await approve(stack, ERIN, version=2)
    await approve(stack, BOB, version=2)
    carols = await stack.review_message(CAROL, version=2)
    assert (await stack.click(CAROL, carols, ACTION_ESCALATE)).status == 200
    await closed(stack, carols)
    await approve(stack, DAVE, version=2)
    await stack.result(approved_id)

    withdrawn_id = await stack.submit()
    other = schema_of(withdrawn_id)
    await approve(stack, ALICE)
    await stack.handle(withdrawn_id).execute_update(UPDATE_WITHDRAW, Withdrawal(OWNER, WITHDRAWN))
    await stack.result(withdrawn_id)
    ended = datetime.now(UTC)

    v1, v2 = digest_of(stack, schema, 1), digest_of(stack, schema, 2)
    w1 = digest_of(stack, other, 1)
    expected: list[Expected] = [
        ("decision", schema, 1, v1, "Review1.a", ALICE, "approved", "", OWNER, "", ""),
        ("decision", schema, 1, v1, "Review1.b", BOB, "rejected", REJECTION, OWNER, "", ""),
        ("reassignment", schema, 2, v2, "Review1.a", ERIN, "", AWAY, OWNER, OWNER, ALICE),
        ("decision", schema, 2, v2, "Review1.a", ERIN, "approved", "", OWNER, "", ""),
        ("decision", schema, 2, v2, "Review1.b", BOB, "approved", "", OWNER, "", ""),
        ("decision", schema, 2, v2, "Review2", CAROL, "escalated", "", OWNER, "", ""),
        ("decision", schema, 2, v2, "Review3", DAVE, "approved", "", OWNER, "", ""),
        ("decision", other, 1, w1, "Review1.a", ALICE, "approved", "", OWNER, "", ""),
        ("withdrawal", other, 1, w1, "", "", "", WITHDRAWN, OWNER, OWNER, ""),
    ]
    return TrailRun(approved_id, withdrawn_id, began, ended, expected)
