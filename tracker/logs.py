"""Logging: one line per event; the bot token never reaches any output."""

from __future__ import annotations

import logging
import time

REDACTED = "<token>"


def redact(text: str, token: str) -> str:
    """`text` without the token, nor its secret half on its own (the part after the colon is
    what authenticates; the bot's id before it is public)."""
    if not token:
        return text
    text = text.replace(token, REDACTED)
    _, _, secret = token.partition(":")
    if len(secret) >= 8:
        text = text.replace(secret, REDACTED)
    return text


class RedactingFormatter(logging.Formatter):
    """Redacts the whole formatted line, tracebacks of library exceptions included."""

    def __init__(self, fmt: str, token: str) -> None:
        super().__init__(fmt)
        self.token = token

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record), self.token)


class RefusedWebhooks(logging.Filter):
    """Turns python-telegram-bot's debug notes on webhook requests refused for a missing or wrong
    secret into one warning a minute (with how many were refused), and drops its other debug
    records. Attached to the logger its webhook server writes to."""

    NOTES = ("Request did not include the secret token", "Request had the wrong secret token")

    def __init__(self, every: float = 60.0, clock=time.monotonic) -> None:
        super().__init__()
        self.every, self.clock = every, clock
        self.refused = 0
        self.last: float | None = None

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.DEBUG:
            return True
        if not str(record.msg).startswith(self.NOTES):
            return False
        self.refused += 1
        now = self.clock()
        if self.last is not None and now - self.last < self.every:
            return False
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.msg = "webhook: refused %d request(s) without the right secret token (403)"
        record.args = (self.refused,)
        self.refused, self.last = 0, now
        return True


class BootstrapAborted(logging.Filter):
    """python-telegram-bot logs a start that failed (bad token, no network) with its traceback;
    the command says it in one line of its own (tracker.adapters.telegram_start)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (message.startswith("Network Retry Loop (Bootstrap") and "Aborting" in message)


def setup_logging(token: str, level: int = logging.INFO, webhook: bool = False) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        RedactingFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", token)
    )
    handler.addFilter(BootstrapAborted())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request lines carry the token
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # "skipped: already running"
    logging.getLogger("alembic").setLevel(logging.WARNING)  # a line per plugin and step
    if webhook:
        updater = logging.getLogger("telegram.ext.Updater")
        updater.setLevel(logging.DEBUG)
        updater.addFilter(RefusedWebhooks())
