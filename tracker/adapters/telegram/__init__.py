"""Telegram's side of things outside the handlers: the outbox sender and its rate limits,
the Bot API's ranges, and the reader of Telegram Desktop exports."""
