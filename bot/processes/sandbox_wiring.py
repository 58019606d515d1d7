"""The run command's Slack sandbox: who is in it, the settings that point the bot at it, and the
first steps the banner suggests."""

from __future__ import annotations

from datetime import timedelta

from pydantic import SecretStr
from temporalio.client import Client

from bot.reviews.lookup import TemporalUnavailable, find_review
from bot.runtime.settings import Settings, SettingsError
from slack_sandbox.examples import EXAMPLES
from slack_sandbox.server import SlackStandIn
from slack_sandbox.state import REVIEW_CHANNEL_ID
from slack_sandbox.users import SimulatedUser, default_users
from slack_sandbox.users_file import SandboxUsersError, load_users
from workflow.models import Reviewers


def sandbox_people(settings: Settings) -> list[SimulatedUser]:
    """The sandbox's people: from SANDBOX_USERS_FILE, or the built-in ones."""
    if settings.sandbox_users_file is None:
        return default_users()
    try:
        return load_users(settings.sandbox_users_file)
    except SandboxUsersError as error:
        raise SettingsError([f"SANDBOX_USERS_FILE: {error}"]) from None


def _people(users: list[SimulatedUser]) -> list[SimulatedUser]:
    return [u for u in users if u.email and not u.is_admin]


def sandbox_roster(users: list[SimulatedUser]) -> Reviewers:
    """The default roster of the sandbox: the simulated people after the submitter, in order."""
    return Reviewers(*(u.email for u in _people(users)[1:5]))


def sandbox_settings(settings: Settings, sandbox: SlackStandIn) -> Settings:
    """Settings that point the bot and the worker at the sandbox, and the sandbox's page at
    the schema registry (its "Schema registry" panel).

    The sandbox serves its example documents from this machine, so the fetcher may read private
    addresses here; settings given in the environment for the roster are kept.
    """
    users = list(sandbox.state.users)
    roster = sandbox_roster(users)
    update: dict[str, object] = {
        "slack_bot_token": SecretStr(sandbox.bot_token),
        "slack_signing_secret": SecretStr(sandbox.signing_secret),
        "slack_app_token": None,
        "slack_api_url": sandbox.api_url,
        "slack_review_channel": settings.slack_review_channel or REVIEW_CHANNEL_ID,
        "schema_fetch_allow_private": True,
    }
    if not settings.slack_admins:
        update["slack_admins"] = [u.email for u in users if u.is_admin]
    seats = {
        "default_reviewer_a": roster.reviewer_a,
        "default_reviewer_b": roster.reviewer_b,
        "default_senior_reviewer": roster.senior_reviewer,
        "default_compliance_reviewer": roster.compliance_reviewer,
    }
    for name, email in seats.items():
        if getattr(settings, name) is None:
            update[name] = email
    pointed = settings.model_copy(update=update)
    show_registry(sandbox, settings)
    describe_seats(sandbox, pointed.default_roster() or roster)
    return pointed


def show_registry(sandbox: SlackStandIn, settings: Settings) -> None:
    """The page lists the registry's subjects by reading its REST API without credentials, so
    a registry that asks for them (SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO) gets no panel: the
    sandbox must not hold the bot's secret."""
    if settings.schema_registry_basic_auth_user_info is None:
        sandbox.registry_url = settings.schema_registry_url


BANNER_LOOKUP = timedelta(seconds=30)

SEAT_ROLES = (
    ("reviewer_a", "Review1.a"),
    ("reviewer_b", "Review1.b"),
    ("senior_reviewer", "Review2 senior"),
    ("compliance_reviewer", "Review3 compliance"),
)


def describe_seats(sandbox: SlackStandIn, roster: Reviewers) -> None:
    """The page's user switcher shows the seat each person holds on the default roster, and
    who submits first."""
    roles: dict[str, list[str]] = {}
    users = list(sandbox.state.users)
    if people := _people(users):
        roles.setdefault(people[0].id, []).append("submits")
    for seat, role in SEAT_ROLES:
        user = sandbox.state.users.by_email(getattr(roster, seat))
        if user is not None:
            roles.setdefault(user.id, []).append(role)
    sandbox.roles = {user_id: ", ".join(names) for user_id, names in roles.items()}


def first_steps(
    sandbox: SlackStandIn, settings: Settings, submission: str | None = None
) -> list[str]:
    """`submission`: the example line the review would accept now (see `next_submission`)."""
    users = list(sandbox.state.users)
    by_email = {u.email.lower(): u.real_name for u in users}
    roster = settings.default_roster() or sandbox_roster(users)
    first_round = [by_email.get(e.lower(), e) for e in (roster.reviewer_a, roster.reviewer_b)]
    return [
        f"First thing to try: open the sandbox, stay signed in as {_people(users)[0].real_name},"
        " and send",
        f"  {submission or first_submission(sandbox)}",
        f"then switch to {first_round[0]} and {first_round[1]} and click Approve.",
    ]


def first_submission(sandbox: SlackStandIn) -> str:
    return EXAMPLES[0].command(sandbox.url)


async def next_submission(sandbox: SlackStandIn, temporal: Client) -> str:
    """The example submission its schema's review would accept now: after a restart with
    the kept reviews, version 1 may long be taken. The next version number, with an example
    document other than the one the review holds."""
    first = EXAMPLES[0]
    try:
        # At start the worker is still replaying the kept reviews, and on a busy machine that
        # takes longer than a click's budget: the banner is worth waiting for.
        existing = await find_review(temporal, first.schema_id, within=BANNER_LOOKUP)
    except TemporalUnavailable:
        existing = None
    if existing is None or existing.status is None:
        return first.command(sandbox.url)
    status = existing.status
    same_schema = [e for e in EXAMPLES if e.schema_id == first.schema_id]
    # By path: the sandbox's port may differ from the run that submitted it.
    example = next(
        (e for e in same_schema if not status.content_uri.endswith(e.path)), same_schema[-1]
    )
    return (
        f"/submit-schema {first.schema_id} {status.version + 1} {sandbox.url}{example.path}"
        f" {example.description}"
    )
