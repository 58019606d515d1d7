"""The workflow's patches: how code that changed its commands still replays older histories.

Each change to the commands a review writes was guarded by a patch of its own (the ids are
kept beside the code they guard). Reviews started since `lean-review-commands` write that one
marker, in their first workflow task, and take every older patch as applied without writing
its marker: a patch marker costs two history events (the marker and Temporal's
`TemporalChangeVersion` search attribute). Histories recorded before it have no such marker,
so `lean()` is False for their whole run and every older patch is decided by its own marker,
as before.
"""

from __future__ import annotations

from temporalio import workflow

from workflow.review_state import CarriedState

# Search attributes set together once per workflow task, several review messages closed by
# one activity, and every older patch taken as applied without a marker of its own.
PATCH_LEAN_REVIEW_COMMANDS = "lean-review-commands"


def lean() -> bool:
    """Whether this run writes the lean commands. Decided (and memoized by Temporal) where it
    is first asked, which the workflow does in its first activation."""
    return workflow.patched(PATCH_LEAN_REVIEW_COMMANDS)


def patched(patch_id: str) -> bool:
    """`workflow.patched(patch_id)`, taken as True without a marker in a lean run."""
    return lean() or workflow.patched(patch_id)


# Review messages closed with facts (`workflow.message_facts`) instead of sentences. Not for
# determinism (replay compares no activity input): a real marker, asked in the first workflow
# task, so that a run sends one shape from start to end, and the open reviews still sending
# sentences are the ones without it (docs/workflow.md, "Facts, not sentences").
PATCH_MESSAGE_FACTS = "review-messages-carry-facts"


# Signals, updates and the start input read strictly (`workflow.payload_shape`): a field the
# payload class does not have, or null for a field with a default, is refused with a sentence.
# Reviews started before read them loosely (unknown fields ignored, null as the default); a
# payload accepted then and refused now would change the commands a replay writes, so the
# reading is decided once per run, in its first activation, before the input is read.
PATCH_STRICT_PAYLOADS = "strict-payloads"


def strict_payloads() -> bool:
    """Whether this run reads its payloads strictly. Asked first in the first activation."""
    return workflow.patched(PATCH_STRICT_PAYLOADS)


def message_facts() -> bool:
    """Whether this run's message closings carry facts. Asked first in the first activation,
    then memoized by Temporal for the run."""
    return workflow.patched(PATCH_MESSAGE_FACTS)


# Approved versions registered in the schema registry (`workflow.approval_registration`). Asked
# with `workflow.patched` itself, never through `patched()` above: a lean run started before it
# must not take it as applied. Decided once per review, where it starts, and carried across
# continue-as-new (`CarriedState.registers_approvals`), since a continued run asking again
# would find no marker to deny it: a review started before it ends as it began.
PATCH_REGISTRY_REGISTRATION = "registry-registration"


def registers_approvals(carried: CarriedState | None) -> bool:
    """Whether this review registers its approved version. Asked in the first activation."""
    if carried is not None:
        return carried.registers_approvals
    return workflow.patched(PATCH_REGISTRY_REGISTRATION)


# Review policies (`workflow.policy_contract`): pools, N of M approvals and deadlines that act.
# Asked with `workflow.patched` itself in the first activation, and only by a review whose
# input carries a `policy` (reviews without one write the Conductor graph's commands, as
# before, and no marker). A run that is denied it (a history from before it) ignores the policy.
PATCH_REVIEW_POLICIES = "review-policies"


def review_policies() -> bool:
    """Whether this run honours its input's policy. Asked in the first activation."""
    return workflow.patched(PATCH_REVIEW_POLICIES)
