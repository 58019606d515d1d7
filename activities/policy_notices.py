"""`notify_policy_action`: the owner and the review channel hear that a review policy acted (a
deadline fell due, an admin approved by override); posted once each
(`activities.slack_posting`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from temporalio import activity

from activities.heartbeats import heartbeating
from activities.owner_and_channel import OwnerAndChannel
from slack_api.people import SlackPeople
from slack_presentation.policy_blocks import policy_notice_blocks, policy_notice_text
from workflow import activity_contract as contract
from workflow.activity_payloads import PolicyNotice, PostedMessage


class PolicyNoticeActivities:
    """Holds the Slack client; the worker registers `all()`."""

    def __init__(self, slack: AsyncWebClient, *, people: SlackPeople | None = None) -> None:
        self._notices = OwnerAndChannel(slack, people)

    def all(self) -> list[Callable[..., Any]]:
        return [self.notify_policy_action]

    @activity.defn(name=contract.notify_policy_action.__name__)
    async def notify_policy_action(self, notice: PolicyNotice) -> list[PostedMessage]:
        async with heartbeating():
            return await self._notices.tell(
                notice.owner,
                notice.review_channel,
                policy_notice_text(notice),
                policy_notice_blocks(notice),
                doing=f"telling {notice.owner} that the review's {notice.kind} acted",
            )
