"""Reports read from the ledger and worded in Chinese, for /digest and /stats in the chat and
`tracker digest` / `tracker stats` on the command line: one function each, both faces."""

from __future__ import annotations

from datetime import date, datetime, time

from tracker.domain.rules import ChatSettings
from tracker.domain.stats import member_stats
from tracker.services.digests import collect
from tracker.services.ports import Store
from tracker.texts.digest import digest_text
from tracker.texts.stats import stats_text


def digest_report(store: Store, settings: ChatSettings, day: date, at: datetime) -> str:
    """The chat's digest for `day` as of `at` (on demand: not recorded, nothing sent)."""
    with store.reading() as ledger:
        return digest_text(collect(ledger, settings, day, at))


def stats_report(store: Store, settings: ChatSettings, since: date, now: datetime) -> str:
    """Acknowledgement statistics per member since a day."""
    rules = settings.rules
    start = datetime.combine(since, time(0), tzinfo=rules.timezone)
    with store.reading() as ledger:
        samples = ledger.ack_samples(settings.chat_id, start, now, as_of=now)
        fines = ledger.fine_amounts(settings.chat_id, start, now)
    rows, total = member_stats(samples, fines, now)
    return stats_text(settings.name, since, rows, total, rules.currency)
