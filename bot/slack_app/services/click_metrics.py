"""What became of reviewers' clicks, and how long they waited, for `/metrics`.

A click is counted once its outcome is known to the person: recorded, refused (with the
reason they were told), or not confirmed (the review service never said, and they were told
to look at the message). Times run from when the HTTP front received Slack's request, as
Slack's 3 seconds do.
"""

from __future__ import annotations

from typing import Literal

from prometheus_client import Counter, Histogram

from bot.reviews.decisions import DecisionReply

ClickOutcome = Literal["recorded", "refused", "not_confirmed"]

CLICKS = Counter(
    "schema_approval_clicks",
    "Reviewers' decisions from Slack (buttons and the reject form), by what became of them",
    ["outcome"],
)
CLICK_ACK_SECONDS = Histogram(
    "schema_approval_click_ack_seconds",
    "From receiving a decision click to acknowledging it to Slack (Slack gives up at 3 s)",
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 5.0),
)
DECISION_ACCEPTED_SECONDS = Histogram(
    "schema_approval_decision_accepted_seconds",
    "From receiving a decision click to the review accepting the decision",
    buckets=(0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 15.0, 30.0, 60.0),
)


def acknowledged(seconds: float) -> None:
    CLICK_ACK_SECONDS.observe(seconds)


def concluded(reply: DecisionReply, seconds: float) -> None:
    """The click's outcome, as the person was told it; `seconds` since it was received."""
    outcome: ClickOutcome
    if reply.state == "accepted":
        outcome = "recorded"
        DECISION_ACCEPTED_SECONDS.observe(seconds)
    elif reply.state == "refused":
        outcome = "refused"
    else:
        outcome = "not_confirmed"
    CLICKS.labels(outcome).inc()


# Every outcome present from the start, at 0: a rate over a series that appears only with its
# first click misses that click.
for _outcome in ("recorded", "refused", "not_confirmed"):
    CLICKS.labels(_outcome)
