"""Settings from the environment: what they turn into, and the sentence a bad value gets."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.runtime.settings import Settings, SettingsError, load_settings
from workflow.models import ReminderPolicy

HOURS = "REVIEW_REMINDER_HOURS"
MAX = "REVIEW_MAX_REMINDERS"


def settings_from(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings(_env_file=None)


def refusal(monkeypatch: pytest.MonkeyPatch, **env: str) -> list[str]:
    with pytest.raises(SettingsError) as error:
        settings_from(monkeypatch, **env)
    return error.value.lines


def test_reviewers_are_reminded_daily_three_times_unless_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(HOURS, raising=False)
    monkeypatch.delenv(MAX, raising=False)

    assert settings_from(monkeypatch).reminder_policy() == ReminderPolicy(86400, 86400, 3)
    assert settings_from(
        monkeypatch, **{HOURS: " 1.5 ", MAX: "20"}
    ).reminder_policy() == ReminderPolicy(5400, 5400, 20)


@pytest.mark.parametrize("env", [{HOURS: "0"}, {MAX: "0"}])
def test_zero_turns_reminders_off(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    assert settings_from(monkeypatch, **env).reminder_policy() is None


@pytest.mark.parametrize("hours", ["-1", "720.5", "a day", "nan"])
def test_reminder_hours_out_of_range_are_refused_with_the_range(
    monkeypatch: pytest.MonkeyPatch, hours: str
) -> None:
    assert refusal(monkeypatch, **{HOURS: hours}) == [
        f"{HOURS}: must be a number of hours from 0 (no reminders) to 720 (30 days),"
        f" such as 24 or 1.5, not {hours!r}"
    ]


@pytest.mark.parametrize("count", ["-1", "21", "2.5", "three"])
def test_a_reminder_count_that_is_not_a_whole_number_up_to_20_is_refused(
    monkeypatch: pytest.MonkeyPatch, count: str
) -> None:
    assert refusal(monkeypatch, **{MAX: count}) == [
        f"{MAX}: must be a whole number from 0 (no reminders) to 20, not {count!r}"
    ]


@pytest.mark.parametrize("seconds", ["0", "51", "300", "ten"])
def test_a_fetch_timeout_beyond_what_the_upload_activity_allows_is_refused(
    monkeypatch: pytest.MonkeyPatch, seconds: str
) -> None:
    name = "SCHEMA_FETCH_TIMEOUT_SECONDS"
    assert refusal(monkeypatch, **{name: seconds}) == [
        f"{name}: must be a number of seconds above 0 and at most 50, such as 10, not"
        f" {seconds!r}: the upload activity has 60 seconds in all to fetch, check and store a"
        " document"
    ]
    assert settings_from(monkeypatch, **{name: "50"}).schema_fetch_timeout_seconds == 50


def test_a_file_root_that_is_not_a_directory_is_refused_saying_what_to_do(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    name = "SCHEMA_FETCH_FILE_ROOT"
    missing = tmp_path / "schemas"
    assert refusal(monkeypatch, **{name: str(missing)}) == [
        f"{name}: must be a directory that exists (the documents file:// URLs may name), not"
        f" {str(missing)!r}; create it, or leave it unset to refuse file:// URLs"
    ]
    missing.mkdir()
    assert settings_from(monkeypatch, **{name: str(missing)}).schema_fetch_file_root == missing


def test_every_bad_reminder_setting_is_named_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = refusal(monkeypatch, **{HOURS: "1000", MAX: "100"})

    assert [line.split(":")[0] for line in lines] == [HOURS, MAX]


@pytest.mark.parametrize(
    ("written", "admins"),
    [
        ("erin@example.com", ["erin@example.com"]),
        ("erin@example.com, lead@example.com", ["erin@example.com", "lead@example.com"]),
        ("", []),
    ],
)
def test_admins_are_written_comma_separated_as_the_readme_says(
    monkeypatch: pytest.MonkeyPatch, written: str, admins: list[str]
) -> None:
    assert settings_from(monkeypatch, SLACK_ADMINS=written).slack_admins == admins


def test_an_admin_that_is_not_an_email_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    assert refusal(monkeypatch, SLACK_ADMINS="erin@example.com,erin") == [
        "SLACK_ADMINS: must be comma-separated email addresses; 'erin' is not one"
    ]


def test_an_empty_variable_is_not_set(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = settings_from(monkeypatch, SLACK_BOT_TOKEN="", SANDBOX_USERS_FILE="")
    assert settings.slack_bot_token is None
    assert settings.sandbox_users_file is None


def test_compatibility_settings_default_to_backward_and_compliance(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("DEFAULT_COMPATIBILITY", raising=False)
    monkeypatch.delenv("BREAKING_CHANGE_POLICY", raising=False)
    settings = settings_from(monkeypatch)
    assert (settings.default_compatibility, settings.breaking_change_policy) == (
        "BACKWARD",
        "require_compliance",
    )
    chosen = settings_from(
        monkeypatch, DEFAULT_COMPATIBILITY=" full ", BREAKING_CHANGE_POLICY="Refuse"
    )
    assert (chosen.default_compatibility, chosen.breaking_change_policy) == ("FULL", "refuse")


def test_unknown_compatibility_settings_are_refused_with_the_choices(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = refusal(monkeypatch, DEFAULT_COMPATIBILITY="SIDEWAYS", BREAKING_CHANGE_POLICY="warn")
    assert lines == [
        "DEFAULT_COMPATIBILITY: must be one of BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FULL,"
        " NONE, not 'SIDEWAYS'",
        "BREAKING_CHANGE_POLICY: must be one of require_compliance, refuse, allow, not 'warn'",
    ]
