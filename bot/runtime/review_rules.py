"""Rules per schema, as code: the `REVIEW_POLICY_FILE` (TOML) read and checked at start.

Each `[[rule]]` names the schemas it governs by a glob (`schemas = "payments-*"`) and what
their reviews start with: the roster (`[rule.reviewers]`, the four seats), pools, approvals and
deadlines (`[rule.policy.Review1]`…, the workflow's `policy` input as it is written in JSON),
the compatibility mode and the breaking-change policy. The first rule whose pattern matches a
schema id is its rule; a schema no rule matches gets the settings' defaults.

Read by the processes that start reviews (web, the starter), before they serve: every problem
is one line, and the process stops. Nothing here asks Slack: people are checked as emails.
See `review-policy.example.toml` and docs/workflow.md, "Rules per schema".
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workflow.models import (
    BREAKING_CHANGE_POLICIES,
    COMPATIBILITY_MODES,
    EMAIL_PATTERN,
    REVIEWER_SEATS,
    Reviewers,
)
from workflow.payload_shape import built, object_problems
from workflow.policy_contract import (
    DEADLINE_ACTIONS,
    ESCALATABLE_BY_DEADLINE,
    POLICY_STAGES,
    ReviewPolicy,
)

RULE_KEYS = ("schemas", "reviewers", "policy", "compatibility_mode", "breaking_change_policy")
# What a schema id may hold (`SCHEMA_ID_PATTERN`) and the glob's own wildcards.
_PATTERN_CHARACTERS = re.compile(r"^[a-z0-9._\-*?\[\]!]{1,100}$")


@dataclass(frozen=True)
class ReviewRule:
    """One `[[rule]]` of the file: what reviews of the schemas it matches start with."""

    number: int  # 1 for the file's first rule
    pattern: str
    reviewers: Reviewers | None = None
    policy: ReviewPolicy | None = None
    compatibility_mode: str | None = None
    breaking_change_policy: str | None = None

    def matches(self, schema_id: str) -> bool:
        return fnmatch.fnmatchcase(schema_id, self.pattern)


@dataclass(frozen=True)
class ReviewRules:
    """The rules of the file, in its order (none without a file)."""

    source: str | None = None
    rules: tuple[ReviewRule, ...] = ()

    def rule_for(self, schema_id: str) -> ReviewRule | None:
        """The first rule that matches, or None: the settings' defaults apply."""
        return next((rule for rule in self.rules if rule.matches(schema_id)), None)


class ReviewRulesError(Exception):
    """A policy file that cannot be used; `lines` holds one sentence per problem."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


def read_review_rules(path: Path) -> ReviewRules:
    """The rules of the file at `path`; raise ReviewRulesError with one line per problem."""
    where = f"REVIEW_POLICY_FILE {path}"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ReviewRulesError(
            [f"{where} cannot be read ({reason}): give the path of a TOML file, or unset it"]
        ) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ReviewRulesError([f"{where} is not TOML: {error}"]) from None
    return parse_review_rules(document, where)


def parse_review_rules(document: dict[str, Any], where: str) -> ReviewRules:
    problems = [
        f"{where}: unknown key {key!r} at the top: the file holds only [[rule]] tables"
        for key in document
        if key != "rule"
    ]
    entries = document.get("rule", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        problems.append(f"{where}: `rule` must be an array of tables, written [[rule]]")
        entries = []
    rules: list[ReviewRule] = []
    for number, entry in enumerate(entries, start=1):
        rule, found = _read_rule(number, entry)
        problems += [f"{where}, rule {number}{_named(entry)}: {p}" for p in found]
        if rule is not None:
            rules.append(rule)
    problems += [
        f"{where}, rule {later.number} ({later.pattern}): never applies, since rule"
        f" {earlier.number} ({earlier.pattern}) matches every schema it matches and the first"
        " match wins: move it above, or remove it"
        for later, earlier in _shadowed(rules)
    ]
    if problems:
        raise ReviewRulesError(problems)
    return ReviewRules(where, tuple(rules))


def _named(entry: dict[str, Any]) -> str:
    pattern = entry.get("schemas")
    return f" ({pattern})" if isinstance(pattern, str) else ""


def _read_rule(number: int, entry: dict[str, Any]) -> tuple[ReviewRule | None, list[str]]:
    problems = [
        f"unknown key {key!r}: a rule has {', '.join(RULE_KEYS)}"
        for key in entry
        if key not in RULE_KEYS
    ]
    pattern = entry.get("schemas")
    if problem := _pattern_problem(pattern):
        problems.append(problem)
    reviewers = _reviewers(entry.get("reviewers"), problems)
    policy = _policy(entry.get("policy"), problems)
    mode = entry.get("compatibility_mode")
    if mode is not None and mode not in COMPATIBILITY_MODES:
        problems.append(
            f"compatibility_mode must be one of {', '.join(COMPATIBILITY_MODES)}, not {mode!r}"
        )
    breaking = entry.get("breaking_change_policy")
    if breaking is not None and breaking not in BREAKING_CHANGE_POLICIES:
        problems.append(
            "breaking_change_policy must be one of"
            f" {', '.join(BREAKING_CHANGE_POLICIES)}, not {breaking!r}"
        )
    if problems:
        return None, problems
    return ReviewRule(number, str(pattern), reviewers, policy, mode, breaking), []


def _pattern_problem(pattern: object) -> str | None:
    if pattern is None:
        return 'schemas is missing: give the schema ids it governs as a glob, e.g. "payments-*"'
    if not isinstance(pattern, str) or not _PATTERN_CHARACTERS.match(pattern):
        return (
            f"schemas must be a glob of schema ids (lowercase letters, digits, '.', '_', '-' and"
            f' the wildcards * ? [ ]), such as "payments-*", not {pattern!r}'
        )
    if pattern.count("[") != pattern.count("]"):
        return f"schemas {pattern!r} opens a [ … ] class it does not close (or the other way)"
    return None


def _reviewers(value: object, problems: list[str]) -> Reviewers | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.append("reviewers must be a table of the four seats: [rule.reviewers]")
        return None
    found = [f"reviewers has an unknown seat {k!r}" for k in value if k not in REVIEWER_SEATS]
    found += [f"reviewers lacks {seat}" for seat in REVIEWER_SEATS if seat not in value]
    found += [
        f"reviewers.{seat} must be an email address, not {email!r}"
        for seat, email in value.items()
        if seat in REVIEWER_SEATS and not (isinstance(email, str) and EMAIL_PATTERN.match(email))
    ]
    problems += found
    if found:
        return None
    roster = Reviewers(**{seat: str(value[seat]) for seat in REVIEWER_SEATS})
    # The submitter is not known yet: only the roster's own rules.
    problems += roster.problems("")
    return roster


def _policy(value: object, problems: list[str]) -> ReviewPolicy | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.append("policy must be a table of rounds: [rule.policy.Review1]")
        return None
    # The same strict reading the workflow gives its input: unknown keys by name.
    found = object_problems(ReviewPolicy, value, "policy", "policy.")
    if not found:
        found = _policy_meaning(value)
    problems += found
    return None if found else built(ReviewPolicy, value)


def _policy_meaning(value: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for stage in POLICY_STAGES:
        entry = value.get(stage)
        if not entry:
            continue
        name = f"policy.{stage}"
        pool = entry.get("reviewers", [])
        found += [
            f"{name}.reviewers[{i}] must be an email address, not {email!r}"
            for i, email in enumerate(pool)
            if not EMAIL_PATTERN.match(email)
        ]
        approvals = entry.get("approvals", 1)
        if approvals < 1:
            found.append(f"{name}.approvals must be 1 or more, not {approvals}")
        elif pool and approvals > len(pool):
            found.append(
                f"{name}.approvals is {approvals}, above the {len(pool)} people of its pool:"
                f" add people to reviewers, or ask for at most {len(pool)}"
            )
        deadline = entry.get("deadline")
        if deadline is not None:
            found += _deadline_problems(name, stage, deadline)
    return found


def _deadline_problems(name: str, stage: str, deadline: dict[str, Any]) -> list[str]:
    found: list[str] = []
    if deadline["after_seconds"] <= 0:
        found.append(f"{name}.deadline.after_seconds must be above 0")
    then = deadline["then"]
    reassign_to = deadline.get("reassign_to")
    if then not in DEADLINE_ACTIONS:
        found.append(
            f"{name}.deadline.then must be one of {', '.join(DEADLINE_ACTIONS)}, not {then!r}"
        )
    elif then == "escalate" and stage not in ESCALATABLE_BY_DEADLINE:
        found.append(f"{name}.deadline.then cannot be escalate: no round follows {stage}")
    elif then == "reassign" and not (reassign_to and EMAIL_PATTERN.match(reassign_to)):
        found.append(f"{name}.deadline.reassign_to must be an email address, not {reassign_to!r}")
    return found


def _shadowed(rules: list[ReviewRule]) -> list[tuple[ReviewRule, ReviewRule]]:
    """Each rule that an earlier one hides, with the first rule hiding it."""
    found = []
    for index, later in enumerate(rules):
        earlier = next((r for r in rules[:index] if _covers(r.pattern, later.pattern)), None)
        if earlier is not None:
            found.append((later, earlier))
    return found


def _covers(earlier: str, later: str) -> bool:
    """Whether every schema id `later` matches is matched by `earlier` too. Exact when
    `earlier`'s only wildcard is `*`: then each of `later`'s wildcards falls within a `*` (a
    schema id's characters hold none of them), so `later` read as text matching `earlier`
    means all it matches does. With other wildcards only the same pattern is judged."""
    if earlier == later:
        return True
    if any(c in earlier for c in "?[]!"):
        return False
    return fnmatch.fnmatchcase(later, earlier)
