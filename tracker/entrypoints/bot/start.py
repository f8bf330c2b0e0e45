"""What the live bot says when it cannot start talking to Telegram, and its webhook secret."""

from __future__ import annotations

import hashlib
import hmac

import httpx
from telegram.error import InvalidToken, NetworkError

from tracker.logs import redact

TELEGRAM = "https://api.telegram.org/bot"


def start_failure(exc: BaseException, token: str, base_url: str | None) -> str | None:
    """One line for a failure at start (bad token, Telegram unreachable, a malformed server
    URL), the token left out; None for anything else."""
    where = base_url or TELEGRAM
    if isinstance(exc, InvalidToken):
        bot_id = token.partition(":")[0]
        return (
            f"Telegram at {where} rejected the token ({bot_id}:…redacted): "
            "check TELEGRAM_BOT_TOKEN (from @BotFather)"
        )
    if isinstance(exc, NetworkError | httpx.HTTPError | httpx.InvalidURL):
        reason = redact(str(exc) or type(exc).__name__, token)
        hint = ""
        if base_url and not base_url.rstrip("/").endswith("/bot"):
            hint = " (a Bot API server's URL ends in /bot, e.g. http://127.0.0.1:8081/bot)"
        return f"cannot reach Telegram at {where}: {reason}{hint}"
    return None


def webhook_secret(token: str) -> str:
    """The secret Telegram sends back with every webhook request when none is configured: derived
    from the token, so every replica and every restart agrees on it without storing it."""
    return hmac.new(token.encode(), b"tracker webhook secret", hashlib.sha256).hexdigest()
