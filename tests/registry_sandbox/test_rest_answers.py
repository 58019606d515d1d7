"""What the client library does not show: Confluent's exact bodies, codes and content type,
verbose compatibility messages, `defaultToGlobal`, references, and basic authentication."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from confluent_kafka.schema_registry import AsyncSchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError

from registry_sandbox import RegistrySandbox
from tests.registry_sandbox.examples import (
    avro_v1,
    avro_v2_incompatible,
    json_v1,
    json_v2_incompatible,
    protobuf_v1,
)

CONTENT_TYPE = "application/vnd.schemaregistry.v1+json"


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(headers={"Content-Type": CONTENT_TYPE}) as session:
        yield session


async def call(
    http: aiohttp.ClientSession, method: str, url: str, body: Any = None
) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body)
    async with http.request(method, url, data=data) as response:
        assert response.headers["Content-Type"] == CONTENT_TYPE
        return response.status, await response.json(content_type=None)


async def register(http: aiohttp.ClientSession, url: str, subject: str, body: Any) -> int:
    status, answer = await call(http, "POST", f"{url}/subjects/{subject}/versions", body)
    assert status == 200, answer
    assert set(answer) == {"id"}
    return int(answer["id"])


def body_of(schema: Any) -> dict[str, Any]:
    return {"schema": schema.schema_str, "schemaType": schema.schema_type}


async def test_a_version_answers_confluents_fields_without_schema_type_for_avro(
    schema_registry: RegistrySandbox, http: aiohttp.ClientSession
) -> None:
    url = schema_registry.url
    avro_id = await register(http, url, "orders", {"schema": avro_v1().schema_str})
    json_id = await register(http, url, "items", body_of(json_v1()))

    status, avro = await call(http, "GET", f"{url}/subjects/orders/versions/latest")
    assert status == 200
    assert avro == {
        "subject": "orders",
        "version": 1,
        "id": avro_id,
        "schema": json.dumps(json.loads(str(avro_v1().schema_str)), separators=(",", ":")),
    }
    _, items = await call(http, "GET", f"{url}/subjects/items/versions/1")
    assert (items["schemaType"], items["id"]) == ("JSON", json_id)
    _, by_id = await call(http, "GET", f"{url}/schemas/ids/{json_id}")
    assert by_id == {"schema": items["schema"], "schemaType": "JSON"}
    _, uses = await call(http, "GET", f"{url}/schemas/ids/{avro_id}/versions")
    assert uses == [{"subject": "orders", "version": 1}]
    async with http.get(f"{url}/subjects/orders/versions/1/schema") as raw:
        assert json.loads(await raw.text()) == json.loads(str(avro_v1().schema_str))


@pytest.mark.parametrize(
    ("method", "path", "status", "code", "message"),
    [
        ("GET", "/subjects/nobody/versions", 404, 40401, "Subject 'nobody' not found."),
        ("GET", "/subjects/orders/versions/7", 404, 40402, "Version 7 not found."),
        ("GET", "/schemas/ids/99", 404, 40403, "Schema 99 not found"),
        ("GET", "/config/orders", 404, 40408, "Subject 'orders' does not have subject-level"),
        ("GET", "/subjects/orders/versions/zero", 422, 42202, "is not a valid version id"),
        ("GET", "/no/such/route", 404, 404, "HTTP 404 Not Found"),
    ],
)
async def test_not_found_and_invalid_answers_carry_confluents_codes_and_sentences(
    schema_registry: RegistrySandbox,
    http: aiohttp.ClientSession,
    method: str,
    path: str,
    status: int,
    code: int,
    message: str,
) -> None:
    await register(http, schema_registry.url, "orders", {"schema": avro_v1().schema_str})
    got_status, answer = await call(http, method, schema_registry.url + path)
    assert (got_status, answer["error_code"]) == (status, code)
    assert answer["message"].startswith(message) or message in answer["message"]


async def test_an_invalid_schema_is_42201_saying_what_is_wrong_and_changes_nothing(
    schema_registry: RegistrySandbox, http: aiohttp.ClientSession
) -> None:
    url = schema_registry.url
    status, answer = await call(
        http, "POST", f"{url}/subjects/orders/versions", {"schema": '{"type": "record"}'}
    )
    assert (status, answer["error_code"]) == (422, 42201)
    assert answer["message"].startswith("Invalid schema of type AVRO, details: avro says")
    status, answer = await call(
        http, "POST", f"{url}/subjects/orders/versions", {"schema": "{not json"}
    )
    assert (status, answer["error_code"]) == (422, 42201)
    assert "not valid JSON" in answer["message"]
    assert await call(http, "GET", f"{url}/subjects") == (200, [])


async def test_an_incompatible_registration_is_409_with_the_checkers_details(
    schema_registry: RegistrySandbox, http: aiohttp.ClientSession
) -> None:
    url = schema_registry.url
    await register(http, url, "items", body_of(json_v1()))
    status, answer = await call(
        http, "POST", f"{url}/subjects/items/versions", body_of(json_v2_incompatible())
    )
    assert (status, answer["error_code"]) == (409, 409)
    assert answer["message"].startswith(
        'Schema being registered is incompatible with an earlier schema for subject "items",'
        " details: ["
    )
    assert "Property `warehouse` is required by v2" in answer["message"]
    assert answer["message"].endswith("{oldSchemaVersion: 1}, {compatibility: 'BACKWARD'}]")


async def test_verbose_compatibility_explains_and_a_subject_without_versions_is_compatible(
    schema_registry: RegistrySandbox, http: aiohttp.ClientSession
) -> None:
    url = schema_registry.url
    candidate = {"schema": avro_v2_incompatible().schema_str}
    versions = f"{url}/compatibility/subjects/orders/versions"
    assert await call(http, "POST", f"{versions}/latest?verbose=true", candidate) == (
        200,
        {"is_compatible": True, "messages": []},
    )
    await register(http, url, "orders", {"schema": avro_v1().schema_str})

    status, answer = await call(http, "POST", f"{versions}/1?verbose=true", candidate)
    assert status == 200
    assert answer["is_compatible"] is False
    assert any("`currency` was added without a default" in m for m in answer["messages"])
    assert answer["messages"][-2:] == ["{oldSchemaVersion: 1}", "{compatibility: 'BACKWARD'}"]
    assert await call(http, "POST", versions, candidate) == (200, {"is_compatible": False})
    status, answer = await call(http, "POST", f"{versions}/9", candidate)
    assert (status, answer["error_code"]) == (404, 40402)


async def test_an_invalid_schema_under_verbose_is_incompatible_with_the_reason(
    schema_registry: RegistrySandbox, http: aiohttp.ClientSession
) -> None:
    status, answer = await call(
        http,
        "POST",
        f"{schema_registry.url}/compatibility/subjects/orders/versions?verbose=true",
        {"schema": "message {", "schemaType": "PROTOBUF"},
    )
    assert status == 200
    assert answer["is_compatible"] is False
    assert answer["messages"][0].startswith("Invalid schema of type PROTOBUF, details: buf")


async def test_levels_per_subject_default_to_global_only_when_asked(
    schema_registry: RegistrySandbox, http: aiohttp.ClientSession
) -> None:
    url = schema_registry.url
    assert await call(http, "GET", f"{url}/config") == (200, {"compatibilityLevel": "BACKWARD"})
    assert await call(http, "GET", f"{url}/config/orders?defaultToGlobal=true") == (
        200,
        {"compatibilityLevel": "BACKWARD"},
    )
    assert await call(http, "PUT", f"{url}/config/orders", {"compatibility": "FULL"}) == (
        200,
        {"compatibility": "FULL"},
    )
    assert await call(http, "GET", f"{url}/config/orders") == (200, {"compatibilityLevel": "FULL"})

    status, answer = await call(http, "PUT", f"{url}/config", {"compatibility": "SIDEWAYS"})
    assert (status, answer["error_code"]) == (422, 42203)
    assert "Valid values are none, backward, forward, full" in answer["message"]
    assert await call(http, "DELETE", f"{url}/config/orders") == (
        200,
        {"compatibilityLevel": "FULL"},
    )
    status, answer = await call(http, "GET", f"{url}/config/orders")
    assert (status, answer["error_code"]) == (404, 40408)
    assert await call(http, "GET", f"{url}/config") == (200, {"compatibilityLevel": "BACKWARD"})


async def test_a_reference_must_name_a_registered_version(
    schema_registry: RegistrySandbox, http: aiohttp.ClientSession
) -> None:
    url = schema_registry.url
    referring = {
        **body_of(json_v1()),
        "references": [{"name": "address.json", "subject": "addresses", "version": 1}],
    }
    status, answer = await call(http, "POST", f"{url}/subjects/items/versions", referring)
    assert (status, answer["error_code"]) == (422, 42201)
    assert 'No schema reference found for subject "addresses" and version 1' in answer["message"]

    await register(http, url, "addresses", body_of(protobuf_v1()))
    schema_id = await register(http, url, "items", referring)
    _, stored = await call(http, "GET", f"{url}/schemas/ids/{schema_id}")
    assert stored["references"] == referring["references"]


async def test_with_basic_auth_only_a_request_with_the_credentials_is_answered(
    http: aiohttp.ClientSession,
) -> None:
    async with RegistrySandbox(basic_auth="ci:secret") as registry:
        assert await call(http, "GET", f"{registry.url}/subjects") == (
            401,
            {"error_code": 401, "message": "Unauthorized"},
        )
        async with AsyncSchemaRegistryClient(
            {"url": registry.url, "basic.auth.user.info": "ci:guess"}
        ) as wrong:
            with pytest.raises(SchemaRegistryError) as refused:
                await wrong.get_subjects()
            assert (refused.value.http_status_code, refused.value.error_code) == (401, 401)
        async with AsyncSchemaRegistryClient(
            {"url": registry.url, "basic.auth.user.info": "ci:secret"}
        ) as right:
            await right.register_schema("orders", avro_v1())
            assert await right.get_subjects() == ["orders"]


async def test_a_body_of_another_content_type_is_refused(
    schema_registry: RegistrySandbox,
) -> None:
    async with (
        aiohttp.ClientSession() as plain,
        plain.post(
            f"{schema_registry.url}/subjects/orders/versions",
            data="schema",
            headers={"Content-Type": "text/plain"},
        ) as response,
    ):
        assert response.status == 415
        assert (await response.json(content_type=None))["error_code"] == 415
