"""`view.state.values` as Slack sends it, built from a view's input blocks and what a
person typed or picked."""

from __future__ import annotations

from typing import Any

from slack_sandbox.records import View
from slack_sandbox.users import UserDirectory

REQUIRED_FIELD = "Please complete this required field."

# element type -> (state key, initial_* key, default when nothing is chosen)
_SHAPES: dict[str, tuple[str, str, Any]] = {
    "plain_text_input": ("value", "initial_value", None),
    "email_text_input": ("value", "initial_value", None),
    "url_text_input": ("value", "initial_value", None),
    "number_input": ("value", "initial_value", None),
    "users_select": ("selected_user", "initial_user", None),
    "multi_users_select": ("selected_users", "initial_users", []),
    "conversations_select": ("selected_conversation", "initial_conversation", None),
    "channels_select": ("selected_channel", "initial_channel", None),
    "static_select": ("selected_option", "initial_option", None),
    "radio_buttons": ("selected_option", "initial_option", None),
    "checkboxes": ("selected_options", "initial_options", []),
    "datepicker": ("selected_date", "initial_date", None),
}


class ViewInputError(ValueError):
    """Input no person could have given in this modal: a mistake in the caller's test."""


def _options(element: dict[str, Any]) -> list[dict[str, Any]]:
    groups = element.get("option_groups") or []
    return list(element.get("options") or []) + [o for g in groups for o in g.get("options", [])]


def _chosen(element: dict[str, Any], given: Any, users: UserDirectory) -> Any:
    kind = element["type"]
    if kind in ("static_select", "radio_buttons", "checkboxes"):
        wanted = given if isinstance(given, list) else [given]
        options = {o.get("value"): o for o in _options(element)}
        missing = [w for w in wanted if w not in options]
        if missing:
            raise ViewInputError(
                f"{missing[0]!r} is not an option of {element.get('action_id')!r};"
                f" choose one of {sorted(str(v) for v in options)}."
            )
        picked = [options[w] for w in wanted]
        return picked if kind == "checkboxes" else picked[0]
    if kind in ("users_select", "multi_users_select"):
        wanted = given if isinstance(given, list) else [given]
        for user_id in wanted:
            if users.by_id(user_id) is None:
                raise ViewInputError(f"{user_id!r} is not a simulated user; pick a known user id.")
        return wanted if kind == "multi_users_select" else wanted[0]
    return None if given is None else str(given)


def state_values(
    view: View, given: dict[str, Any], users: UserDirectory
) -> tuple[dict[str, Any], dict[str, str]]:
    """(state.values, client-side errors). `given` is keyed by block_id or action_id."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    used: set[str] = set()
    for block in view.blocks:
        element = block.get("element")
        if block.get("type") != "input" or not isinstance(element, dict):
            continue
        block_id, action_id = block.get("block_id", ""), element.get("action_id", "")
        shape = _SHAPES.get(element.get("type", ""))
        if shape is None:
            continue
        state_key, initial_key, empty = shape
        current = element.get(initial_key, empty)
        for key in (block_id, action_id):
            if key in given:
                used.add(key)
                current = _chosen(element, given[key], users)
        values[block_id] = {action_id: {"type": element["type"], state_key: current}}
        if not block.get("optional", False) and current in (None, "", []):
            errors[block_id] = REQUIRED_FIELD
    unknown = set(given) - used
    if unknown:
        raise ViewInputError(
            f"This modal has no input called {sorted(unknown)[0]!r};"
            f" its inputs are {sorted(values)} (block ids; action ids work too)."
        )
    return values, errors
