"""Reading a `file://` schema document, only from the directory the operator named.

A submitter chooses the URL, and the worker can read whatever its account can: the
credentials in its home, the platform's secrets, `/proc/self/environ`. So a `file://` document
is read only below `SCHEMA_FETCH_FILE_ROOT`, and only when that is set; allowing private
network addresses (local development) does not open the file system. The path is judged after
resolving `..` and every symbolic link, and the resolved file is what gets opened, so neither
can lead out of the root.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from yarl import URL

from schemas import error_kinds as kinds
from schemas.fetch_failures import SchemaFetchError

ROOT_SETTING = "SCHEMA_FETCH_FILE_ROOT"


async def read_local_file(url: URL, file_root: Path | None, max_bytes: int, shown: str) -> bytes:
    """The file `url` names, at most `max_bytes` long, if it lies below `file_root`."""
    if file_root is None:
        raise _outside(
            shown,
            f"file:// URLs are read only below the directory {ROOT_SETTING} names, and none"
            " is set here",
        )
    if url.host not in (None, "", "localhost"):
        raise SchemaFetchError(
            kinds.SCHEMA_URI_INVALID,
            f"The schema location {shown} cannot be used: a file:// URL must name a local path"
            " (file:///path/to/schema.json). Give the document's path and submit a new version.",
            permanent=True,
        )
    return await asyncio.to_thread(_read_below, Path(url.path), file_root, max_bytes, shown)


def _read_below(path: Path, file_root: Path, max_bytes: int, shown: str) -> bytes:
    root = Path(os.path.realpath(file_root))
    resolved = Path(os.path.realpath(path))
    if not resolved.is_relative_to(root):
        raise _outside(shown, _how_it_leaves(path, root))
    try:
        with resolved.open("rb") as handle:
            content = handle.read(max_bytes + 1)
    except OSError as error:
        raise SchemaFetchError(
            kinds.SCHEMA_NOT_FOUND,
            f"The schema document at {shown} could not be read: {error.strerror or error}."
            " Check the path and submit a new version.",
            permanent=True,
        ) from None
    if len(content) > max_bytes:
        raise SchemaFetchError(
            kinds.SCHEMA_TOO_LARGE,
            f"The schema document at {shown} is too large: the limit is {max_bytes:,} bytes and"
            " it is more than that. Reduce its size and submit a new version.",
            permanent=True,
        )
    return content


def _how_it_leaves(path: Path, root: Path) -> str:
    where = f"the directory {ROOT_SETTING} allows"
    if ".." in path.parts:
        return f"its path leaves {where} through '..'"
    if Path(os.path.normpath(path)).is_relative_to(root):
        return f"a symbolic link on its path leads out of {where}"
    return f"it lies outside {where}"


def _outside(shown: str, why: str) -> SchemaFetchError:
    return SchemaFetchError(
        kinds.SCHEMA_ADDRESS_FORBIDDEN,
        f"The schema document at {shown} was not read: {why}. Publish the document at an"
        " https URL, or put it in that directory, and submit a new version.",
        permanent=True,
    )
