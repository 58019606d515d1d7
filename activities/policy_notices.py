"""`notify_policy_action`: the owner and the review channel hear that a review policy acted (a
deadline fell due, an admin approved by override); posted once each
(`activities.slack_posting`)."""

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
from slack_presentation.policy_blocks import policy_notice_blocks, policy_notice_text
from workflow import activity_contract as contract
from workflow.activity_payloads import PolicyNotice, PostedMessage


class PolicyNoticeActivities:
    """Holds the Slack client; the worker registers `all()`."""

    def __init__(self, slack: AsyncWebClient, *, people: SlackPeople | None = None) -> None:
        self._people = ActivityPeople(slack, people or worker_people())
        self._poster = OncePoster(without_blind_retries(slack), slack)

    def all(self) -> list[Callable[..., Any]]:
        return [self.notify_policy_action]

    @activity.defn(name=contract.notify_policy_action.__name__)
    async def notify_policy_action(self, notice: PolicyNotice) -> list[PostedMessage]:
        async with heartbeating():
            text = policy_notice_text(notice)
            blocks = policy_notice_blocks(notice)
            doing = f"telling {notice.owner} that the review's {notice.kind} acted"
            channel = await self._people.dm_channel(notice.owner, doing=doing)
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
