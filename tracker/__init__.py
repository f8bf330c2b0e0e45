"""tracker: a response-deadline bot for work group chats."""
