"""The worker as deployed: its capacity comes from settings, a bad value is refused with the
range, and the sandbox that shares the workflow's modules still replays every recorded review."""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from bot.processes.worker import workflow_runner
from bot.runtime.settings import Settings, SettingsError, load_settings
from workflow.schema_approval import SchemaApprovalWorkflow

HISTORIES = Path(__file__).parents[2] / "workflow" / "histories"


def settings_from(monkeypatch: pytest.MonkeyPatch, **env: str) -> Settings:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings(_env_file=None)


def test_the_worker_keeps_four_thousand_reviews_in_memory_unless_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert settings_from(monkeypatch).worker_max_cached_workflows == 4_000

    configured = settings_from(
        monkeypatch,
        WORKER_MAX_CACHED_WORKFLOWS="500",
        WORKER_MAX_CONCURRENT_WORKFLOW_TASKS="8",
        WORKER_MAX_CONCURRENT_ACTIVITIES="16",
        WORKER_WORKFLOW_TASK_POLLERS="3",
        WORKER_ACTIVITY_TASK_POLLERS=" 2 ",
    )

    assert (
        configured.worker_max_cached_workflows,
        configured.worker_max_concurrent_workflow_tasks,
        configured.worker_max_concurrent_activities,
        configured.worker_workflow_task_pollers,
        configured.worker_activity_task_pollers,
    ) == (500, 8, 16, 3, 2)


@pytest.mark.parametrize(
    ("name", "value", "sentence"),
    [
        (
            "WORKER_MAX_CACHED_WORKFLOWS",
            "-1",
            "must be a whole number of reviews kept in memory (0: none) from 0 to 1,000,000",
        ),
        (
            "WORKER_MAX_CONCURRENT_WORKFLOW_TASKS",
            "1",
            "must be a whole number of workflow tasks at once from 2 to 10,000",
        ),
        (
            "WORKER_MAX_CONCURRENT_ACTIVITIES",
            "2.5",
            "must be a whole number of activities at once from 1 to 10,000",
        ),
        (
            "WORKER_WORKFLOW_TASK_POLLERS",
            "many",
            "must be a whole number of workflow task pollers from 2 to 100",
        ),
        (
            "WORKER_ACTIVITY_TASK_POLLERS",
            "0",
            "must be a whole number of activity task pollers from 1 to 100",
        ),
    ],
)
def test_a_worker_setting_out_of_range_is_refused_with_its_range(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, sentence: str
) -> None:
    with pytest.raises(SettingsError) as error:
        settings_from(monkeypatch, **{name: value})

    assert error.value.lines == [f"{name}: {sentence}, not {value!r}"]


def test_the_worker_serves_its_metrics_on_port_9464_unless_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert settings_from(monkeypatch).metrics_port == 9464
    assert settings_from(monkeypatch, METRICS_PORT="9100").metrics_port == 9100


@pytest.mark.parametrize("value", ["0", "70000", "9464.5", "metrics"])
def test_a_metrics_port_that_is_no_port_is_refused_with_the_range(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    with pytest.raises(SettingsError) as error:
        settings_from(monkeypatch, METRICS_PORT=value)

    assert error.value.lines == [
        f"METRICS_PORT: must be a TCP port number from 1 to 65535, such as 9464, not {value!r}:"
        " the worker serves /metrics, /healthz and /readyz on it"
    ]


@pytest.mark.parametrize("recording", sorted(p.name for p in HISTORIES.glob("*.json")))
async def test_recorded_reviews_replay_in_the_workers_sandbox(recording: str) -> None:
    history = WorkflowHistory.from_json(
        "schema-approval-inventory-service", (HISTORIES / recording).read_text()
    )
    replayer = Replayer(workflows=[SchemaApprovalWorkflow], workflow_runner=workflow_runner())

    result = await replayer.replay_workflow(history, raise_on_replay_failure=False)

    assert result.replay_failure is None, f"No longer replays: {result.replay_failure!r}"
