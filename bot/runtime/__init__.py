"""What every part of a process shares: its settings (read once, at the entry points), its
Temporal connection, and the work in flight that a SIGTERM drains.

The lowest layer of `bot`: it imports nothing else of the bot.
"""
