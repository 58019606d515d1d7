"""The workflow answers to exactly the signals, updates and query the contract names
(`workflow.contract`: SIGNAL_*, UPDATE_*, QUERY_*), which the bot and the CLI send: a handler
registered under another name would leave their messages unanswered."""

from __future__ import annotations

from temporalio import workflow

from workflow import contract
from workflow.schema_approval import SchemaApprovalWorkflow


def contract_names(prefix: str) -> set[str]:
    return {value for name, value in vars(contract).items() if name.startswith(prefix)}


def test_the_workflow_handles_exactly_the_contracts_message_names() -> None:
    # temporalio keeps the definition private; its Worker reads the handlers from it too.
    definition = workflow._Definition.must_from_class(SchemaApprovalWorkflow)

    assert definition.name == contract.WORKFLOW_TYPE
    assert set(definition.signals) == contract_names("SIGNAL_")
    assert set(definition.updates) == contract_names("UPDATE_")
    assert set(definition.queries) == contract_names("QUERY_")
