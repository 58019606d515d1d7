"""A notice to a review's owner (their direct message) and, when one is set, the review
channel: each posted once across retries and worker crashes (`activities.slack_posting`).
Shared by the notices that need no answer (`notify_registration`, `notify_policy_action`)."""

from __future__ import annotations

from slack_sdk.models.blocks import Block
from slack_sdk.web.async_client import AsyncWebClient

from activities.slack_people import ActivityPeople, worker_people
from activities.slack_posting import OncePoster
from slack_api.client import without_blind_retries
from slack_api.people import SlackPeople
from workflow.activity_payloads import PostedMessage


class OwnerAndChannel:
    def __init__(self, slack: AsyncWebClient, people: SlackPeople | None = None) -> None:
        self._people = ActivityPeople(slack, people or worker_people())
        self._poster = OncePoster(without_blind_retries(slack), slack)

    async def tell(
        self,
        owner: str,
        review_channel: str | None,
        text: str,
        blocks: list[Block],
        *,
        doing: str,
    ) -> list[PostedMessage]:
        """`doing` completes "while …" for the owner's copy."""
        channel = await self._people.dm_channel(owner, doing=doing)
        posted = [await self._poster.post(channel, text, blocks, doing=doing)]
        if review_channel:
            doing = f"telling the review channel {review_channel}"
            posted.append(await self._poster.post(review_channel, text, blocks, doing=doing))
        return posted
