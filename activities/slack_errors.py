"""Slack Web API failures, as Temporal activity errors that say what to do.

By the time an error reaches here slack_sdk's retry handlers have already retried rate limits,
5xx answers and dropped connections. What is left is either still transient (Temporal retries
the activity with backoff) or a mistake no retry can fix (non-retryable, with the fix).

Not every failed answer is Slack's JSON: a proxy or load balancer in front of Slack answers
with a text or HTML page, or nothing at all, and slack_sdk then hands over a string, an empty
body or aiohttp's own response. Whatever the shape, the activity's error is a sentence with
the HTTP status ("Slack is unavailable (HTTP 503)"), never the shape's AttributeError.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_slack_response import AsyncSlackResponse
from temporalio.exceptions import ApplicationError

from slack_api.client import CONNECTION_FAILURES, slack_error_code
from slack_api.people import SlackLookupFailed

TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)

# Slack error code -> (error type, what is wrong and what to do).
PERMANENT_ERRORS: dict[str, tuple[str, str]] = {
    "invalid_auth": (
        "SlackAuthError",
        "Slack rejected the bot token (invalid_auth): check SLACK_BOT_TOKEN.",
    ),
    "not_authed": (
        "SlackAuthError",
        "No Slack bot token was sent (not_authed): set SLACK_BOT_TOKEN.",
    ),
    "account_inactive": (
        "SlackAuthError",
        "The Slack bot token belongs to a deactivated app or user (account_inactive):"
        " reinstall the app and update SLACK_BOT_TOKEN.",
    ),
    "token_revoked": (
        "SlackAuthError",
        "The Slack bot token was revoked (token_revoked): reinstall the app and update"
        " SLACK_BOT_TOKEN.",
    ),
    "missing_scope": (
        "SlackAuthError",
        "The Slack app lacks a permission this needs (missing_scope): add the scopes from the"
        " app manifest and reinstall the app.",
    ),
    "channel_not_found": (
        "SlackChannelNotFound",
        "Slack has no channel {channel} that the bot can see (channel_not_found): check the"
        " review channel setting (a channel id such as C0123ABCD) and invite the bot to it.",
    ),
    "not_in_channel": (
        "SlackChannelNotFound",
        "The bot is not a member of channel {channel} (not_in_channel): invite it to the channel.",
    ),
    "is_archived": (
        "SlackChannelNotFound",
        "Channel {channel} is archived (is_archived): unarchive it or configure another review"
        " channel.",
    ),
}


def user_not_found(email: str) -> ApplicationError:
    return ApplicationError(
        f"No Slack user has the email {email}; check the reviewer roster.",
        type="SlackUserNotFound",
        non_retryable=True,
    )


def slack_http_status(error: SlackApiError) -> int:
    """The HTTP status of the failed answer; 0 when there is none to read."""
    response = error.response
    # slack_sdk's response has `status_code`; a JSON-typed body that did not parse leaves
    # aiohttp's response, which has `status`.
    for attribute in ("status_code", "status"):
        status = getattr(response, attribute, None)
        if isinstance(status, int):
            return status
    return 0


def from_slack_api_error(
    error: SlackApiError, *, doing: str, channel: str = ""
) -> ApplicationError:
    """`doing` completes "while ...", e.g. "posting the review request to alice@example.com"."""
    code = slack_error_code(error)
    status = slack_http_status(error)
    # When Slack gave no error code (a proxy's text, HTML or empty page), the sentence names
    # the HTTP status.
    shown = f"HTTP {status}" if not code or code.startswith("http_") else code
    if status == 429 or status >= 500 or code in TRANSIENT_ERRORS:
        return ApplicationError(
            f"Slack is unavailable ({shown}) while {doing}; will try again.",
            type="SlackUnavailable",
        )
    if code in PERMANENT_ERRORS:
        error_type, sentence = PERMANENT_ERRORS[code]
        return ApplicationError(
            sentence.format(channel=channel or "(unknown)"), type=error_type, non_retryable=True
        )
    return ApplicationError(
        f"Slack refused the request ({shown}) while {doing}.",
        type="SlackApiError",
        non_retryable=True,
    )


def from_connection_error(error: Exception, *, doing: str) -> ApplicationError:
    return ApplicationError(
        f"Could not reach the Slack Web API ({type(error).__name__}) while {doing}; will try"
        " again.",
        type="SlackUnreachable",
    )


def from_lookup_failure(failed: SlackLookupFailed, *, doing: str) -> ApplicationError:
    """A people lookup (`slack_api.people`) that Slack failed, said as any other call's."""
    if isinstance(failed.error, SlackApiError):
        return from_slack_api_error(failed.error, doing=doing)
    return from_connection_error(failed.error, doing=doing)


async def call_slack(
    call: Callable[[], Awaitable[AsyncSlackResponse]], *, doing: str, channel: str = ""
) -> AsyncSlackResponse:
    """One Web API call, its failures as activity errors."""
    try:
        return await call()
    except SlackApiError as error:
        raise from_slack_api_error(error, doing=doing, channel=channel) from error
    except CONNECTION_FAILURES as error:
        raise from_connection_error(error, doing=doing) from error
