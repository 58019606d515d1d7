"""The `schema_approval` workflow (deterministic: it imports nothing of ours but this package)
and the data contract every other part imports: `workflow.models` (inputs, payloads, status,
Temporal names), `workflow.activity_payloads` and `workflow.read_models`.
"""
