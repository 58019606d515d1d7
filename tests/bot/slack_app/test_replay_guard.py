"""What the HTTP front remembers of verified requests, and for how long."""

from __future__ import annotations

from bot.slack_app.services.replay_guard import REPLAY_WINDOW_SECONDS, ReplayGuard, request_key

SIGNED_AT = 1_700_000_000
KEY = (str(SIGNED_AT), "v0=abc")


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_verified_request_is_a_repeat_until_its_timestamp_leaves_the_window() -> None:
    clock = Clock(SIGNED_AT)
    guard = ReplayGuard(clock)
    assert guard.claim(KEY)
    guard.settle(KEY, verified=True)

    clock.now = SIGNED_AT + REPLAY_WINDOW_SECONDS
    assert not guard.claim(KEY)

    # Bolt refuses the timestamp from here on, so the guard lets go of it.
    clock.now = SIGNED_AT + REPLAY_WINDOW_SECONDS + 2
    assert guard.claim((str(SIGNED_AT + 400), "v0=def"))
    assert len(guard) == 1


def test_a_request_being_verified_is_held_against_a_copy_sent_alongside() -> None:
    guard = ReplayGuard(Clock(SIGNED_AT))

    assert guard.claim(KEY)
    assert not guard.claim(KEY)


def test_an_unverified_request_is_forgotten_at_once() -> None:
    guard = ReplayGuard(Clock(SIGNED_AT))
    assert guard.claim(KEY)

    guard.settle(KEY, verified=False)

    assert len(guard) == 0
    assert guard.claim(KEY)


def test_only_signed_requests_have_a_key() -> None:
    signed = {"X-Slack-Request-Timestamp": "1700000000", "X-Slack-Signature": "v0=abc"}

    assert request_key(signed) == ("1700000000", "v0=abc")
    assert request_key({"X-Slack-Signature": "v0=abc"}) is None
    assert request_key(signed | {"X-Slack-Signature": ""}) is None
    assert request_key(signed | {"X-Slack-Request-Timestamp": "²"}) is None
