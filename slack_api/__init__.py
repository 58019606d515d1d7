"""Talking to the Slack Web API, shared by the bot and the activities: the one client factory
(with its retry profiles: a person waiting, or a worker with Temporal's retries behind it),
what a failed call says, and who people are (email ⇄ Slack user id, mentions), cached.

Imports nothing of ours but `slack_presentation.mentions`; never the bot or the activities.
"""
