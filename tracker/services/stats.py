"""Acknowledgement statistics of a chat since a day, read from the ledger and worded in Chinese
(/stats and `tracker stats`)."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import Connection

from tracker.adapters.db import digest_queries as q
from tracker.domain.rules import ChatSettings
from tracker.domain.stats import member_stats
from tracker.texts.stats import stats_text


def stats_report(conn: Connection, settings: ChatSettings, since: date, now: datetime) -> str:
    rules = settings.rules
    start = datetime.combine(since, time(0), tzinfo=rules.timezone)
    samples = q.ack_samples(conn, settings.chat_id, start, now, as_of=now)
    fines = q.fine_amounts(conn, settings.chat_id, start, now)
    rows, total = member_stats(samples, fines, now)
    return stats_text(settings.name, since, rows, total, rules.currency)
