"""The registry's state in memory: schemas by global id, subjects' versions, compatibility.

Ids are global, as in Confluent: the same schema (type, text and references) has one id under
every subject. A version is soft-deleted by marking it; it then leaves every listing, but its
number is never given again and its schema keeps its id.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from registry_sandbox import errors
from registry_sandbox.documents import SchemaText

DEFAULT_LEVEL = "BACKWARD"
LEVELS = (
    "BACKWARD",
    "BACKWARD_TRANSITIVE",
    "FORWARD",
    "FORWARD_TRANSITIVE",
    "FULL",
    "FULL_TRANSITIVE",
    "NONE",
)
LATEST = -1
_MAX_VERSION = 2**31 - 1


@dataclass
class SubjectVersion:
    version: int
    schema_id: int
    deleted: bool = False


@dataclass
class RegistryState:
    schemas: dict[int, SchemaText] = field(default_factory=dict)
    # Every version a subject ever had, oldest first; soft-deleted ones are marked.
    subjects: dict[str, list[SubjectVersion]] = field(default_factory=dict)
    global_level: str = DEFAULT_LEVEL
    subject_levels: dict[str, str] = field(default_factory=dict)

    # -- reading ---------------------------------------------------------------------------

    def subject_names(self, *, deleted: bool = False) -> list[str]:
        return sorted(s for s, versions in self.subjects.items() if _listed(versions, deleted))

    def versions(self, subject: str, *, deleted: bool = False) -> list[SubjectVersion]:
        """The subject's versions (live ones unless `deleted`); 40401 when it has none."""
        found = [v for v in self.subjects.get(subject, []) if deleted or not v.deleted]
        if not found:
            raise errors.subject_not_found(subject)
        return found

    def live_versions(self, subject: str) -> list[SubjectVersion]:
        """The subject's live versions, oldest first; none for an unknown subject."""
        return [v for v in self.subjects.get(subject, []) if not v.deleted]

    def version(self, subject: str, version: int, *, deleted: bool = False) -> SubjectVersion:
        """One version (`LATEST` for the newest live one); 40401 or 40402 when missing."""
        versions = self.versions(subject, deleted=deleted)
        if version == LATEST:
            return versions[-1]
        for candidate in versions:
            if candidate.version == version:
                return candidate
        raise errors.version_not_found(version)

    def schema(self, schema_id: int) -> SchemaText:
        try:
            return self.schemas[schema_id]
        except KeyError:
            raise errors.schema_not_found(schema_id) from None

    def id_of(self, text: SchemaText) -> int | None:
        for schema_id, stored in self.schemas.items():
            if stored == text:
                return schema_id
        return None

    def live_version_of(self, subject: str, text: SchemaText) -> SubjectVersion | None:
        schema_id = self.id_of(text)
        for version in self.live_versions(subject):
            if version.schema_id == schema_id:
                return version
        return None

    def next_version(self, subject: str) -> int:
        versions = self.subjects.get(subject, [])
        return versions[-1].version + 1 if versions else 1

    def level(self, subject: str) -> str:
        return self.subject_levels.get(subject, self.global_level)

    def missing_reference(self, text: SchemaText) -> str | None:
        """A sentence naming the first reference that names no live version, or None."""
        for reference in text.references:
            live = {v.version for v in self.live_versions(reference.subject)}
            if reference.version not in live:
                return (
                    f'No schema reference found for subject "{reference.subject}" and version'
                    f" {reference.version} (reference `{reference.name}`); register that"
                    " version first or correct the reference."
                )
        return None

    # -- changing --------------------------------------------------------------------------

    def add_version(self, subject: str, text: SchemaText) -> SubjectVersion:
        schema_id = self.id_of(text)
        if schema_id is None:
            schema_id = max(self.schemas, default=0) + 1
            self.schemas[schema_id] = text
        added = SubjectVersion(self.next_version(subject), schema_id)
        self.subjects.setdefault(subject, []).append(added)
        return added

    def delete_subject(self, subject: str, *, permanent: bool) -> list[int]:
        everything = self.subjects.get(subject, [])
        if not everything:
            raise errors.subject_not_found(subject)
        live = [v.version for v in everything if not v.deleted]
        if permanent:
            if live:
                raise errors.subject_not_soft_deleted(subject)
            del self.subjects[subject]
            self.subject_levels.pop(subject, None)
            return [v.version for v in everything]
        if not live:
            raise errors.subject_soft_deleted(subject)
        for version in everything:
            version.deleted = True
        return live

    def delete_version(self, subject: str, version: int, *, permanent: bool) -> int:
        if version == LATEST and not permanent:
            found = self.version(subject, LATEST)
        else:
            found = self.version(subject, version, deleted=True)
        if permanent:
            if not found.deleted:
                raise errors.version_not_soft_deleted(subject, found.version)
            self.subjects[subject].remove(found)
            if not self.subjects[subject]:
                del self.subjects[subject]
            return found.version
        if found.deleted:
            raise errors.version_soft_deleted(subject, found.version)
        found.deleted = True
        return found.version


def parse_version(text: str) -> int:
    """A version in a path: a number in [1, 2^31-1], or `latest` (or -1); 42202 otherwise."""
    if text.strip().lower() == "latest":
        return LATEST
    try:
        number = int(text)
    except ValueError:
        raise errors.invalid_version(text) from None
    if number == LATEST:
        return LATEST
    if not 1 <= number <= _MAX_VERSION:
        raise errors.invalid_version(text)
    return number


def parse_level(value: object) -> str:
    """A compatibility level as Confluent takes it (any case); 42203 otherwise."""
    if isinstance(value, str) and value.upper() in LEVELS:
        return value.upper()
    raise errors.invalid_compatibility_level()


def _listed(versions: list[SubjectVersion], deleted: bool) -> bool:
    return any(deleted or not v.deleted for v in versions)
