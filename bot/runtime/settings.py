"""Settings for every process (worker, bot, starter, dev stack), from the environment and `.env`.

Only entry points call `load_settings()`; everything else receives what it needs through its
constructor. Names follow the ecosystems' own (Temporal's client environment configuration,
Bolt's `SLACK_*`), as listed in `docs/workflow.md`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, PrivateAttr, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import NoDecode, SettingsConfigDict
from temporalio.client import Client
from temporalio.runtime import Runtime

from bot.runtime.registry_settings import RegistrySettings, number
from bot.runtime.review_rules import ReviewRules, ReviewRulesError, read_review_rules
from bot.runtime.temporal_profile import TemporalConnectionSettings
from workflow.activity_calls import UPLOAD_ATTEMPT_TIMEOUT
from workflow.models import (
    BREAKING_CHANGE_POLICIES,
    COMPATIBILITY_MODES,
    DEFAULT_COMPATIBILITY_MODE,
    EMAIL_PATTERN,
    MAX_REMINDERS,
    TASK_QUEUE,
    ReminderPolicy,
    Reviewers,
)

MAX_REMINDER_HOURS = 720
# The fetch is one part of `upload_schema`, whose attempt Temporal stops after this long.
UPLOAD_ACTIVITY_SECONDS = UPLOAD_ATTEMPT_TIMEOUT.total_seconds()
# What is left for the fetch once the document has been checked and stored.
MAX_FETCH_TIMEOUT_SECONDS = UPLOAD_ACTIVITY_SECONDS - 10

# Each worker setting's smallest and largest sensible value, and what it counts.
WORKER_LIMITS: dict[str, tuple[int, int, str]] = {
    "worker_max_cached_workflows": (0, 1_000_000, "reviews kept in memory (0: none)"),
    "worker_max_concurrent_workflow_tasks": (2, 10_000, "workflow tasks at once"),
    "worker_max_concurrent_activities": (1, 10_000, "activities at once"),
    "worker_workflow_task_pollers": (2, 100, "workflow task pollers"),
    "worker_activity_task_pollers": (1, 100, "activity task pollers"),
}


class SettingsError(Exception):
    """Settings that cannot be used; `lines` holds one sentence per problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


class Settings(TemporalConnectionSettings, RegistrySettings):
    # An empty variable (`SLACK_BOT_TOKEN=` left in a `.env`) means "not set", not "".
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
        env_ignore_empty=True,
    )

    temporal_task_queue: str = TASK_QUEUE
    temporal_ui_url: str = "http://localhost:8233"

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    slack_review_channel: str | None = None
    # Emails of people who may submit a new version of any schema: comma-separated in the
    # environment (NoDecode: read as written, not as JSON).
    slack_admins: Annotated[list[str], NoDecode] = Field(default_factory=list)

    default_reviewer_a: str | None = None
    default_reviewer_b: str | None = None
    default_senior_reviewer: str | None = None
    default_compliance_reviewer: str | None = None

    schema_store_dir: Path = Path(".data/schemas")
    schema_fetch_allow_private: bool = False
    # The only directory `file://` documents are read from (None: none are).
    schema_fetch_file_root: Path | None = None
    schema_fetch_max_bytes: int = Field(default=1_000_000, gt=0, le=50_000_000)
    schema_fetch_timeout_seconds: float = 10.0
    # The compatibility mode of a schema whose first submission names none.
    default_compatibility: str = DEFAULT_COMPATIBILITY_MODE
    # What a breaking change does: require_compliance (Review3), refuse, or allow.
    breaking_change_policy: str = "require_compliance"

    # Reviewers whose request waits this long are reminded, then again as often; 0: never.
    review_reminder_hours: float = 24.0
    review_max_reminders: int = 3

    port: int = Field(default=3000, ge=1, le=65535)
    # The worker's `/metrics`, `/healthz` and `/readyz` (docs/operations.md).
    metrics_port: int = 9464

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    # The `web` process's click journal: acknowledged clicks not yet forwarded to Temporal.
    click_journal_dir: Path = Path(".data/click-journal")

    # The worker's capacity (see docs/workflow.md, Worker tuning): reviews kept in memory
    # between their tasks, and how many tasks of each kind run and are polled for at once.
    worker_max_cached_workflows: int = 4_000
    worker_max_concurrent_workflow_tasks: int = 100
    worker_max_concurrent_activities: int = 100
    worker_workflow_task_pollers: int = 5
    worker_activity_task_pollers: int = 5

    # Rules per schema (TOML, `bot.runtime.review_rules`): read by the processes that start
    # reviews, at start; None: every review starts with the defaults above.
    review_policy_file: Path | None = None
    _review_rules: ReviewRules | None = PrivateAttr(default=None)

    # The run command's Slack sandbox: a JSON list of its people (default: the built-in ones).
    sandbox_users_file: Path | None = None

    @field_validator("schema_fetch_file_root")
    @classmethod
    def _file_root(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(
                f"must be a directory that exists (the documents file:// URLs may name), not"
                f" {str(value)!r}; create it, or leave it unset to refuse file:// URLs"
            )
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("log_level", "log_format", mode="before")
    @classmethod
    def _log_choice(cls, value: Any, info: ValidationInfo) -> str:
        choices: tuple[str, ...] = ("DEBUG", "INFO", "WARNING", "ERROR")
        if info.field_name == "log_format":
            choices = ("text", "json")
        chosen = str(value).strip()
        for choice in choices:
            if chosen.lower() == choice.lower():
                return choice
        raise ValueError(f"must be one of {', '.join(choices)}, not {value!r}")

    @field_validator(
        "default_reviewer_a",
        "default_reviewer_b",
        "default_senior_reviewer",
        "default_compliance_reviewer",
    )
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not EMAIL_PATTERN.match(value):
            raise ValueError(f"must be an email address, not {value!r}")
        return value

    @field_validator("default_compatibility", mode="before")
    @classmethod
    def _compatibility(cls, value: Any) -> str:
        mode = str(value).strip().upper()
        if mode not in COMPATIBILITY_MODES:
            raise ValueError(f"must be one of {', '.join(COMPATIBILITY_MODES)}, not {value!r}")
        return mode

    @field_validator("breaking_change_policy", mode="before")
    @classmethod
    def _breaking_change_policy(cls, value: Any) -> str:
        policy = str(value).strip().lower()
        if policy not in BREAKING_CHANGE_POLICIES:
            raise ValueError(f"must be one of {', '.join(BREAKING_CHANGE_POLICIES)}, not {value!r}")
        return policy

    @field_validator("slack_admins", mode="before")
    @classmethod
    def _admins(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        for email in value:
            if not EMAIL_PATTERN.match(email):
                raise ValueError(f"must be comma-separated email addresses; {email!r} is not one")
        return value

    @field_validator("review_reminder_hours", mode="before")
    @classmethod
    def _reminder_hours(cls, value: Any) -> float:
        hours = number(value)
        if hours is None or not 0 <= hours <= MAX_REMINDER_HOURS:
            raise ValueError(
                f"must be a number of hours from 0 (no reminders) to {MAX_REMINDER_HOURS}"
                f" (30 days), such as 24 or 1.5, not {value!r}"
            )
        return hours

    @field_validator("schema_fetch_timeout_seconds", mode="before")
    @classmethod
    def _fetch_timeout(cls, value: Any) -> float:
        seconds = number(value)
        if seconds is None or not 0 < seconds <= MAX_FETCH_TIMEOUT_SECONDS:
            raise ValueError(
                f"must be a number of seconds above 0 and at most {MAX_FETCH_TIMEOUT_SECONDS:g},"
                f" such as 10, not {value!r}: the upload activity has"
                f" {UPLOAD_ACTIVITY_SECONDS:g} seconds in all to fetch, check and store a"
                " document"
            )
        return seconds

    @field_validator("metrics_port", mode="before")
    @classmethod
    def _metrics_port(cls, value: Any) -> int:
        port = number(value)
        if port is None or port != int(port) or not 1 <= port <= 65535:
            raise ValueError(
                f"must be a TCP port number from 1 to 65535, such as 9464, not {value!r}: the"
                " worker serves /metrics, /healthz and /readyz on it"
            )
        return int(port)

    @field_validator("review_max_reminders", mode="before")
    @classmethod
    def _max_reminders(cls, value: Any) -> int:
        count = number(value)
        if count is None or count != int(count) or not 0 <= count <= MAX_REMINDERS:
            raise ValueError(
                f"must be a whole number from 0 (no reminders) to {MAX_REMINDERS}, not {value!r}"
            )
        return int(count)

    @field_validator(*WORKER_LIMITS, mode="before")
    @classmethod
    def _worker_limit(cls, value: Any, info: ValidationInfo) -> int:
        low, high, what = WORKER_LIMITS[str(info.field_name)]
        count = number(value)
        if count is None or count != int(count) or not low <= count <= high:
            raise ValueError(
                f"must be a whole number of {what} from {low} to {high:,}, not {value!r}"
            )
        return int(count)

    def schema_store_path(self) -> Path | None:
        """The directory store: always without a registry; with one, only when
        SCHEMA_STORE_DIR is set (the registry holds the approved versions)."""
        if self.schema_registry_url is not None and "schema_store_dir" not in self.model_fields_set:
            return None
        return self.schema_store_dir

    def reminder_policy(self) -> ReminderPolicy | None:
        """When new reviews remind waiting reviewers; None when reminders are off."""
        if self.review_reminder_hours == 0 or self.review_max_reminders == 0:
            return None
        seconds = self.review_reminder_hours * 3600
        return ReminderPolicy(
            first_after_seconds=seconds,
            then_every_seconds=seconds,
            max_reminders=self.review_max_reminders,
        )

    def default_roster(self) -> Reviewers | None:
        """The configured roster, or None when any seat is unset."""
        seats = (
            self.default_reviewer_a,
            self.default_reviewer_b,
            self.default_senior_reviewer,
            self.default_compliance_reviewer,
        )
        if any(s is None for s in seats):
            return None
        a, b, senior, compliance = (str(s) for s in seats)
        return Reviewers(a, b, senior, compliance)

    def review_rules(self) -> ReviewRules:
        """The policy file's rules, read once (none without REVIEW_POLICY_FILE); raise
        SettingsError with one line per problem of the file."""
        if self._review_rules is None:
            if self.review_policy_file is None:
                self._review_rules = ReviewRules()
            else:
                try:
                    self._review_rules = read_review_rules(self.review_policy_file)
                except ReviewRulesError as error:
                    raise SettingsError(error.lines) from None
        return self._review_rules

    def require(self, *names: str) -> None:
        """Stop with one line per missing setting that this process needs."""
        missing = [n for n in names if getattr(self, n) in (None, "")]
        if missing:
            raise SettingsError(
                [
                    f"{n.upper()} is not set: this process needs it (see README, Settings)"
                    for n in missing
                ]
            )


async def connect_temporal(settings: Settings, runtime: Runtime | None = None) -> Client:
    """Connect to the configured Temporal cluster (local dev server, self-hosted or Cloud);
    `runtime` exports the metrics (`bot.runtime.temporal_metrics`), None: Temporal's default."""
    return await Client.connect(**settings.temporal_connect_config(), runtime=runtime)


def describe_validation_error(error: ValidationError) -> list[str]:
    lines = []
    for problem in error.errors():
        name = "_".join(str(part) for part in problem["loc"]).upper()
        message = problem["msg"].removeprefix("Value error, ")
        # A problem of several settings together names them in its sentence.
        lines.append(f"{name}: {message}" if name else message)
    return lines


def load_settings(**overrides: Any) -> Settings:
    """Read and check settings; raise SettingsError with one line per problem."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise SettingsError(describe_validation_error(error)) from None
