"""The Slack app: `build_app` (Bolt), its listeners (`listeners/<kind>/`, one callback per
file) and the services they share (`services/`). Block Kit comes from `slack_presentation`,
Slack Web API clients and people from `slack_api`, Temporal from `bot.reviews`.

Imports `bot.reviews` and `bot.runtime`, never `bot.processes` or the Slack sandbox.
"""
