"""The registry's subjects on disk, so that an embedded run keeps them between runs.

A save replaces the file atomically (written beside it, then renamed), so a kill leaves either
the previous save or this one. A file that cannot be read is refused with a sentence naming it,
the problem and the fix; nothing is started then.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from registry_sandbox.documents import SCHEMA_TYPES, Reference, SchemaText
from registry_sandbox.store import LEVELS, RegistryState, SubjectVersion

# Raised whenever what is written changes shape; an older file is then refused, not misread.
FORMAT_VERSION = 1


class RegistryStateFileError(RuntimeError):
    """The state file cannot be used; the message names the file, the problem and the fix."""

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(
            f"The local schema registry cannot use its state file {path}: {problem}. Delete"
            " the file to start with an empty registry, or restore a good copy."
        )
        self.path = path


def temp_path(path: Path) -> Path:
    return path.with_name(path.name + ".tmp")


def encode_state(state: RegistryState) -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION,
        "global_level": state.global_level,
        "subject_levels": dict(state.subject_levels),
        "schemas": [
            {"id": schema_id, **text.as_fields(), "schemaType": text.schema_type}
            for schema_id, text in state.schemas.items()
        ],
        "subjects": {
            subject: [
                {"version": v.version, "id": v.schema_id, "deleted": v.deleted} for v in versions
            ]
            for subject, versions in state.subjects.items()
        },
    }


def write_state_file(state: RegistryState, path: Path) -> None:
    text = json.dumps(encode_state(state), ensure_ascii=False)
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


def load_state_file(path: Path) -> RegistryState:
    """The saved state, or an empty one when there is no file yet."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return RegistryState()
    except (OSError, UnicodeDecodeError) as error:
        raise RegistryStateFileError(path, f"it cannot be read ({error})") from None
    except ValueError as error:
        raise RegistryStateFileError(path, f"it is not valid JSON ({error})") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_VERSION:
        found = raw.get("format") if isinstance(raw, dict) else None
        raise RegistryStateFileError(
            path, f"it is format {found!r}, and this registry reads format {FORMAT_VERSION}"
        )
    try:
        return _decode(raw)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise RegistryStateFileError(path, f"its contents are damaged ({error!r})") from None


def _decode(raw: dict[str, Any]) -> RegistryState:
    state = RegistryState()
    state.global_level = _level(raw["global_level"])
    state.subject_levels = {str(s): _level(v) for s, v in raw["subject_levels"].items()}
    for item in raw["schemas"]:
        schema_type = str(item["schemaType"])
        if schema_type not in SCHEMA_TYPES:
            raise ValueError(f"unknown schema type {schema_type!r}")
        references = tuple(
            Reference(str(r["name"]), str(r["subject"]), int(r["version"]))
            for r in item.get("references", [])
        )
        state.schemas[int(item["id"])] = SchemaText(schema_type, str(item["schema"]), references)
    for subject, versions in raw["subjects"].items():
        state.subjects[str(subject)] = [
            SubjectVersion(int(v["version"]), int(v["id"]), bool(v["deleted"])) for v in versions
        ]
        for version in state.subjects[str(subject)]:
            if version.schema_id not in state.schemas:
                raise ValueError(f"version {version.version} of {subject} has no schema")
    return state


def _level(value: Any) -> str:
    if value not in LEVELS:
        raise ValueError(f"unknown compatibility level {value!r}")
    return str(value)
