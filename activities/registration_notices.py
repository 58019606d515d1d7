"""`notify_registration`: the owner and the review channel hear that an approved version is not
in the schema registry (yet), and why; posted once each (`activities.slack_posting`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from temporalio import activity

from activities.heartbeats import heartbeating
from activities.owner_and_channel import OwnerAndChannel
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
        self._notices = OwnerAndChannel(slack, people)

    def all(self) -> list[Callable[..., Any]]:
        return [self.notify_registration]

    @activity.defn(name=contract.notify_registration.__name__)
    async def notify_registration(self, notice: RegistrationNotice) -> list[PostedMessage]:
        async with heartbeating():
            return await self._notices.tell(
                notice.owner,
                notice.review_channel,
                registration_notice_text(notice),
                registration_notice_blocks(notice),
                doing=f"telling {notice.owner} that version {notice.version} is not registered",
            )
