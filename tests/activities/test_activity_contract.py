"""The activities the worker runs are the ones the workflow calls: each stub of
`workflow.activity_contract` has an implementation under its name, taking and returning the
same types, and the worker registers those and nothing else. A mismatch would otherwise show
only in a running review, as activities failing with "not registered" or payloads that do not
decode."""

from __future__ import annotations

import inspect
import json
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.processes.worker import build_activities
from bot.runtime.settings import Settings
from tests.activity_stubs import activity_name, contract_stubs

HISTORIES = Path(__file__).parents[1] / "workflow" / "histories"


def signature_of(function: Callable[..., Any]) -> tuple[list[tuple[str, Any]], Any]:
    """The parameters (name, resolved type) and the resolved result type; `self` left out."""
    hints = typing.get_type_hints(function)
    parameters = [
        (name, hints.get(name)) for name in inspect.signature(function).parameters if name != "self"
    ]
    return parameters, hints.get("return")


@pytest.fixture
def registered(tmp_path: Path) -> dict[str, Callable[..., Any]]:
    """The worker's activities as deployed, by the name each is registered under."""
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token=SecretStr("xoxb-contract-test"),
        schema_store_dir=tmp_path / "schemas",
    )
    activities = build_activities(settings)
    return {activity_name(function): function for function in activities}


def test_the_worker_registers_exactly_the_activities_the_workflow_calls(
    registered: dict[str, Callable[..., Any]],
) -> None:
    assert sorted(registered) == sorted(contract_stubs())


def test_each_activity_takes_and_returns_what_its_stub_declares(
    registered: dict[str, Callable[..., Any]],
) -> None:
    for name, stub in contract_stubs().items():
        assert signature_of(registered[name]) == signature_of(stub), name


def test_each_stub_is_registered_under_its_own_function_name() -> None:
    # The activities name themselves `stub.__name__`: that must be the Temporal name.
    stubs = contract_stubs()
    assert stubs, "the contract declares no activities"
    for name, stub in stubs.items():
        assert stub.__name__ == name


def test_every_recorded_review_calls_only_activities_of_the_contract() -> None:
    called: set[str] = set()
    for history in HISTORIES.glob("*.json"):
        for event in json.loads(history.read_text())["events"]:
            scheduled = event.get("activityTaskScheduledEventAttributes")
            if scheduled:
                called.add(scheduled["activityType"]["name"])
    assert called and called <= set(contract_stubs())


async def test_a_stub_run_by_mistake_says_what_to_register_instead() -> None:
    stub = contract_stubs()["upload_schema"]
    with pytest.raises(NotImplementedError, match="register the implementation"):
        await stub(None)
