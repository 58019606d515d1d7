"""The corpus' labels are the reference tools' own verdicts, asked directly: the Apache `avro`
checker, `jsoncompat`, and the `buf` binary (WIRE rules; FORWARD without the deletion rules)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import avro.schema
import jsoncompat
import pytest
from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType

from tests.fixtures.compatibility_corpus import CASES, Case

BUF = str(Path(sys.executable).parent / "buf")
FORWARD_EXCEPT = (
    "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
    "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
    "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
    "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
)


def directions(case: Case) -> list[tuple[str, str, bool]]:
    """(old, new, backward) for each check the mode asks for."""
    *approved, new = case.documents
    against = approved if case.mode == "BACKWARD_TRANSITIVE" else approved[-1:]
    checks: list[tuple[str, str, bool]] = []
    for old in against:
        if case.mode in ("BACKWARD", "BACKWARD_TRANSITIVE", "FULL"):
            checks.append((old, new, True))
        if case.mode in ("FORWARD", "FULL"):
            checks.append((old, new, False))
    return checks


def avro_compatible(old: str, new: str, backward: bool) -> bool:
    reader, writer = (new, old) if backward else (old, new)
    result = ReaderWriterCompatibilityChecker().get_compatibility(
        avro.schema.parse(reader), avro.schema.parse(writer)
    )
    return result.compatibility is SchemaCompatibilityType.compatible


def json_compatible(old: str, new: str, backward: bool) -> bool:
    return bool(jsoncompat.check_compat(old, new, "deserializer" if backward else "serializer"))


def buf_compatible(old: str, new: str, backward: bool, tmp_path: Path) -> bool:
    config = "version: v2\nbreaking:\n  use:\n    - WIRE\n"
    if not backward:
        config += "  except:\n" + "".join(f"    - {rule}\n" for rule in FORWARD_EXCEPT)
    current, against = (new, old) if backward else (old, new)
    for name, text in (("current", current), ("against", against)):
        module = tmp_path / name
        module.mkdir(exist_ok=True)
        (module / "schema.proto").write_text(text)
        (module / "buf.yaml").write_text(config)
    run = subprocess.run(
        [BUF, "breaking", str(tmp_path / "current"), "--against", str(tmp_path / "against")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode in (0, 100), run.stderr
    return run.returncode == 0


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_the_label_is_the_reference_tools_verdict(case: Case, tmp_path: Path) -> None:
    verdicts = []
    for old, new, backward in directions(case):
        if case.mode == "NONE":
            continue
        if case.extension == ".avsc":
            verdicts.append(avro_compatible(old, new, backward))
        elif case.extension == ".json":
            verdicts.append(json_compatible(old, new, backward))
        else:
            verdicts.append(buf_compatible(old, new, backward, tmp_path))

    assert all(verdicts) == case.compatible


def test_the_corpus_covers_every_format_and_mode() -> None:
    assert len(CASES) >= 30
    assert {case.extension for case in CASES} == {".avsc", ".json", ".proto"}
    assert {case.mode for case in CASES} == {
        "BACKWARD",
        "BACKWARD_TRANSITIVE",
        "FORWARD",
        "FULL",
        "NONE",
    }
