"""What the sender does when Telegram refuses a row: flood control holds the chat and retries
after the wait it names; a migrated chat has its rows re-aimed; Forbidden and BadRequest fail
the row for good with the reason; other network trouble retries with an exponential back-off."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from tracker.adapters.db.outbox_store import OutboxRow, OutboxStore
from tracker.adapters.telegram.message_parts import seconds
from tracker.adapters.telegram.pacing import Pacer

log = logging.getLogger("tracker.outbox")
MAX_BACKOFF = timedelta(minutes=10)


def not_sent(
    row: OutboxRow,
    exc: TelegramError,
    store: OutboxStore,
    pacer: Pacer,
    now: datetime,
    mono: float,
) -> bool:
    """Telegram refused the row: when to try again (or that it never will), recorded and
    logged. False for an error this does not know (it goes up)."""
    if isinstance(exc, RetryAfter):
        wait = seconds(exc.retry_after)
        pacer.hold(row.target_chat_id, mono + wait.total_seconds())
        store.retry_at(row.id, now + wait, f"flood control: retry after {wait}")
        log.warning("outbox row=%s chat=%s rate limited for %s", row.id, row.target_chat_id, wait)
    elif isinstance(exc, ChatMigrated):
        store.retarget(row.target_chat_id, exc.new_chat_id)
        log.info("outbox chat=%s migrated to %s", row.target_chat_id, exc.new_chat_id)
        store.retry_at(row.id, now, "chat migrated")
    elif isinstance(exc, Forbidden | BadRequest):  # BadRequest is a NetworkError: first
        store.failed(row.id, now, f"{type(exc).__name__}: {exc.message}")
        log.error(
            "outbox row=%s chat=%s failed for good: %s",
            row.id,
            row.target_chat_id,
            exc.message,
        )
    elif isinstance(exc, NetworkError):
        wait = min(timedelta(seconds=2 ** min(row.attempts, 10)), MAX_BACKOFF)
        store.retry_at(row.id, now + wait, f"{type(exc).__name__}: {exc}")
        log.warning(
            "outbox row=%s chat=%s network trouble (%s), retry in %s",
            row.id,
            row.target_chat_id,
            exc,
            wait,
        )
    else:
        return False
    return True
