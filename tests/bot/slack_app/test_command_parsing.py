"""What people type after the slash commands: accepted as meant, or refused with the reason."""

from __future__ import annotations

import pytest

from bot.reviews.filters import ReviewList
from bot.slack_app.services.command_parsing import (
    STATUS_USAGE,
    SUBMIT_USAGE,
    CommandInputError,
    StatsAsked,
    SubmitArgs,
    parse_status_text,
    parse_submit_text,
)

URL = "https://example.com/schemas/inventory-v2.json"


def submit_problems(text: str) -> list[str]:
    with pytest.raises(CommandInputError) as caught:
        parse_submit_text(text)
    assert caught.value.usage == SUBMIT_USAGE
    return caught.value.problems


def test_submit_text_with_a_free_text_description() -> None:
    assert parse_submit_text(f"inventory-service 2 {URL} Adds  a currency field") == SubmitArgs(
        "inventory-service", 2, URL, "Adds a currency field"
    )


def test_submit_text_without_description() -> None:
    assert parse_submit_text(f"  inventory 1 {URL}  ") == SubmitArgs("inventory", 1, URL, "")


def test_submit_text_takes_links_as_slack_sends_them_and_quoted_ids() -> None:
    args = parse_submit_text(f"`inventory` 3 <{URL}|inventory-v2.json>")

    assert (args.schema_id, args.content_uri) == ("inventory", URL)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (f'"" 1 {URL}', "the schema id is empty"),
        (f"Inventory 1 {URL}", "'Inventory' is not a valid schema id"),
        (f"inventory two {URL}", "'two' is not a version: give a whole number of 1 or more"),
        (f"inventory 1.5 {URL}", "'1.5' is not a version"),
        (f"inventory -1 {URL}", "'-1' is not a version"),
        # Digits to str.isdigit(), but not to int(), or not the ASCII digits a version is.
        (f"inventory ² {URL}", "'²' is not a version"),
        (f"inventory ٣ {URL}", "'٣' is not a version"),
        (f"inventory 0 {URL}", "version 0 is too low: versions start at 1"),
        (
            "inventory 1 ftp://example.com/x.json",
            "'ftp://example.com/x.json' is not an http(s) URL",
        ),
        ("inventory 1 example.com/x.json", "'example.com/x.json' is not an http(s) URL"),
        ("inventory 1 https://", "'https://' is not an http(s) URL"),
        ("inventory 1", "the content URL is missing"),
        ("inventory", "the version is missing"),
    ],
)
def test_bad_submit_text_says_what_is_wrong(text: str, problem: str) -> None:
    problems = submit_problems(text)

    assert any(p.startswith(problem) for p in problems), problems


def test_every_problem_is_reported_at_once_with_the_usage_line() -> None:
    with pytest.raises(CommandInputError) as caught:
        parse_submit_text("Bad! x ftp://nowhere")

    reply = caught.value.reply("Not submitted")
    assert reply.startswith("Not submitted:\n• 'Bad!' is not a valid schema id")
    assert "\n• 'x' is not a version" in reply
    assert "\n• 'ftp://nowhere' is not an http(s) URL" in reply
    assert reply.endswith(SUBMIT_USAGE)


def test_a_description_longer_than_the_limit_is_refused_with_the_limit() -> None:
    words = "word " * 2200

    problems = submit_problems(f"inventory 1 {URL} {words}")

    assert problems == [
        "the description is 10,999 characters long, more than the 500 allowed: say in a"
        " sentence or two what this version changes (details belong in the schema document)"
    ]
    assert parse_submit_text(f"inventory 1 {URL} {'x' * 500}").description == "x" * 500


def test_reply_escapes_what_was_typed() -> None:
    with pytest.raises(CommandInputError) as caught:
        parse_submit_text(f"inventory <!channel> {URL}")

    assert "&lt;!channel&gt;" in caught.value.reply("Not submitted")
    assert "<!channel>" not in caught.value.reply("Not submitted")


def test_status_text() -> None:
    assert parse_status_text("") == ReviewList()
    assert parse_status_text("   ") == ReviewList()
    assert parse_status_text(" inventory-service ") == "inventory-service"
    assert parse_status_text("'inventory'") == "inventory"
    # A schema named like a list is asked about in quotes.
    assert parse_status_text('"mine"') == "mine"


def test_stats_is_a_reserved_word_and_a_schema_named_so_is_asked_in_quotes() -> None:
    assert parse_status_text("stats") == StatsAsked()
    assert parse_status_text(" Stats ") == StatsAsked()
    assert parse_status_text('"stats"') == "stats"
    assert '`/schema-status "stats"`' in STATUS_USAGE

    with pytest.raises(CommandInputError) as caught:
        parse_status_text("stats inventory")

    assert caught.value.problems == [
        "'inventory' was not understood: `stats` takes nothing after it (for the schema named"
        ' "stats", write `/schema-status "stats"`)'
    ]


@pytest.mark.parametrize(
    ("text", "listing"),
    [
        ("page 3", ReviewList("open", 3)),
        ("Mine", ReviewList("mine")),
        ("mine page 2", ReviewList("mine", 2)),
        ("waiting PAGE 12", ReviewList("waiting", 12)),
        ("owner Alice@Example.com", ReviewList("owner", 1, "alice@example.com")),
        (
            "owner <mailto:bob@example.com|bob@example.com> page 2",
            ReviewList("owner", 2, "bob@example.com"),
        ),
        ("owner <@U0ALICE001|alice>", ReviewList("owner", 1, "U0ALICE001")),
    ],
)
def test_status_text_names_a_list_and_its_page(text: str, listing: ReviewList) -> None:
    assert parse_status_text(text) == listing


PAGE_NEEDED = "`page` needs a page number from 1 to 500, but got {}: e.g. `/schema-status page 2`"
EMAIL_EXAMPLE = "e.g. `/schema-status owner alice@example.com`"


@pytest.mark.parametrize(
    ("text", "problems"),
    [
        ("page", [PAGE_NEEDED.format("nothing")]),
        ("page 0", [PAGE_NEEDED.format("'0'")]),
        ("mine page two", [PAGE_NEEDED.format("'two'")]),
        ("owner @alice", [f"'@alice' is not an email: give the owner's email, {EMAIL_EXAMPLE}"]),
        ("owner page 2", [f"`owner` needs the person: give their email, {EMAIL_EXAMPLE}"]),
        (
            "waiting for me",
            [
                "'for me' was not understood: after the list's name only `page N` may follow,"
                " e.g. `/schema-status mine page 2`"
            ],
        ),
    ],
)
def test_a_list_that_cannot_be_read_says_why(text: str, problems: list[str]) -> None:
    with pytest.raises(CommandInputError) as caught:
        parse_status_text(text)

    assert caught.value.problems == problems
    assert caught.value.usage == STATUS_USAGE


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("inventory orders", "/schema-status takes one schema id, but got 2 words"),
        ("Inventory!", "'Inventory!' is not a valid schema id"),
        ('""', "the schema id is empty"),
    ],
)
def test_bad_status_text_says_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(CommandInputError) as caught:
        parse_status_text(text)

    assert caught.value.problems[0].startswith(problem)
    assert caught.value.usage == STATUS_USAGE


def test_a_mode_after_the_url_sets_the_compatibility_mode_in_any_case() -> None:
    args = parse_submit_text(f"inventory 1 {URL} mode=forward Adds a field")

    assert args == SubmitArgs("inventory", 1, URL, "Adds a field", compatibility_mode="FORWARD")
    # Only right after the URL: later it is part of the description.
    assert parse_submit_text(f"inventory 1 {URL} Sets mode=FULL").compatibility_mode is None


def test_an_unknown_mode_is_refused_with_the_modes_there_are() -> None:
    [problem] = submit_problems(f"inventory 1 {URL} mode=sideways")

    assert problem == (
        "'sideways' is not a compatibility mode: after mode= give one of BACKWARD,"
        " BACKWARD_TRANSITIVE, FORWARD, FULL, NONE"
    )
    assert submit_problems(f"inventory 1 {URL} mode=")[0].startswith("'nothing' is not a")
