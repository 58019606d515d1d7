"""The Temporal activities of the `schema_approval` workflow, and nothing else: the upload
(fetch, check and store a version), the Slack messages (review requests, their updates,
reminders, notices) posted exactly once, and the approval's record.

Registered by the worker (`bot.processes.worker`); they may import the shared contract
(`workflow`), the schema domain (`schemas`), `slack_api` and `slack_presentation`, never the bot
or the Slack sandbox.
"""
