"""A schema registry for the workflow tests' stand-in activities: it registers each approved
version once (answering a repeat with the registration it holds, as the real activity looks up
before registering) and can be told to fail with the contract's error types."""

from __future__ import annotations

from dataclasses import dataclass, field

from temporalio.exceptions import ApplicationError

from workflow.registry_contract import (
    PERMANENT_REGISTRY_ERRORS,
    Registration,
    RegistrationRequest,
    RegistryView,
)

SUBJECT = "inventory-service-value"
# The subject's latest version before the review: the registry numbers the approved one above.
LATEST_VERSION = 3
FIRST_ID = 100


@dataclass
class StandInRegistry:
    retry_hours: float = 24.0
    # The failures the next registrations raise, in order (each one used once).
    failures: list[ApplicationError] = field(default_factory=list)
    # Raised by every registration until cleared (an outage, a conflict left in place).
    failing: ApplicationError | None = None
    # Every registration request, and what the registry holds: digest -> registration.
    requests: list[RegistrationRequest] = field(default_factory=list)
    held: dict[str, Registration] = field(default_factory=dict)

    def view(self) -> RegistryView:
        return RegistryView(
            subject=SUBJECT,
            schema_type="JSON",
            latest_version=LATEST_VERSION,
            compatibility_level="BACKWARD",
            document='{"type": "object"}',
            retry_hours=self.retry_hours,
        )

    def register(self, request: RegistrationRequest) -> Registration:
        self.requests.append(request)
        if self.failures:
            raise self.failures.pop(0)
        if self.failing is not None:
            raise self.failing
        if request.digest not in self.held:
            self.held[request.digest] = Registration(
                subject=request.subject,
                version=LATEST_VERSION + 1 + len(self.held),
                id=FIRST_ID + len(self.held),
            )
        return self.held[request.digest]


def registry_error(error_type: str, message: str) -> ApplicationError:
    """A failure as `register_approved_schema` raises it."""
    return ApplicationError(
        message, type=error_type, non_retryable=error_type in PERMANENT_REGISTRY_ERRORS
    )
