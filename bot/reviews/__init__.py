"""The bot's client of the review workflow: start and submit (update-with-start), decide
(signal, then update), reassign, withdraw, status and lists, and what Temporal's answers and
failures mean, in sentences a person can act on.

Used by the Slack app and the starter; imports only `bot.runtime`, the shared contract in
`workflow` and the schema domain (`schemas`, for the document check before a review starts).
"""
