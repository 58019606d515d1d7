"""What the registry's fault tests do and read: a review approved by its three reviewers'
clicks, and what the registry holds under a subject, read through its REST API as a producer
or an operator would."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from slack_presentation.review_actions import ACTION_APPROVE
from tests.fixtures.bot_stack import OWNER, BotStack

REGISTER = "POST /subjects/{subject}/versions"
LOOKUP = "POST /subjects/{subject}"
SCHEMA_TYPE = "application/vnd.schemaregistry.v1+json"
EXAMPLES = Path(__file__).resolve().parents[2] / "slack_sandbox" / "examples"
# The Avro example, and its second version that new readers of the first cannot read.
ORDER_PLACED = (EXAMPLES / "order-placed-avro.json").read_text()
ORDER_PLACED_BREAKING = (EXAMPLES / "order-placed-avro-v2.json").read_text()


def subject_of(schema_id: str) -> str:
    return f"{schema_id}-value"


@dataclass(frozen=True)
class HeldVersion:
    version: int
    id: int
    schema: str


async def held_versions(registry_url: str, subject: str) -> list[HeldVersion]:
    """The subject's live versions; none when the registry does not know it."""
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{registry_url}/subjects/{subject}/versions") as answer:
            if answer.status == 404:
                return []
            assert answer.status == 200, await answer.text()
            numbers = await answer.json(content_type=None)
        found = []
        for number in numbers:
            async with http.get(f"{registry_url}/subjects/{subject}/versions/{number}") as got:
                body = await got.json(content_type=None)
                found.append(HeldVersion(body["version"], body["id"], body["schema"]))
        return found


async def register_directly(registry_url: str, subject: str, schema: str) -> int:
    """Someone registers `schema` without the bot (a Confluent client, a CI job); its id."""
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{registry_url}/subjects/{subject}/versions",
            data=json.dumps({"schema": schema}),
            headers={"Content-Type": SCHEMA_TYPE},
        ) as answer,
    ):
        assert answer.status == 200, await answer.text()
        return int((await answer.json(content_type=None))["id"])


async def delete_version(registry_url: str, subject: str, version: int) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.delete(f"{registry_url}/subjects/{subject}/versions/{version}") as answer,
    ):
        assert answer.status == 200, await answer.text()


async def approve_by_clicks(stack: BotStack, *, within: float = 40.0) -> None:
    """Review1's two reviewers, then the senior, click Approve on their requests."""
    for email in ("alice@example.com", "bob@example.com", "carol@example.com"):
        message = await stack.review_message(email, within=within)
        await stack.click(email, message, ACTION_APPROVE)


def owner_notices(stack: BotStack, containing: str) -> list[str]:
    """The owner's direct messages (their blocks as JSON) that contain `containing`."""
    shown = [json.dumps(m.blocks) for m in stack.standin.messages_in(stack.user_id(OWNER))]
    return [text for text in shown if containing in text]
