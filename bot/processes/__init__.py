"""The processes the bot runs as: `web` (the Slack app over HTTP or Socket Mode), `worker`
(the Temporal worker), the all-in-one `run` (embedded dev server, Slack sandbox, both of the
above), the command-line starter, the checks they make at start, and where their log lines go
(`log_setup`, `log_format`, `log_redaction`).

The top layer of `bot`: it may import every other part, and it is the only part of the bot
that may import the Slack sandbox (for the embedded run's wiring).
"""
