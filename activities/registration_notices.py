"""`notify_registration`: the owner and the review channel hear that an approved version is not
in the schema registry (yet), and why; posted once each (`activities.slack_posting`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from temporalio import activity

from activities.heartbeats import heartbeating
from activities.slack_people import ActivityPeople, worker_people
from activities.slack_posting import OncePoster
from slack_api.client import without_blind_retries
from slack_api.people import SlackPeople
from slack_presentation.registration_blocks import (
    registration_notice_blocks,
    registration_notice_text,
)
from workflow import activity_contract as contract
from workflow.activity_payloads import PostedMessage, RegistrationNotice


class RegistrationNoticeActivities:
    """Holds the Slack client; the worker registers `all()`."""

    def __init__(self, slack: AsyncWebClient, *, people: SlackPeople | None = None) -> None:
        self._people = ActivityPeople(slack, people or worker_people())
        self._poster = OncePoster(without_blind_retries(slack), slack)

    def all(self) -> list[Callable[..., Any]]:
        return [self.notify_registration]

    @activity.defn(name=contract.notify_registration.__name__)
    async def notify_registration(self, notice: RegistrationNotice) -> list[PostedMessage]:
        async with heartbeating():
            text = registration_notice_text(notice)
            blocks = registration_notice_blocks(notice)
            owner = notice.owner
            doing = f"telling {owner} that version {notice.version} is not registered"
            channel = await self._people.dm_channel(owner, doing=doing)
            posted = [await self._poster.post(channel, text, blocks, doing=doing)]
            if notice.review_channel:
                posted.append(
                    await self._poster.post(
                        notice.review_channel,
                        text,
                        blocks,
                        doing=f"telling the review channel {notice.review_channel}",
                    )
                )
            return posted
