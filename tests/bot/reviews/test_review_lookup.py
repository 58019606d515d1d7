"""Finding reviews in Temporal's visibility store, and linking to them in the Temporal UI."""

from __future__ import annotations

from bot.reviews.lookup import pending_for_query, submitted_by_query, workflow_ui_url
from bot.runtime.settings import Settings


def test_visibility_queries_match_lowercased_emails_and_refuse_quotes() -> None:
    assert pending_for_query("tq-1", "Alice@Example.com") == (
        "WorkflowType = 'schema_approval' AND TaskQueue = 'tq-1' AND ExecutionStatus = 'Running'"
        " AND SchemaPendingReviewers = 'alice@example.com'"
    )
    assert submitted_by_query("tq-1", "o'neil@example.com") is None


def test_workflow_ui_url() -> None:
    settings = Settings(
        _env_file=None, temporal_ui_url="https://ui.example/", temporal_namespace="ns 1"
    )  # type: ignore[call-arg]

    assert workflow_ui_url(settings, "schema-approval-x") == (
        "https://ui.example/namespaces/ns%201/workflows/schema-approval-x"
    )
