"""Reply statistics: who acknowledges directives on time, how fast, and what it cost them.

Pure: samples and fines come in, `now` is passed in, nothing is read or written.

Definitions (one place, so the chat command, the CLI and the chart agree):
- a sample is *received* unless it is excluded: its directive or assignment was cancelled, or
  its member left the chat before acknowledging or was on leave; excluded samples count nowhere;
- it is *decided* once acked, or once its ack window has closed (`on_time.window_closed`);
  a sample never acked whose window is still open is not judged yet;
- *on time* is `on_time.acked_on_time` (before the due instant); at or after it is *late*;
- *missed* means the window closed and there was no ack;
- ack time is `acked_at - created_at` over every acked sample, on time or late;
- the median is the usual one (`statistics.median`): with an even count it is the mean of the
  two middle values, rounded to the microsecond as `timedelta` arithmetic does;
- p90 is the nearest-rank percentile, `sorted[ceil(0.9 * n) - 1]`, always an observed value.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from fractions import Fraction

from tracker.domain.on_time import acked_on_time, window_closed


@dataclass(frozen=True, slots=True)
class AckSample:
    """One assignment of one member to one directive."""

    user_id: int
    name: str
    created_at: datetime  # directive posted (UTC aware)
    ack_due_at: datetime  # end of the ack window
    acked_at: datetime | None
    excluded: bool  # cancelled, or the member left before acknowledging


@dataclass(frozen=True, slots=True)
class MemberStats:
    user_id: int | None  # None for the chat total row
    name: str  # "" for the chat total row; the text layer names it
    received: int
    decided: int
    on_time: int
    late: int
    missed: int
    median_ack: timedelta | None
    p90_ack: timedelta | None
    fines_count: int  # positive entries only; a reversal is not a fine
    fines_fen: int  # every entry, reversals included

    @property
    def on_time_rate(self) -> Fraction | None:
        return Fraction(self.on_time, self.decided) if self.decided else None


@dataclass(frozen=True, slots=True)
class WeekPoint:
    week_start: date  # Monday, in the chat's zone
    received: int
    decided: int
    on_time: int
    median_ack: timedelta | None

    @property
    def on_time_rate(self) -> Fraction | None:
        return Fraction(self.on_time, self.decided) if self.decided else None


@dataclass(frozen=True, slots=True)
class _Tally:
    received: int
    decided: int
    on_time: int
    late: int
    missed: int
    ack_times: tuple[timedelta, ...]  # sorted


def _tally(samples: Iterable[AckSample], now: datetime) -> _Tally:
    received = on_time = late = missed = 0
    ack_times: list[timedelta] = []
    for s in samples:
        if s.excluded:
            continue
        received += 1
        if s.acked_at is not None:
            ack_times.append(s.acked_at - s.created_at)
            if acked_on_time(s.acked_at, s.ack_due_at):
                on_time += 1
            else:
                late += 1
        elif window_closed(now, s.ack_due_at):
            missed += 1
    decided = on_time + late + missed
    return _Tally(received, decided, on_time, late, missed, tuple(sorted(ack_times)))


def median(values: tuple[timedelta, ...]) -> timedelta | None:
    return statistics.median(values) if values else None


def p90(values: tuple[timedelta, ...]) -> timedelta | None:
    """Nearest rank over sorted `values`: the smallest value with at least 90% at or below it."""
    if not values:
        return None
    rank = -(-9 * len(values) // 10)  # ceil(0.9 * n) in exact integer arithmetic
    return values[rank - 1]


def _row(user_id: int | None, name: str, tally: _Tally, fines: list[int]) -> MemberStats:
    return MemberStats(
        user_id=user_id,
        name=name,
        received=tally.received,
        decided=tally.decided,
        on_time=tally.on_time,
        late=tally.late,
        missed=tally.missed,
        median_ack=median(tally.ack_times),
        p90_ack=p90(tally.ack_times),
        fines_count=sum(1 for fen in fines if fen > 0),
        fines_fen=sum(fines),
    )


def _sort_key(row: MemberStats) -> tuple:
    """Worst on-time rate first; members with nothing decided yet last; then by name and id."""
    rate = row.on_time_rate
    return (rate is None, rate if rate is not None else 0, row.name, row.user_id)


def member_stats(
    samples: Iterable[AckSample], fines: Iterable[tuple[int, str, int]], now: datetime
) -> tuple[list[MemberStats], MemberStats]:
    """Per-member rows, worst on-time rate first (see `_sort_key`), and the chat total.

    `fines` holds one `(user_id, name, fen)` per fine entry; a negative fen is a reversal.
    A member's name is the one on their latest sample by `created_at` (later input wins a tie),
    or on their last fine entry if they have no sample. Cancelled samples still lend their name,
    and a member with only excluded samples or only fines gets a row of zeros.
    """
    ordered = sorted(samples, key=lambda s: s.created_at)
    fine_list = list(fines)
    names: dict[int, str] = {}
    by_member: dict[int, list[AckSample]] = {}
    fen_by_member: dict[int, list[int]] = {}
    for user_id, name, fen in fine_list:
        names[user_id] = name
        fen_by_member.setdefault(user_id, []).append(fen)
    for s in ordered:
        names[s.user_id] = s.name
        by_member.setdefault(s.user_id, []).append(s)
    rows = [
        _row(uid, names[uid], _tally(by_member.get(uid, ()), now), fen_by_member.get(uid, []))
        for uid in names
    ]
    total = _row(None, "", _tally(ordered, now), [fen for _, _, fen in fine_list])
    return sorted(rows, key=_sort_key), total


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly_series(
    samples: Iterable[AckSample],
    zone: tzinfo,
    until: date,
    weeks: int = 8,
    *,
    now: datetime,
) -> list[WeekPoint]:
    """The `weeks` calendar weeks (Monday to Sunday in `zone`) that end before the week holding
    `until`, oldest first; weeks without directives are included with zeros and None.

    A sample belongs to the week of its `created_at` in `zone`. A Monday digest passes its own
    date and so shows the weeks that are over.
    """
    first = week_start(until) - timedelta(weeks=weeks)
    buckets: dict[date, list[AckSample]] = {first + timedelta(weeks=i): [] for i in range(weeks)}
    for s in samples:
        bucket = buckets.get(week_start(s.created_at.astimezone(zone).date()))
        if bucket is not None:
            bucket.append(s)
    points = []
    for start, bucket in buckets.items():
        tally = _tally(bucket, now)
        points.append(
            WeekPoint(start, tally.received, tally.decided, tally.on_time, median(tally.ack_times))
        )
    return points


def percent(rate: Fraction) -> int:
    """A rate as a whole percent, rounded half up: 5/6 -> 83, 1/8 -> 13."""
    return int((rate * 200 + 1) // 2)
