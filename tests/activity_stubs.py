"""The activity stubs of `workflow.activity_contract`, for workers and fakes built from them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import activity

from workflow import activity_contract


def activity_name(function: Callable[..., Any]) -> str:
    """The Temporal name an `@activity.defn` function or method is registered under."""
    # temporalio keeps the definition private; this is how its Worker reads it too.
    return activity._Definition.must_from_callable(function).name


def contract_stubs() -> dict[str, Callable[..., Any]]:
    """Every stub in the contract, by the activity name it stands for."""
    found: dict[str, Callable[..., Any]] = {}
    for value in vars(activity_contract).values():
        if callable(value) and getattr(value, "__module__", None) == activity_contract.__name__:
            definition = activity._Definition.from_callable(value)
            if definition is not None:
                found[definition.name] = value
    return found
