"""The people the activities write to and about: email -> Slack user, their DM, their mention.

One instance per activities object (so per worker), remembering answers in bounded, expiring
caches: a review round asks about the same few people many times.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.slack_errors import call_slack, user_not_found
from slack_api.ttl_cache import TtlCache
from slack_presentation.mentions import Mentions, person_key, unique_people

log = logging.getLogger(__name__)


class SlackPeople:
    def __init__(
        self,
        slack: AsyncWebClient,
        *,
        user_ids: TtlCache[str] | None = None,
        dm_channels: TtlCache[str] | None = None,
    ) -> None:
        self._slack = slack
        self._user_ids = user_ids if user_ids is not None else TtlCache()
        self._dm_channels = dm_channels if dm_channels is not None else TtlCache()

    async def user_id(self, email: str, *, doing: str) -> str:
        """The Slack user with this email; a non-retryable error when there is none, since
        the roster, not Slack, must change."""
        key = person_key(email)
        if (cached := self._user_ids.get(key)) is not None:
            return cached
        try:
            response = await call_slack(
                lambda: self._slack.users_lookupByEmail(email=email.strip()), doing=doing
            )
        except SlackApiError as error:
            raise user_not_found(email) from error
        user_id = str(response["user"]["id"])
        self._user_ids.put(key, user_id)
        return user_id

    async def dm_channel(self, email: str, *, doing: str) -> str:
        user_id = await self.user_id(email, doing=doing)
        if (cached := self._dm_channels.get(user_id)) is not None:
            return cached
        response = await call_slack(
            lambda: self._slack.conversations_open(users=user_id), doing=doing
        )
        channel = str(response["channel"]["id"])
        self._dm_channels.put(user_id, channel)
        return channel

    async def mentions(self, emails: Iterable[str]) -> Mentions:
        """The Slack users of these emails, as far as Slack tells. A person it does not know
        (or a lookup that fails) is left out and shown by email: a message is never lost, or
        retried, over how a name looks."""
        people = unique_people(emails)
        answers = await asyncio.gather(
            *(self._mention_of(email) for email in people), return_exceptions=True
        )
        found: dict[str, str] = {}
        for email, answer in zip(people, answers, strict=True):
            if isinstance(answer, str):
                found[person_key(email)] = answer
            elif isinstance(answer, ApplicationError):
                _log_unmentioned(email, answer)
            elif isinstance(answer, BaseException):
                raise answer
        return found

    async def _mention_of(self, email: str) -> str:
        return await self.user_id(email, doing=f"looking up {email} to mention them")


def _log_unmentioned(email: str, error: ApplicationError) -> None:
    logger = activity.logger if activity.in_activity() else log
    logger.info("%s shown by email, not as a mention: %s", email, error)
