"""The sandbox's conversations on disk, so that they outlive a restart of the stand-in.

A running review's workflow survives a restart (Temporal keeps it) and later edits its messages
by channel and ts; those messages must still be there, with the same ts, for `chat.update` to
find them and for the people to see them.

Kept: channels and DMs, messages with their revisions and deleted flags, App Home tabs, and
the ts/id counters. Not kept, as Slack forgets them too: modals, trigger ids, response_url
targets and ephemerals; nor the record of API calls, nor the call hooks.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from slack_sandbox.records import Channel, Message, MessageRevision, View
from slack_sandbox.state import SandboxState

# The name the stand-in's file goes by in a data directory: `state_file_in(data_dir)`.
STATE_FILE_NAME = "sandbox-state.json"
# Raised whenever what is written changes shape; an older file is then refused, not misread.
FORMAT_VERSION = 1

R = TypeVar("R")

RESTART_REMEDY = "Delete it or start with --fresh to begin with an empty workspace."


class SandboxStateFileError(RuntimeError):
    """The state file cannot be used; the message names the file, the problem and the fix."""

    def __init__(self, path: Path, problem: str, remedy: str = RESTART_REMEDY) -> None:
        super().__init__(f"The Slack sandbox cannot use its state file {path}: {problem}. {remedy}")
        self.path = path


def state_file_in(data_dir: Path) -> Path:
    return data_dir / STATE_FILE_NAME


def remove_state_file(path: Path) -> bool:
    """Forget the saved conversations (and a write a kill interrupted); True if there were any."""
    temp_path(path).unlink(missing_ok=True)
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed


def temp_path(path: Path) -> Path:
    """Where a save is written before it replaces the file, so a kill never leaves half a file."""
    return path.with_name(path.name + ".tmp")


# -- saving --------------------------------------------------------------------------------------


def encode_state(state: SandboxState) -> dict[str, Any]:
    homes = [state.views[v] for v in state.home_views.values() if v in state.views]
    return {
        "format": FORMAT_VERSION,
        "last_ts_micros": state.last_ts_micros,
        "last_id": state.last_id,
        "channels": [_channel_dict(c) for c in state.channels.values()],
        "messages": [m.as_dict() for m in state.messages],
        "home_views": [v.as_dict() for v in homes],
    }


def write_state_file(state: SandboxState, path: Path) -> None:
    """Save atomically: the file is either the previous save or this one, never a mix."""
    write_state_text(state_text(state), path)


def state_text(state: SandboxState) -> str:
    """The file's contents; taken on the event loop, so that it is one consistent moment."""
    return json.dumps(encode_state(state), separators=(",", ":"))


def write_state_text(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path(path)
    try:
        with temp.open("w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _channel_dict(channel: Channel) -> dict[str, Any]:
    return {
        "id": channel.id,
        "name": channel.name,
        "is_im": channel.is_im,
        "user": channel.user,
        "members": list(channel.members),
    }


# -- loading -------------------------------------------------------------------------------------


def load_state_file(state: SandboxState, path: Path) -> bool:
    """Put the saved conversations into `state`; False when there is no file yet.

    On any problem, `SandboxStateFileError` is raised and `state` is left as it was.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        # Nothing saved yet; whether the place can be written is found out by the first save.
        return False
    except (OSError, UnicodeDecodeError) as error:
        raise SandboxStateFileError(path, f"it cannot be read ({error})") from None
    try:
        document = json.loads(text)
    except ValueError as error:
        raise SandboxStateFileError(
            path,
            f"it is not valid JSON ({error}); a program other than the sandbox may have written it",
        ) from None
    if not isinstance(document, dict) or "format" not in document:
        raise SandboxStateFileError(
            path, "it has no format version, so it is not a sandbox state file"
        )
    if document["format"] != FORMAT_VERSION:
        raise SandboxStateFileError(
            path,
            f"it was saved in format {document['format']!r} and this version of the sandbox "
            f"reads format {FORMAT_VERSION} only",
        )
    decoded = _decode(path, document)
    _restore(state, *decoded)
    return True


Decoded = tuple[int, int, list[Channel], list[Message], list[View]]


def _decode(path: Path, document: dict[str, Any]) -> Decoded:
    counters = []
    for key in ("last_ts_micros", "last_id"):
        value = document.get(key)
        if not isinstance(value, int) or value < 0:
            raise SandboxStateFileError(
                path, f"its {key!r} is {value!r} where a count was expected"
            )
        counters.append(value)
    return (
        counters[0],
        counters[1],
        _records(path, document, "channels", lambda d: Channel(**d)),
        _records(path, document, "messages", _message),
        _records(path, document, "home_views", lambda d: View(**d)),
    )


def _message(fields: dict[str, Any]) -> Message:
    revisions = [MessageRevision(**r) for r in fields.pop("revisions")]
    return Message(**fields, revisions=revisions)


def _records(
    path: Path, document: dict[str, Any], key: str, build: Callable[[dict[str, Any]], R]
) -> list[R]:
    entries = document.get(key)
    if not isinstance(entries, list):
        raise SandboxStateFileError(path, f"it has no list of {key}")
    records = []
    for number, entry in enumerate(entries, start=1):
        try:
            if not isinstance(entry, dict):
                raise TypeError("not an object")
            records.append(build(dict(entry)))
        except (TypeError, KeyError, ValueError) as error:
            raise SandboxStateFileError(
                path, f"entry {number} of its {key} is not what the sandbox saves ({error})"
            ) from None
    return records


def _restore(
    state: SandboxState,
    last_ts_micros: int,
    last_id: int,
    channels: list[Channel],
    messages: list[Message],
    home_views: list[View],
) -> None:
    # Channels the file lacks (new defaults) are kept; saved ones win, so DM ids stay as they were.
    state.channels.update({c.id: c for c in channels})
    state.messages[:] = messages
    for view in home_views:
        state.views[view.id] = view
        state.home_views[view.user] = view.id
    state.last_ts_micros = max(state.last_ts_micros, last_ts_micros)
    state.last_id = max(state.last_id, last_id)
