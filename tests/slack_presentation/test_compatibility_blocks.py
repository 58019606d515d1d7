"""The verdict as reviewers read it, for each kind of verdict and policy."""

from __future__ import annotations

import pytest

from slack_presentation.compatibility_blocks import compatibility_line, compatibility_text
from workflow.models import Compatibility, UploadResult

BREAKING = Compatibility("FULL", 3, False, ["Field `qty` was removed; readers of v3 need it."])


def upload(
    compatibility: Compatibility | None,
    *,
    policy: str = "require_compliance",
    previous: int | None = 3,
    fmt: str = "Avro",
) -> UploadResult:
    return UploadResult(
        "orders",
        4,
        "sha256:x",
        fmt,
        10,
        previous_version=previous,
        compatibility=compatibility,
        breaking_change_policy=policy,
    )


@pytest.mark.parametrize(
    ("result", "text"),
    [
        (upload(None, previous=None), "*Compatibility:* first version, nothing to compare with."),
        (upload(None), "*Compatibility:* no approved version to compare with yet."),
        (
            upload(Compatibility("BACKWARD", 3, True, [])),
            ":white_check_mark: *Compatible* with approved v3 (BACKWARD).",
        ),
        (
            upload(Compatibility("NONE", 3, True, [])),
            "*Compatibility:* not checked (mode NONE; compared with approved v3).",
        ),
        (
            upload(BREAKING, policy="allow"),
            ":warning: *Breaking change* against approved v3 (FULL):\n"
            "• Field `qty` was removed; readers of v3 need it.",
        ),
        (
            upload(BREAKING),
            ":warning: *Breaking change* against approved v3 (FULL):\n"
            "• Field `qty` was removed; readers of v3 need it.\n"
            "_Compliance review (Review3) is required because this change breaks consumers of"
            " the approved version._",
        ),
    ],
)
def test_the_verdict_reads_as_one_line_or_the_problems(result: UploadResult, text: str) -> None:
    assert compatibility_text(result) == text


def test_plain_json_gets_no_verdict_block() -> None:
    assert compatibility_text(upload(None, fmt="JSON")) is None


def test_status_lists_show_the_verdict_in_one_line() -> None:
    assert compatibility_line(None) is None
    assert compatibility_line(BREAKING) == (
        ":warning: Breaking change against approved v3 (FULL): 1 problem."
    )
