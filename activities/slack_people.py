"""The people the activities write to and about, looked up through `slack_api.people` (one
cache per worker: a review round asks about the same few people many times), with Slack's
failures as the activities' errors (`activities.slack_errors`)."""

from __future__ import annotations

from collections.abc import Iterable

from slack_sdk.web.async_client import AsyncWebClient

from activities.slack_errors import from_lookup_failure, user_not_found
from slack_api.people import PersonNotFound, SlackLookupFailed, SlackPeople
from slack_presentation.mentions import Mentions


def worker_people() -> SlackPeople:
    """A worker's lookups. Mentions are not cut short: nobody waits on an activity, whose own
    timeouts bound it, and a message keeps its mentions through a slow Slack."""
    return SlackPeople(mention_seconds=None, mention_limit=None)


class ActivityPeople:
    """`people`, asked through `slack`."""

    def __init__(self, slack: AsyncWebClient, people: SlackPeople) -> None:
        self._slack = slack
        self._people = people

    async def dm_channel(self, email: str, *, doing: str) -> str:
        """The person's DM channel; a non-retryable error when Slack has nobody with this
        email, since the roster, not Slack, must change."""
        try:
            return await self._people.dm_channel_of(self._slack, email)
        except PersonNotFound as missing:
            raise user_not_found(email) from missing.__cause__
        except SlackLookupFailed as failed:
            raise from_lookup_failure(failed, doing=doing) from failed.error

    async def mentions(self, emails: Iterable[str]) -> Mentions:
        return await self._people.mentions(self._slack, emails)
