"""`file://` schema documents: read only below SCHEMA_FETCH_FILE_ROOT, whatever else allows;
`..` and symbolic links cannot lead out of it, and a refusal says why."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from schemas import error_kinds as kinds
from schemas.fetch import FetchPolicy, SchemaFetchError, fetch_document

DOCUMENT = b'{"type": "object"}'
LOCAL = FetchPolicy(max_bytes=10_000, timeout_seconds=5.0, allow_private=True)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The operator's documents directory, holding one schema; a secret lies next to it."""
    documents = tmp_path / "documents"
    documents.mkdir()
    (documents / "schema.json").write_bytes(DOCUMENT)
    (tmp_path / "credentials.json").write_text('{"aws_secret_access_key": "not-for-you"}')
    return documents


async def refusal(uri: str, policy: FetchPolicy) -> SchemaFetchError:
    with pytest.raises(SchemaFetchError) as caught:
        await fetch_document(uri, policy)
    return caught.value


async def test_a_document_below_the_root_is_read(root: Path) -> None:
    policy = replace(LOCAL, file_root=root)
    assert await fetch_document((root / "schema.json").as_uri(), policy) == DOCUMENT


@pytest.mark.parametrize("allow_private", [True, False])
async def test_without_a_root_no_file_is_read_whatever_private_addresses_allow(
    root: Path, allow_private: bool
) -> None:
    policy = replace(LOCAL, allow_private=allow_private)

    error = await refusal((root / "schema.json").as_uri(), policy)

    assert error.kind == kinds.SCHEMA_ADDRESS_FORBIDDEN
    assert error.permanent
    assert "SCHEMA_FETCH_FILE_ROOT" in error.message
    assert "none is set" in error.message


async def test_a_file_outside_the_root_is_refused_saying_why(root: Path) -> None:
    error = await refusal(
        (root.parent / "credentials.json").as_uri(), replace(LOCAL, file_root=root)
    )

    assert error.kind == kinds.SCHEMA_ADDRESS_FORBIDDEN
    assert "it lies outside the directory SCHEMA_FETCH_FILE_ROOT allows" in error.message
    assert "not-for-you" not in error.message


async def test_dot_dot_cannot_lead_out_of_the_root(root: Path) -> None:
    uri = f"file://{root}/../credentials.json"

    error = await refusal(uri, replace(LOCAL, file_root=root))

    assert error.kind == kinds.SCHEMA_ADDRESS_FORBIDDEN
    assert "through '..'" in error.message


async def test_a_symbolic_link_cannot_lead_out_of_the_root(root: Path) -> None:
    (root / "innocent.json").symlink_to(root.parent / "credentials.json")
    (root / "elsewhere").symlink_to(root.parent, target_is_directory=True)
    policy = replace(LOCAL, file_root=root)

    for link in (root / "innocent.json", root / "elsewhere" / "credentials.json"):
        error = await refusal(link.as_uri(), policy)
        assert error.kind == kinds.SCHEMA_ADDRESS_FORBIDDEN
        assert "a symbolic link on its path leads out of" in error.message


async def test_a_symbolic_link_within_the_root_is_followed(root: Path) -> None:
    (root / "latest.json").symlink_to(root / "schema.json")
    policy = replace(LOCAL, file_root=root)
    assert await fetch_document((root / "latest.json").as_uri(), policy) == DOCUMENT


async def test_a_root_reached_through_a_symbolic_link_still_works(
    root: Path, tmp_path: Path
) -> None:
    (tmp_path / "current").symlink_to(root, target_is_directory=True)
    policy = replace(LOCAL, file_root=tmp_path / "current")
    assert await fetch_document((root / "schema.json").as_uri(), policy) == DOCUMENT


async def test_a_missing_file_is_not_found(root: Path) -> None:
    error = await refusal((root / "missing.json").as_uri(), replace(LOCAL, file_root=root))
    assert error.kind == kinds.SCHEMA_NOT_FOUND
    assert error.permanent


async def test_an_oversized_file_is_too_large(root: Path) -> None:
    (root / "big.json").write_bytes(b" " * (LOCAL.max_bytes + 1))
    error = await refusal((root / "big.json").as_uri(), replace(LOCAL, file_root=root))
    assert error.kind == kinds.SCHEMA_TOO_LARGE


async def test_a_file_url_naming_another_host_is_refused(root: Path) -> None:
    error = await refusal(f"file://fileserver{root}/schema.json", replace(LOCAL, file_root=root))
    assert error.kind == kinds.SCHEMA_URI_INVALID
    assert "must name a local path" in error.message
