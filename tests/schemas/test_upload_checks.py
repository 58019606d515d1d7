"""`upload_schema`'s checks against what the store remembers: copies of reviewed versions,
the schema's compatibility mode, and the verdict it returns."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from activities.upload import SchemaUploadActivities
from schemas.fetch import FetchPolicy
from schemas.store import SchemaStore
from schemas.version_checks import CompatibilityPolicy
from tests.fixtures.compatibility_corpus import ID, NOTE, QTY, avro
from tests.fixtures.schema_server import SchemaServer
from workflow.models import Compatibility, Submission, UploadRequest, UploadResult

V1 = avro(ID, QTY)
V2_BREAKING = avro(ID, QTY, NOTE)


@pytest.fixture
def store(tmp_path: Path) -> SchemaStore:
    return SchemaStore(tmp_path / "schemas")


def approved(store: SchemaStore, version: int, text: str) -> None:
    digest = f"sha256:{hashlib.sha256(text.encode()).hexdigest()}"
    store.save("orders", version, text.encode(), "Avro", digest)
    store.mark_approved("orders", version, digest)


async def upload(
    store: SchemaStore,
    server: SchemaServer,
    version: int,
    text: str,
    *,
    mode: str | None = None,
    policy: CompatibilityPolicy | None = None,
) -> UploadResult:
    server.documents[f"v{version}.avsc"] = text.encode()
    submission = Submission(
        "orders", version, "", server.url(f"/schemas/v{version}.avsc"), "o@x.test", mode
    )
    activities = SchemaUploadActivities(store, FetchPolicy(allow_private=True), policy)
    return await ActivityEnvironment().run(activities.upload_schema, UploadRequest(submission))


async def test_the_first_version_has_nothing_to_compare_with(
    store: SchemaStore, server: SchemaServer
) -> None:
    result = await upload(store, server, 1, V1)
    assert result.compatibility is None
    assert result.format == "Avro"


async def test_the_verdict_is_against_the_last_approved_version(
    store: SchemaStore, server: SchemaServer
) -> None:
    approved(store, 1, V1)
    result = await upload(store, server, 2, V2_BREAKING)
    assert result.compatibility == Compatibility(
        mode="BACKWARD",
        against_version=1,
        compatible=False,
        problems=[
            "Field `note` was added without a default; data written with v1 does not have it,"
            " so readers using v2 cannot read that data."
        ],
    )
    assert result.requires_compliance()


async def test_the_first_submission_sets_the_mode_and_later_ones_keep_it(
    store: SchemaStore, server: SchemaServer
) -> None:
    await upload(store, server, 1, V1, mode="FORWARD")
    store.mark_approved("orders", 1, store.get("orders", 1).digest)  # type: ignore[union-attr]
    result = await upload(store, server, 2, V2_BREAKING)
    # Under FORWARD, readers of v1 skip the new field: nothing breaks.
    assert result.compatibility is not None
    assert (result.compatibility.mode, result.compatibility.compatible) == ("FORWARD", True)
    assert store.compatibility_mode("orders") == "FORWARD"


async def test_the_default_mode_comes_from_the_workers_setting(
    store: SchemaStore, server: SchemaServer
) -> None:
    approved(store, 1, V1)
    result = await upload(store, server, 2, V2_BREAKING, policy=CompatibilityPolicy("NONE"))
    assert result.compatibility == Compatibility("NONE", 1, True, [])


@pytest.mark.parametrize(
    ("earlier_approved", "said"),
    [
        (True, "identical to the approved version 1"),
        (False, "identical to version 1, which was already submitted for review"),
    ],
)
async def test_a_copy_of_a_reviewed_version_is_refused(
    store: SchemaStore, server: SchemaServer, earlier_approved: bool, said: str
) -> None:
    if earlier_approved:
        approved(store, 1, V1)
    else:
        await upload(store, server, 1, V1)
    with pytest.raises(ApplicationError) as caught:
        await upload(store, server, 2, V1)
    assert caught.value.type == "SchemaUnchanged" and caught.value.non_retryable
    assert said in caught.value.message
    assert store.versions("orders") == [1]


async def test_under_refuse_a_breaking_version_is_not_stored(
    store: SchemaStore, server: SchemaServer
) -> None:
    approved(store, 1, V1)
    with pytest.raises(ApplicationError) as caught:
        await upload(
            store, server, 2, V2_BREAKING, policy=CompatibilityPolicy(breaking_change="refuse")
        )
    assert caught.value.type == "SchemaIncompatible" and caught.value.non_retryable
    assert caught.value.message.startswith(
        "Version 2 of orders breaks consumers of the approved version 1 (BACKWARD)"
    )
    assert store.versions("orders") == [1]
