"""Histories recorded by earlier versions of the workflow still replay with today's code.

`approved_with_repeated_submission.json` was recorded before closing messages carried their
review request, before a repeated submission became a no-op, and before reminders: a review
started with signal-with-start (its own submission sent again), approved by Review1.a, Review1.b
and Review2, with the same submission signalled once more mid-review.

`approved_after_reminders.json` was recorded on the time-skipping server with reminders after
one hour, then every two hours, at most twice: both Review1 seats reminded, Review1.a approving
(its next reminder's timer cancelled), Review1.b reminded again and approving, Review2 approving
before its reminder fell due.

`reassigned_after_undelivered_request.json` was recorded when reviewers could first be
reassigned: Review1.a's request could not be delivered (the submitter was told), Review1.a was
reassigned to erin@example.com and the compliance seat to frank@example.com, Review2 escalated,
and the new reviewers approved.

`approved_version_from_a_reviewer.json` was recorded before a version submitted by someone on
the review's own roster was ignored: carol@example.com, the senior reviewer, submitted version 2
mid-review and then approved it at Review2. The review must replay as it ran.

`rejected_superseded_then_approved.json` was recorded before messages closed while their round
went on were updated again with how it ended: version 1 approved at Review1.a and rejected at
Review1.b, version 2 approved at Review1.a and superseded by version 3, which was approved.
`approved_breaking_change_before_routing.json` was recorded before breaking changes were routed
to the compliance review: version 1 rejected, version 2 uploaded with a breaking verdict under
the `require_compliance` policy (a worker ahead of the workflow), then approved by Review1.a,
Review1.b and Review2 without escalation, and completed without Review3.

`submitted_by_update.json` was recorded when the bot began submitting through the
`submit_schema_version` update: the review started by update-with-start with version 1,
Review1.a approved, version 2 handed over by the update, then approved by Review1.a, Review1.b
and Review2. Changes to how the update takes a version must keep it replaying.

`approved_with_channel_copy.json` was recorded while `dispatch_review_request` still posted the
review channel's copy itself (returning the DM and the copy): a review with a review channel,
approved by Review1.a, Review1.b and Review2, every closing update rewriting both messages.

`continued_as_new_first_run.json` and `continued_as_new_second_run.json` were recorded while
continue-as-new still carried every history entry and decision: version 1 rejected at Review2,
the review continued as new (first run), then version 2 approved in the second run, which
started from that full carried state.

`lean_whole_review.json` was recorded with the commands of the patch `lean-review-commands` (one
patch marker, the search attributes upserted once per workflow task, the DM and its review
channel copy posted by one `dispatch_review_request`, a round's closing messages updated by one
`update_review_messages`, one reminder timer for both Review1 seats), on the benchmark's stack
with a review channel and reminders: Review1.a, Review1.b and Review2 approved by clicks, each
once the review was idle.

`signalled_clicks.json` was recorded when the bot began sending a click twice: the
`record_review_decision` signal carrying the click's id (durable before Slack's ack), then the
`decide_review` update with that id as its update id, answered from the outcome the signal left
(`workflow.click_outcomes`). Review1.a clicked twice (a retried request: one decision), then
Review1.b and Review2, each as signal-then-update.

`facts_rejected_then_approved.json` was recorded when review messages began to close with facts
instead of sentences (the patch `review-messages-carry-facts`, a marker of its own beside the
lean one): version 1 approved at Review1.a and rejected at Review1.b, version 2 handed over by
the `submit_schema_version` update and approved by Review1.a, Review1.b and Review2
(`tests/workflow/test_message_facts.py`, `rejected_then_approved`). Every closing update in it
carries `closing` and `round_ending`, and no sentence.

`approved_with_registry_before_registration.json` was recorded just before approvals were
registered in the schema registry (the patch `registry-registration`): every upload's result
carries a registry view (`UploadResult.registry`), version 1 is approved by Review1.a, Review1.b
and Review2, and the review completes with `finalize_review` alone. Replaying it proves that a
review without the patch's marker does not register: a `register_approved_schema` where the
history holds `finalize_review` would not replay.

`registered_after_pending.json` was recorded on the time-skipping server when approvals began
to be registered (the patch `registry-registration`): a review with a review channel, version 1
approved by Review1.a, Review1.b and Review2, the registry unavailable through the first
minute of attempts (the owner and the channel told once, `notify_registration` "pending") and
registering it in the patient retries, then `finalize_review` with the registration
(`tests/workflow/test_registration.py`).

`registered_after_conflict_retried.json`, recorded with it on the dev server: the registry
refused version 1 with a conflict, the review stayed `approved_not_registered` (the owner told,
"not_registered"), and the `retry_registration` update registered it once the conflict was
cleared.

`pool_two_of_three_with_deadline.json` was recorded when review policies came (the patch
`review-policies`): a review started with the documented JSON input whose Review1 is a pool of
alice, bob and erin needing 2 approvals with an escalate deadline after a day; alice and erin
approved (bob's request closed as not needed, the deadline's timer cancelled), then Review2.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from workflow.schema_approval import SchemaApprovalWorkflow

HISTORIES = Path(__file__).parent / "histories"


@pytest.mark.parametrize(
    "recording",
    [
        "approved_with_repeated_submission.json",
        "approved_after_reminders.json",
        "reassigned_after_undelivered_request.json",
        "approved_version_from_a_reviewer.json",
        "rejected_superseded_then_approved.json",
        "approved_breaking_change_before_routing.json",
        "submitted_by_update.json",
        "approved_with_channel_copy.json",
        "continued_as_new_first_run.json",
        "continued_as_new_second_run.json",
        "lean_whole_review.json",
        "signalled_clicks.json",
        "facts_rejected_then_approved.json",
        "approved_with_registry_before_registration.json",
        "registered_after_pending.json",
        "registered_after_conflict_retried.json",
        "pool_two_of_three_with_deadline.json",
    ],
)
async def test_a_review_recorded_by_the_previous_workflow_replays(recording: str) -> None:
    history = WorkflowHistory.from_json(
        "schema-approval-inventory-service", (HISTORIES / recording).read_text()
    )

    result = await Replayer(workflows=[SchemaApprovalWorkflow]).replay_workflow(
        history, raise_on_replay_failure=False
    )

    assert result.replay_failure is None, f"No longer replays: {result.replay_failure!r}"
