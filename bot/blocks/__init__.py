"""Block Kit builders: every message, modal and view the bot shows is built here."""
