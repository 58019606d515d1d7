"""What an operator reads: LOG_FORMAT=json lines with the review's and the click's fields, the
text lines as before, and no secret in either, whatever is logged."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path
from typing import Any, Literal

import pytest
from pydantic import SecretStr
from temporalio.exceptions import ApplicationError

from bot.processes.log_format import ExpectedFailuresOnOneLine
from bot.processes.log_setup import log_handler
from bot.runtime.settings import Settings, SettingsError, load_settings

BOT_TOKEN = "xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx"
APP_TOKEN = "xapp-1-A0123456789-1234567890-abcdef0123456789"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
API_KEY = "tmprl-api-key-eyJhbGciOiJFUzI1NiJ9.payload.signature"
CLIENT_KEY = (
    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"
)
REGISTRY_PASSWORD = "registry-pa55word"
# Not in the settings: caught by its shape.
USER_TOKEN = "xoxp-2222222222-3333333333-ZyXwVuTsRqPoNmLkJiHgFeDc"
LogFormat = Literal["text", "json"]
SECRETS = (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, API_KEY, CLIENT_KEY, REGISTRY_PASSWORD, USER_TOKEN)


def settings(log_format: LogFormat) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        log_format=log_format,
        slack_bot_token=SecretStr(BOT_TOKEN),
        slack_app_token=SecretStr(APP_TOKEN),
        slack_signing_secret=SecretStr(SIGNING_SECRET),
        temporal_api_key=SecretStr(API_KEY),
        temporal_tls_client_key_data=SecretStr(CLIENT_KEY),
    )


def logged(log_format: LogFormat, write: Any) -> str:
    """What a process configured with `log_format` writes when `write(logger)` logs."""
    out = io.StringIO()
    logger = logging.getLogger(f"tests.logs.{log_format}")
    logger.propagate = False
    logger.setLevel(logging.INFO)
    handler = log_handler(settings(log_format), out)
    logger.addHandler(handler)
    try:
        write(logger)
    finally:
        logger.removeHandler(handler)
    return out.getvalue()


def json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_no_secret_is_written_in_either_format(log_format: LogFormat) -> None:
    def write(logger: logging.Logger) -> None:
        configured = settings(log_format)
        logger.info("Settings: %r", configured)
        logger.info("Settings as data: %s", configured.model_dump())
        try:
            raise RuntimeError(
                f"Slack refused the request (token={BOT_TOKEN}, app token {APP_TOKEN},"
                f" signed with {SIGNING_SECRET}); Temporal said no to {API_KEY};"
                f" registry https://svc-reviews:{REGISTRY_PASSWORD}@registry.example/subjects;"
                f" key {CLIENT_KEY}; installed by {USER_TOKEN}"
            )
        except RuntimeError:
            logger.exception("Could not reach the services")

    written = logged(log_format, write)

    assert "Could not reach the services" in written
    assert "Traceback" in written  # a bug keeps its traceback, redacted
    for secret in SECRETS:
        assert secret not in written
    assert "installed by xoxp-[REDACTED]" in written
    assert "https://[REDACTED]@registry.example/subjects" in written


def test_a_json_line_carries_the_review_the_click_and_the_person() -> None:
    def write(logger: logging.Logger) -> None:
        logger.info(
            "Click decision-1 on schema-approval-inventory Review1.a v1 by U0ALICE signalled",
            extra={
                "workflow_id": "schema-approval-inventory",
                "slack_user_id": "U0ALICE",
                "click_id": "decision-1",
            },
        )
        # As temporalio's activity logger passes them.
        logger.warning(
            "Completing activity as failed",
            extra={
                "temporal_activity": {
                    "activity_type": "post_review_request",
                    "attempt": 3,
                    "workflow_id": "schema-approval-inventory",
                    "workflow_run_id": "run-7",
                }
            },
        )
        # As workflow.logger passes them inside an update.
        logger.info(
            "Click decision-1 (decide_review): accepted",
            extra={
                "temporal_workflow": {
                    "workflow_id": "schema-approval-inventory",
                    "run_id": "run-7",
                    "attempt": 1,
                    "update_id": "decision-1",
                    "update_name": "decide_review",
                },
                "click_id": "decision-1",
            },
        )

    bot, activity, update = json_lines(logged("json", write))

    assert bot["level"] == "INFO"
    assert bot["logger"] == "tests.logs.json"
    assert bot["time"].endswith("+00:00")
    assert (bot["workflow_id"], bot["slack_user_id"], bot["click_id"]) == (
        "schema-approval-inventory",
        "U0ALICE",
        "decision-1",
    )
    assert activity["message"] == "Completing activity as failed"
    assert (activity["activity"], activity["attempt"], activity["run_id"]) == (
        "post_review_request",
        3,
        "run-7",
    )
    assert (update["update"], update["click_id"], update["run_id"]) == (
        "decide_review",
        "decision-1",
        "run-7",
    )


def test_a_bugs_traceback_stays_inside_its_json_line() -> None:
    def write(logger: logging.Logger) -> None:
        stages: dict[str, int] = {}
        try:
            stages["stage"]
        except KeyError:
            logger.exception("Decision failed")

    [line] = json_lines(logged("json", write))

    assert line["message"] == "Decision failed"
    assert "KeyError: 'stage'" in line["exception"]


def test_an_expected_failure_is_one_json_line_without_a_traceback() -> None:
    def write(logger: logging.Logger) -> None:
        logger.addFilter(ExpectedFailuresOnOneLine())
        try:
            raise ApplicationError("No Slack user has alice@example.com.", type="UnknownPerson")
        except ApplicationError:
            logger.warning("Completing activity as failed", exc_info=True)

    [line] = json_lines(logged("json", write))

    assert line["message"] == (
        "Completing activity as failed UnknownPerson: No Slack user has alice@example.com."
    )
    assert "exception" not in line


def test_text_stays_the_default_format(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOG_FORMAT", raising=False)
    monkeypatch.delenv("LOG_LEVEL", raising=False)

    configured = load_settings(_env_file=None)
    written = logged(configured.log_format, lambda logger: logger.info("Worker polling"))

    assert (configured.log_format, configured.log_level) == ("text", "INFO")
    assert written.endswith(" INFO tests.logs.text: Worker polling\n")


@pytest.mark.parametrize(
    ("name", "value", "choices"),
    [
        ("LOG_LEVEL", "verbose", "DEBUG, INFO, WARNING, ERROR"),
        ("LOG_FORMAT", "logfmt", "text, json"),
    ],
)
def test_an_unknown_log_setting_is_refused_with_the_choices(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, choices: str
) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(SettingsError) as error:
        load_settings(_env_file=None)

    assert error.value.lines == [f"{name}: must be one of {choices}, not {value!r}"]


def test_log_settings_are_read_whatever_their_case(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LOG_LEVEL", "debug")
    monkeypatch.setenv("LOG_FORMAT", "JSON")

    configured = load_settings(_env_file=None)

    assert (configured.log_level, configured.log_format) == ("DEBUG", "json")
