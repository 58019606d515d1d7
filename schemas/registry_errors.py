"""What a schema registry answered when it did not do what was asked, as a few typed errors.

Each carries Confluent's `error_code` and `message` (None when no answer came) and reads as a
sentence naming the registry by its address without credentials. Callers decide what each
means to them: the upload and the registration (`activities`) raise them as the contract's
`ApplicationError` types, the processes' start check stops or warns.
"""

from __future__ import annotations


class RegistryError(Exception):
    """A registry call that failed; `str()` is a sentence for people."""

    def __init__(
        self,
        sentence: str,
        *,
        status: int | None = None,
        error_code: int | None = None,
        registry_message: str | None = None,
    ) -> None:
        super().__init__(sentence)
        self.sentence = sentence
        self.status = status
        self.error_code = error_code
        self.registry_message = registry_message


class RegistryUnavailable(RegistryError):
    """No answer (refused, reset, timed out) or a 5xx: the registry may recover."""


class RegistryUnauthorized(RegistryError):
    """401 or 403: the registry refuses the credentials (SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO)."""


class RegistryConflict(RegistryError):
    """409: the document is incompatible with a version registered under the subject."""


class RegistryRejected(RegistryError):
    """422 (42201 and the like): the registry cannot read the document, its type or a
    reference it names, or the level asked for."""


class RegistryNotFound(RegistryError):
    """404: the subject (40401), a version (40402) or the schema under it (40403) is unknown."""


# Confluent's codes for "no such subject" and "not under this subject", which the client's
# lookups answer as "nothing there".
SUBJECT_NOT_FOUND = 40401
SCHEMA_NOT_FOUND = 40403
# The subject has no level of its own (asked without defaultToGlobal).
SUBJECT_LEVEL_NOT_CONFIGURED = 40408


def registry_error(
    status: int, error_code: int | None, message: str | None, where: str
) -> RegistryError:
    """The typed error of an HTTP answer `status` from the registry at `where`."""
    said = (message or "").strip().rstrip(".") or f"HTTP {status}"
    kind: type[RegistryError] = RegistryError
    sentence = f"The schema registry at {where} answered {status}: {said}."
    if status in (401, 403):
        kind = RegistryUnauthorized
        sentence = (
            f"The schema registry at {where} refused the credentials ({status} {said}): set"
            " SCHEMA_REGISTRY_BASIC_AUTH_USER_INFO to a user:password it accepts."
        )
    elif status == 409:
        kind, sentence = RegistryConflict, f"The schema registry refused it: {said}."
    elif status == 422:
        kind, sentence = RegistryRejected, f"The schema registry could not accept it: {said}."
    elif status == 404:
        kind = RegistryNotFound
        sentence = f"The schema registry at {where} answered: {said}."
    elif status >= 500 or status in (408, 429):
        kind = RegistryUnavailable
        sentence = (
            f"The schema registry at {where} is not answering as it should ({status}: {said})."
        )
    return kind(sentence, status=status, error_code=error_code, registry_message=message)
