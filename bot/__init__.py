"""The application: the Slack app, its client of the review workflow, and the processes.

- `bot.slack_app`: the Bolt app — listeners (one callback per file, per kind) and the services
  they share (workspace check, replay guard, ack hold, replies, command parsing).
- `bot.reviews`: the one typed client of the `schema_approval` workflow — start, submit,
  decide, reassign, withdraw, status, list — and the one translation of Temporal's errors.
- `bot.processes`: what runs — `web`, `worker`, the all-in-one run, the starter, the embedded
  dev server and the sandbox wiring.
- `bot.runtime`: what every part of a process shares: settings, the Temporal connection and
  the drain of acknowledged work on SIGTERM.

The root holds only the entry points (`python -m bot`, `bot.cli`). Layers import downwards
only (processes → slack_app → reviews → runtime); import-linter checks it (pyproject.toml).
"""
