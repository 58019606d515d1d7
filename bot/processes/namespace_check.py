"""At start, the worker and the web process check that the namespace has the review's search
attributes. Without them every review fails its first workflow task (upserting an unknown
attribute) and retries silently forever, while the worker looks healthy.

Missing attributes are registered where the server allows it (a dev server, a self-hosted
cluster with operator rights); otherwise the process stops with one sentence and the exact
command that registers them.
"""

from __future__ import annotations

import logging
from typing import Any

from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import (
    AddSearchAttributesRequest,
    ListSearchAttributesRequest,
)
from temporalio.client import Client
from temporalio.common import SearchAttributeKey
from temporalio.service import RPCError, RPCStatusCode

from workflow.models import SEARCH_ATTRIBUTES

log = logging.getLogger(__name__)

# How the `temporal` CLI names the types.
CLI_TYPES = {
    "KEYWORD": "Keyword",
    "KEYWORD_LIST": "KeywordList",
    "TEXT": "Text",
    "INT": "Int",
    "FLOAT": "Double",
    "BOOL": "Bool",
    "DATETIME": "Datetime",
}
# Servers that cannot answer the question (Temporal Cloud answers some of it only through its
# own API): the check is skipped with a warning instead of stopping a working deployment.
UNANSWERABLE = (RPCStatusCode.PERMISSION_DENIED, RPCStatusCode.UNIMPLEMENTED)


def type_name(value: int) -> str:
    return IndexedValueType.Name(value).removeprefix("INDEXED_VALUE_TYPE_")  # type: ignore[arg-type]


class NamespaceNotReady(RuntimeError):
    """The namespace lacks search attributes this process could not register."""


def cli_type(key: SearchAttributeKey[Any]) -> str:
    return CLI_TYPES[key.indexed_value_type.name]


def create_command(namespace: str, address: str, keys: list[SearchAttributeKey[Any]]) -> str:
    names = " ".join(f"--name {key.name} --type {cli_type(key)}" for key in keys)
    return (
        f"temporal operator search-attribute create --address {address}"
        f" --namespace {namespace} {names}"
    )


async def ensure_search_attributes(client: Client, address: str) -> list[str]:
    """The names this call registered; raise NamespaceNotReady when some are missing and the
    server refused to add them, or one exists with another type."""
    namespace = client.namespace
    try:
        listed = await client.operator_service.list_search_attributes(
            ListSearchAttributesRequest(namespace=namespace)
        )
    except RPCError as error:
        if error.status in UNANSWERABLE:
            log.warning(
                "Could not check the search attributes of namespace %s (%s); make sure %s exist",
                namespace,
                error.status.name,
                ", ".join(key.name for key in SEARCH_ATTRIBUTES),
            )
            return []
        if error.status == RPCStatusCode.NOT_FOUND:
            raise NamespaceNotReady(
                f"Temporal at {address} has no namespace {namespace}: create it with"
                f" `temporal operator namespace create --address {address} {namespace}`, or set"
                " TEMPORAL_NAMESPACE to one that exists."
            ) from None
        raise
    known = {**listed.system_attributes, **listed.custom_attributes}
    clashing = [
        f"{key.name} is {type_name(known[key.name])} instead of {key.indexed_value_type.name}"
        for key in SEARCH_ATTRIBUTES
        if key.name in known and known[key.name] != key.indexed_value_type.value
    ]
    if clashing:
        raise NamespaceNotReady(
            f"The search attributes of Temporal namespace {namespace} have the wrong type"
            f" ({'; '.join(clashing)}): reviews cannot run there. Use another namespace, or"
            " remove and recreate them with the right types."
        )
    missing = [key for key in SEARCH_ATTRIBUTES if key.name not in known]
    if not missing:
        return []
    try:
        await client.operator_service.add_search_attributes(
            AddSearchAttributesRequest(
                namespace=namespace,
                search_attributes={
                    key.name: IndexedValueType.ValueType(key.indexed_value_type.value)
                    for key in missing
                },
            )
        )
    except RPCError as error:
        if error.status != RPCStatusCode.ALREADY_EXISTS:
            names = ", ".join(key.name for key in missing)
            raise NamespaceNotReady(
                f"Temporal namespace {namespace} lacks the search attributes {names}, and the"
                f" server refused to add them ({error.message}); register them with: "
                + create_command(namespace, address, missing)
            ) from None
    added = [key.name for key in missing]
    log.info("Registered the search attributes %s in namespace %s", ", ".join(added), namespace)
    return added
