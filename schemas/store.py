"""The schema store: every uploaded version of every schema, kept as files.

Layout: `<root>/<schema_id>/v<version>.json` holds the document exactly as fetched, and
`v<version>.meta.json` its digest, format, size, when it was stored and whether it was approved;
`schema.settings.json` the schema's compatibility mode.
Each file is written to a temporary file and moved into place, so a reader never sees half a
document, and storing the same version with the same content again (an activity retry) changes
nothing. The methods block; activities call them through `asyncio.to_thread`.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from workflow.models import schema_id_problem, version_problem

_META_NAME = re.compile(r"^v([1-9][0-9]*)\.meta\.json$")
# The schema's own settings (its compatibility mode), beside its versions.
_SETTINGS_NAME = "schema.settings.json"


class SchemaStoreError(Exception):
    """A store operation that cannot be done; the message says why."""


class VersionNotStored(SchemaStoreError, LookupError):
    pass


class VersionConflict(SchemaStoreError):
    """The version is approved, or holds a different document than the caller expects."""


@dataclass
class ReplacedDocument:
    digest: str
    stored_at: str


@dataclass
class StoredVersion:
    schema_id: str
    version: int
    digest: str  # "sha256:<hex>"
    format: str
    size_bytes: int
    stored_at: str  # ISO 8601, UTC
    approved: bool = False
    approved_at: str | None = None
    # Earlier documents stored under this same version number, newest last.
    replaced: list[ReplacedDocument] = field(default_factory=list)


class SchemaStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def save(
        self, schema_id: str, version: int, content: bytes, fmt: str, digest: str
    ) -> StoredVersion:
        """Store one version; the same content again is a no-op returning the stored record."""
        existing = self._read_meta(schema_id, version)
        if existing is not None and existing.digest == digest:
            document = self._document_path(schema_id, version)
            if not document.is_file():
                self._write_atomically(document, content)
            return existing
        replaced: list[ReplacedDocument] = []
        if existing is not None and existing.digest != digest:
            if existing.approved:
                raise VersionConflict(
                    f"Version {version} of {schema_id} is already approved with a different"
                    " document; submit it under a higher version number."
                )
            replaced = [*existing.replaced, ReplacedDocument(existing.digest, existing.stored_at)]
        stored = StoredVersion(
            schema_id=schema_id,
            version=version,
            digest=digest,
            format=fmt,
            size_bytes=len(content),
            stored_at=_now(),
            replaced=replaced,
        )
        # Document first, metadata second: metadata never points at a document not yet written.
        self._write_atomically(self._document_path(schema_id, version), content)
        self._write_meta(stored)
        return stored

    def load(self, schema_id: str, version: int) -> bytes:
        try:
            return self._document_path(schema_id, version).read_bytes()
        except FileNotFoundError:
            raise VersionNotStored(f"Version {version} of {schema_id} is not stored.") from None

    def get(self, schema_id: str, version: int) -> StoredVersion | None:
        return self._read_meta(schema_id, version)

    def versions(self, schema_id: str) -> list[int]:
        directory = self._schema_dir(schema_id)
        if not directory.is_dir():
            return []
        found = (_META_NAME.match(entry.name) for entry in directory.iterdir())
        return sorted(int(match.group(1)) for match in found if match)

    def latest_before(self, schema_id: str, version: int) -> StoredVersion | None:
        """The highest stored version below `version`: what a new version is compared with."""
        earlier = [v for v in self.versions(schema_id) if v < version]
        return self._read_meta(schema_id, earlier[-1]) if earlier else None

    def mark_approved(self, schema_id: str, version: int, digest: str) -> None:
        """Record the approval of exactly the document the reviewers saw (by digest)."""
        stored = self._read_meta(schema_id, version)
        if stored is None:
            raise VersionNotStored(f"Version {version} of {schema_id} is not stored.")
        if stored.digest != digest:
            raise VersionConflict(
                f"Version {version} of {schema_id} now holds document {stored.digest}, not the"
                f" reviewed {digest}; it was not marked approved."
            )
        if stored.approved:
            return
        stored.approved = True
        stored.approved_at = _now()
        self._write_meta(stored)

    def approved(self, schema_id: str) -> StoredVersion | None:
        """The most recent approved version of the schema, if any."""
        for version in reversed(self.versions(schema_id)):
            stored = self._read_meta(schema_id, version)
            if stored is not None and stored.approved:
                return stored
        return None

    def approved_versions(self, schema_id: str) -> list[StoredVersion]:
        """Every approved version of the schema, oldest first (BACKWARD_TRANSITIVE's list)."""
        found = (self._read_meta(schema_id, v) for v in self.versions(schema_id))
        return [stored for stored in found if stored is not None and stored.approved]

    def compatibility_mode(self, schema_id: str) -> str | None:
        """The schema's compatibility mode, as its first submission (or an admin) set it."""
        try:
            raw = json.loads((self._schema_dir(schema_id) / _SETTINGS_NAME).read_text("utf-8"))
        except FileNotFoundError:
            return None
        mode = raw.get("compatibility_mode") if isinstance(raw, dict) else None
        return mode if isinstance(mode, str) else None

    def set_compatibility_mode(self, schema_id: str, mode: str) -> None:
        data = json.dumps({"compatibility_mode": mode}, indent=2).encode("utf-8")
        self._write_atomically(self._schema_dir(schema_id) / _SETTINGS_NAME, data)

    def _schema_dir(self, schema_id: str) -> Path:
        # The id becomes a directory name: the id rule keeps it from escaping the root.
        if problem := schema_id_problem(schema_id):
            raise SchemaStoreError(f"Cannot store this schema: {problem}.")
        return self.root / schema_id

    def _document_path(self, schema_id: str, version: int) -> Path:
        return self._schema_dir(schema_id) / f"v{_checked(version)}.json"

    def _meta_path(self, schema_id: str, version: int) -> Path:
        return self._schema_dir(schema_id) / f"v{_checked(version)}.meta.json"

    def _read_meta(self, schema_id: str, version: int) -> StoredVersion | None:
        try:
            raw = json.loads(self._meta_path(schema_id, version).read_text("utf-8"))
        except FileNotFoundError:
            return None
        raw["replaced"] = [ReplacedDocument(**r) for r in raw.get("replaced", [])]
        return StoredVersion(**raw)

    def _write_meta(self, stored: StoredVersion) -> None:
        data = json.dumps(asdict(stored), indent=2, sort_keys=True).encode("utf-8")
        self._write_atomically(self._meta_path(stored.schema_id, stored.version), data)

    @staticmethod
    def _write_atomically(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        # A unique temporary name per writer: two attempts of one activity may overlap.
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise


def _checked(version: int) -> int:
    if problem := version_problem(version):
        raise SchemaStoreError(f"Cannot store this schema: {problem}.")
    return version


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
