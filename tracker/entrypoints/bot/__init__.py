"""The live bot: python-telegram-bot handlers and their wiring."""
