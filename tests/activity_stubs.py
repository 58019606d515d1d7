"""The activity stubs of `workflow.activity_contract`, for workers and fakes built from them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from temporalio import activity

from workflow import activity_contract


def activity_name(function: Callable[..., Any]) -> str:
    """The Temporal name an `@activity.defn` function or method is registered under."""
    # temporalio keeps the definition private; this is how its Worker reads it too.
    name = activity._Definition.must_from_callable(function).name
    # None only for a dynamic activity, which the contract has none of.
    assert name is not None, f"{function!r} is a dynamic activity"
    return name


def contract_stubs() -> dict[str, Callable[..., Any]]:
    """Every stub in the contract, by the activity name it stands for."""
    found: dict[str, Callable[..., Any]] = {}
    for value in vars(activity_contract).values():
        declared_here = getattr(value, "__module__", None) == activity_contract.__name__
        if declared_here and activity._Definition.from_callable(value) is not None:
            found[activity_name(value)] = value
    return found
