"""The daily digest end to end: read the ledger as of the digest's instant, word it, and turn
it into outbox rows (the chat, each leader privately, and on the week's first digest the weekly
chart). Used by the service at commit time, by /digest and by `tracker digest`."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from tracker.adapters.files.chart_data import chart_attachment
from tracker.domain.digest import DigestSchedule, item_at, sort_items
from tracker.domain.outgoing import MessageKind
from tracker.domain.rules import ChatSettings
from tracker.domain.stats import weekly_series
from tracker.services.ports import Ledger
from tracker.texts.digest import DigestData, digest_text
from tracker.texts.export import chart_title
from tracker.texts.stats import weekly_chart_caption

CHART_WEEKS = 8


def collect(ledger: Ledger, settings: ChatSettings, day: date, at: datetime) -> DigestData:
    rules = settings.rules
    chat_id = settings.chat_id
    # The day's figures run from the previous digest on, so what happens after 18:00 (a fine
    # falling due at 18:15) is in the next one, and a weekend's in Monday's.
    schedule = DigestSchedule(rules.timezone, rules.digest_time, rules.calendar)
    since = schedule.instant(schedule.previous_before(day))
    start = since + timedelta(microseconds=1)  # the previous digest counted up to `since`
    items = [
        item
        for a in ledger.owed_at(chat_id, at, rules.notice_completion)
        if (item := item_at(a, at, rules.notice_completion)) is not None
    ]
    return DigestData(
        chat_name=settings.name,
        day=day,
        at=at,
        zone=rules.timezone,
        items=sort_items(items, at),
        acks=ledger.acks_between(chat_id, start, at),
        directives_today=ledger.directives_between(chat_id, start, at),
        fines=ledger.fines_between(chat_id, start, at),
        calendar=rules.calendar,
        max_age=rules.digest_max_age,
        since=since,
        away=ledger.away_at(chat_id, at),
    )


def weekly_points(ledger: Ledger, settings: ChatSettings, day: date, at: datetime):
    zone = settings.rules.timezone
    monday = day - timedelta(days=day.weekday())
    start = datetime.combine(monday - timedelta(weeks=CHART_WEEKS), time(0), tzinfo=zone)
    end = datetime.combine(monday, time(0), tzinfo=zone)
    samples = ledger.ack_samples(settings.chat_id, start, end, as_of=at)
    return weekly_series(samples, zone, until=day, weeks=CHART_WEEKS, now=at)


def digest_rows(
    ledger: Ledger,
    build,
    settings: ChatSettings,
    day: date,
    at: datetime,
    sent_at: datetime,
    late: bool,
    weekly: bool,
) -> list[dict]:
    """Outbox rows of one chat's digest for `day`; `build` is Notifier.build."""
    chat_id = settings.chat_id
    text = digest_text(collect(ledger, settings, day, at), late_since=sent_at if late else None)
    key = f"digest:{chat_id}:{day.isoformat()}"
    rows = [build(key, chat_id, chat_id, None, MessageKind.DIGEST, text, (), sent_at)]
    if settings.rules.digest_to_leaders:
        rows += [
            build(
                f"{key}:leader:{uid}",
                chat_id,
                uid,
                None,
                MessageKind.DIGEST_LEADER,
                text,
                (),
                sent_at,
            )
            for uid in sorted(settings.leaders)
        ]
    if weekly:
        points = weekly_points(ledger, settings, day, at)
        if any(p.received for p in points):
            caption = weekly_chart_caption(settings.name, points)
            attachment = chart_attachment(chart_title(settings.name, CHART_WEEKS), points)
            rows.append(
                build(
                    f"{key}:chart",
                    chat_id,
                    chat_id,
                    None,
                    MessageKind.CHART,
                    caption,
                    (),
                    sent_at,
                    attachment=attachment,
                )
            )
    return rows
