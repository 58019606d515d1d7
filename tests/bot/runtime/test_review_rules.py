"""The policy file (REVIEW_POLICY_FILE): the repository's example reads, the first matching
rule wins, and each problem is one line naming the rule and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.runtime.review_rules import ReviewRulesError, read_review_rules
from bot.runtime.settings import SettingsError, load_settings

EXAMPLE = Path(__file__).resolve().parents[3] / "review-policy.example.toml"
ROSTER = """
[rule.reviewers]
reviewer_a = "alice@example.com"
reviewer_b = "bob@example.com"
senior_reviewer = "carol@example.com"
compliance_reviewer = "dave@example.com"
"""


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "policy.toml"
    path.write_text(text)
    with pytest.raises(ReviewRulesError) as refused:
        read_review_rules(path)
    return refused.value.lines


def test_the_example_in_the_repository_reads() -> None:
    rules = read_review_rules(EXAMPLE)

    payments = rules.rule_for("payments-eu")
    assert payments is not None and payments.number == 1
    assert payments.policy is not None and payments.policy.Review1 is not None
    assert payments.policy.Review1.approvals == 2
    assert (payments.compatibility_mode, payments.breaking_change_policy) == ("FULL", "refuse")
    assert rules.rule_for("orders") is None


def test_the_first_matching_rule_wins(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(
        '[[rule]]\nschemas = "payments-eu-*"\ncompatibility_mode = "FULL"\n'
        '[[rule]]\nschemas = "payments-*"\ncompatibility_mode = "NONE"\n'
    )
    rules = read_review_rules(path)

    eu, us = rules.rule_for("payments-eu-cards"), rules.rule_for("payments-us-cards")
    assert eu is not None and (eu.number, eu.compatibility_mode) == (1, "FULL")
    assert us is not None and (us.number, us.compatibility_mode) == (2, "NONE")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            '[[rule]]\nschemas = "payments-*"\n' + ROSTER.replace('"bob@example.com"', '"bob"'),
            "rule 1 (payments-*): reviewers.reviewer_b must be an email address, not 'bob'",
        ),
        (
            '[[rule]]\nschemas = "payments-*"\n[rule.policy.Review1]\n'
            'reviewers = ["a@example.com", "b@example.com"]\napprovals = 3\n',
            "rule 1 (payments-*): policy.Review1.approvals is 3, above the 2 people of its pool",
        ),
        (
            '[[rule]]\nschemas = "payments-*"\n[[rule]]\nschemas = "payments-eu-*"\n',
            "rule 2 (payments-eu-*): never applies, since rule 1 (payments-*) matches every"
            " schema it matches",
        ),
        (
            '[[rule]]\nschemas = "payments-*"\nowner = "x@example.com"\n',
            "rule 1 (payments-*): unknown key 'owner'",
        ),
        (
            '[[rule]]\nschemas = "Payments/*"\n',
            "rule 1 (Payments/*): schemas must be a glob of schema ids",
        ),
        (
            '[[rule]]\nschemas = "payments-*"\n[rule.policy.Review3]\n'
            'deadline = { after_seconds = 60, then = "escalate" }\n',
            "rule 1 (payments-*): policy.Review3.deadline.then cannot be escalate",
        ),
        (
            '[[rule]]\nschemas = "payments-*"\n[rule.policy.Review4]\napprovals = 1\n',
            "rule 1 (payments-*): policy has an unknown field (Review4)",
        ),
    ],
)
def test_each_problem_is_one_line(tmp_path: Path, text: str, line: str) -> None:
    lines = problems_of(tmp_path, text)

    assert len(lines) == 1, lines
    assert line in lines[0]
    assert lines[0].startswith(f"REVIEW_POLICY_FILE {tmp_path / 'policy.toml'}")


def test_a_file_that_is_not_toml_or_not_there_says_so(tmp_path: Path) -> None:
    assert "is not TOML" in problems_of(tmp_path, "[[rule]\n")[0]
    with pytest.raises(ReviewRulesError) as refused:
        read_review_rules(tmp_path / "missing.toml")
    assert "cannot be read" in refused.value.lines[0]


def test_settings_stop_with_the_file_s_lines(tmp_path: Path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('[[rule]]\nschemas = "payments-*"\nowner = "x@example.com"\n')
    settings = load_settings(_env_file=None, review_policy_file=str(path))

    with pytest.raises(SettingsError) as stopped:
        settings.review_rules()

    assert len(stopped.value.lines) == 1 and "unknown key 'owner'" in stopped.value.lines[0]
