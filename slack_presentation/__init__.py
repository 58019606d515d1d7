"""How the bot and the activities present reviews in Slack: Block Kit, mrkdwn, mentions, buttons.

Neither side owns this package: the activities post these messages, the bot answers with them,
and both import from here. It imports nothing of ours but the shared contract (`workflow.models`,
`workflow.activity_payloads`); the rules are checked by import-linter (`pyproject.toml`).
"""
