"""Modal stacks and App Home tabs: the view lifecycle shared by `views.*` and submissions."""

from __future__ import annotations

import json
import secrets
from typing import Any

from slack_sandbox.api_support import SlackError
from slack_sandbox.block_kit import MAX_VIEW_BLOCKS, assign_missing_ids, blocks_problems
from slack_sandbox.records import View
from slack_sandbox.state import SandboxState

# Slack keeps at most three modals on a person's stack.
MAX_STACK = 3


def _invalid(*messages: str) -> SlackError:
    return SlackError(
        "invalid_arguments", response_metadata={"messages": [f"[ERROR] {m}" for m in messages]}
    )


def parse_view(raw: Any, *, expected_type: str) -> dict[str, Any]:
    """A view definition from a form string or a JSON object, checked like Slack checks it."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise _invalid("failed to parse view: not valid JSON [json-pointer:/view]") from None
    if not isinstance(raw, dict):
        raise _invalid("missing required field: view")
    if raw.get("type") != expected_type:
        raise _invalid(f"must be '{expected_type}' [json-pointer:/view/type]")
    problems = blocks_problems(raw.get("blocks"), limit=MAX_VIEW_BLOCKS, root="/view/blocks")
    if expected_type == "modal":
        title = raw.get("title")
        if not isinstance(title, dict) or not 0 < len(str(title.get("text", ""))) <= 24:
            problems.append("must be 1-24 characters [json-pointer:/view/title/text]")
        has_input = any(
            b.get("type") == "input" for b in raw.get("blocks") or [] if isinstance(b, dict)
        )
        if has_input and not raw.get("submit"):
            problems.append(
                "must provide submit when using input blocks [json-pointer:/view/submit]"
            )
    if len(str(raw.get("private_metadata", ""))) > 3000:
        problems.append("must be less than 3001 characters [json-pointer:/view/private_metadata]")
    if problems:
        raise _invalid(*problems)
    assign_missing_ids(raw["blocks"])
    return raw


def _new_view(
    state: SandboxState,
    user: str,
    definition: dict[str, Any],
    root: str | None,
    previous: str | None,
) -> View:
    view_id = state.next_id("V")
    external_id = str(definition.get("external_id", ""))
    if external_id and any(
        v.external_id == external_id and v.status == "open" for v in state.views.values()
    ):
        raise SlackError("duplicate_external_id")
    view = View(
        id=view_id,
        user=user,
        definition=definition,
        hash=secrets.token_hex(8),
        root_view_id=root or view_id,
        previous_view_id=previous,
        external_id=external_id,
    )
    state.views[view_id] = view
    state.notify("view_opened", {"view": view.as_dict()})
    return view


def open_modal(state: SandboxState, user: str, definition: dict[str, Any]) -> View:
    close_all(state, user)
    view = _new_view(state, user, definition, None, None)
    state.modal_stacks[user] = [view.id]
    return view


def push_modal(state: SandboxState, user: str, definition: dict[str, Any]) -> View:
    stack = state.modal_stacks.get(user, [])
    if not stack:
        raise SlackError("not_found", detail="views.push needs a modal open for this person.")
    if len(stack) >= MAX_STACK:
        raise SlackError("push_limit_reached")
    view = _new_view(state, user, definition, stack[0], stack[-1])
    stack.append(view.id)
    return view


def update_view(state: SandboxState, view: View, definition: dict[str, Any]) -> View:
    view.definition = definition
    view.hash = secrets.token_hex(8)
    view.errors = {}
    view.external_id = str(definition.get("external_id", view.external_id))
    state.notify("view_updated", {"view": view.as_dict()})
    return view


def close_top(state: SandboxState, user: str) -> None:
    """What an empty answer to a submission does: the modal goes, the one below shows again."""
    stack = state.modal_stacks.get(user, [])
    if stack:
        _close(state, state.views[stack.pop()])


def close_all(state: SandboxState, user: str) -> None:
    for view_id in reversed(state.modal_stacks.pop(user, [])):
        _close(state, state.views[view_id])


def _close(state: SandboxState, view: View) -> None:
    view.status = "closed"
    state.notify("view_closed", {"view": view.as_dict()})


def apply_submission_answer(state: SandboxState, user: str, view: View, answer: Any) -> None:
    """What the app's answer to a view_submission does to the person's modals."""
    action = answer.get("response_action") if isinstance(answer, dict) else None
    try:
        if action == "errors":
            view.errors = {str(k): str(v) for k, v in (answer.get("errors") or {}).items()}
            state.notify("view_updated", {"view": view.as_dict()})
        elif action == "update":
            update_view(state, view, parse_view(answer.get("view"), expected_type="modal"))
        elif action == "push":
            push_modal(state, user, parse_view(answer.get("view"), expected_type="modal"))
        elif action == "clear":
            close_all(state, user)
        else:
            close_top(state, user)
    except SlackError as error:
        # Slack shows the person a generic failure and keeps the modal open.
        view.errors = {"": f"The app answered with an invalid view ({error.code})."}
        state.notify("view_updated", {"view": view.as_dict()})


def publish_home(state: SandboxState, user: str, definition: dict[str, Any]) -> View:
    existing = state.views.get(state.home_views.get(user, ""))
    if existing is not None:
        return update_view(state, existing, definition)
    view = _new_view(state, user, definition, None, None)
    state.home_views[user] = view.id
    return view
