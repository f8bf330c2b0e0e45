"""Reply statistics by hand-computed examples: on time, late, missed, medians, weeks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from tracker.domain.stats import AckSample, member_stats, p90, percent, weekly_series

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
WINDOW = timedelta(minutes=30)
MIN = timedelta(minutes=1)


def sample(user_id=1, name="张三", at=T0, ack_after=None, excluded=False, window=WINDOW):
    acked = at + ack_after if ack_after is not None else None
    return AckSample(user_id, name, at, at + window, acked, excluded)


def only_row(samples, now, fines=()):
    rows, _ = member_stats(samples, fines, now)
    assert len(rows) == 1
    return rows[0]


def test_an_ack_just_before_the_due_instant_is_on_time_and_at_it_is_late():
    row = only_row(
        [sample(ack_after=WINDOW - timedelta(microseconds=1)), sample(ack_after=WINDOW)],
        now=T0 + timedelta(days=1),
    )
    assert (row.received, row.decided, row.on_time, row.late, row.missed) == (2, 2, 1, 1, 0)
    assert row.on_time_rate == Fraction(1, 2)


def test_a_never_acked_sample_is_judged_only_once_its_window_closes():
    open_window = only_row([sample()], now=T0 + WINDOW - timedelta(seconds=1))
    closed = only_row([sample()], now=T0 + WINDOW)
    assert (open_window.received, open_window.decided, open_window.missed) == (1, 0, 0)
    assert open_window.on_time_rate is None
    assert (closed.received, closed.decided, closed.missed) == (1, 1, 1)
    assert closed.on_time_rate == 0


def test_an_early_ack_counts_even_while_the_window_is_still_open():
    row = only_row([sample(ack_after=MIN), sample()], now=T0 + 2 * MIN)
    assert (row.received, row.decided, row.on_time, row.missed) == (2, 1, 1, 0)
    assert row.on_time_rate == 1


def test_cancelled_samples_count_nowhere():
    rows, total = member_stats(
        [sample(ack_after=MIN), sample(excluded=True), sample(2, "李四", excluded=True)],
        [],
        now=T0 + timedelta(days=1),
    )
    by_id = {r.user_id: r for r in rows}
    assert (by_id[1].received, by_id[1].decided, by_id[1].missed) == (1, 1, 0)
    assert (by_id[2].received, by_id[2].decided, by_id[2].median_ack) == (0, 0, None)
    assert (total.received, total.decided, total.on_time) == (1, 1, 1)


def test_median_averages_the_two_middle_acks_and_p90_is_nearest_rank():
    row = only_row([sample(ack_after=m * MIN) for m in (10, 1, 3, 2)], now=T0 + timedelta(days=1))
    assert row.median_ack == timedelta(minutes=2, seconds=30)
    assert row.p90_ack == 10 * MIN  # ceil(0.9 * 4) = 4th of 4
    odd = only_row([sample(ack_after=m * MIN) for m in (5, 1, 3)], now=T0 + timedelta(days=1))
    assert (odd.median_ack, odd.p90_ack) == (3 * MIN, 5 * MIN)


def test_p90_of_ten_values_is_the_ninth_and_of_one_value_is_that_value():
    ten = tuple(m * MIN for m in range(1, 11))
    assert p90(ten) == 9 * MIN
    assert p90(ten + (11 * MIN,)) == 10 * MIN  # ceil(9.9) = 10th of 11
    assert p90((7 * MIN,)) == 7 * MIN
    assert p90(()) is None


def test_late_acks_count_in_ack_times_and_missed_ones_do_not():
    row = only_row(
        [sample(ack_after=2 * MIN), sample(ack_after=90 * MIN), sample()],
        now=T0 + timedelta(days=1),
    )
    assert (row.on_time, row.late, row.missed, row.decided) == (1, 1, 1, 3)
    assert row.median_ack == 46 * MIN  # mean of 2 and 90 minutes
    assert row.on_time_rate == Fraction(1, 3)


def test_reversal_fines_lower_the_sum_but_are_not_counted_as_fines():
    fines = [(1, "张三", 10_000), (1, "张三", -10_000), (1, "张三", 5_000), (2, "李四", 10_000)]
    rows, total = member_stats([sample(ack_after=MIN)], fines, now=T0 + timedelta(days=1))
    by_id = {r.user_id: r for r in rows}
    assert (by_id[1].fines_count, by_id[1].fines_fen) == (2, 5_000)
    assert (by_id[2].name, by_id[2].received, by_id[2].fines_count) == ("李四", 0, 1)
    assert (total.user_id, total.fines_count, total.fines_fen) == (None, 3, 15_000)


def test_a_member_keeps_the_name_of_their_latest_sample_whatever_the_input_order():
    later = sample(name="销售部-张三", at=T0 + timedelta(days=1), ack_after=MIN)
    row = only_row([later, sample(ack_after=MIN)], now=T0 + timedelta(days=2))
    assert (row.name, row.received) == ("销售部-张三", 2)


def test_rows_run_from_worst_on_time_rate_with_undecided_members_last():
    now = T0 + timedelta(hours=1)
    samples = [
        sample(1, "丙", ack_after=MIN),
        sample(2, "乙", ack_after=MIN),
        sample(2, "乙"),
        sample(3, "甲", ack_after=MIN),
        sample(3, "甲"),
        sample(4, "丁", window=timedelta(hours=2)),
    ]
    rows, total = member_stats(samples, [], now)
    assert [r.user_id for r in rows] == [2, 3, 1, 4]  # 1/2 乙, 1/2 甲 (by name), 1, None
    assert [r.on_time_rate for r in rows] == [Fraction(1, 2), Fraction(1, 2), 1, None]
    assert (total.received, total.decided, total.on_time, total.missed) == (6, 5, 3, 2)
    assert (total.median_ack, total.p90_ack) == (MIN, MIN)


def test_nothing_gives_empty_rows_and_a_zero_total():
    rows, total = member_stats([], [], T0)
    assert rows == []
    assert (total.received, total.median_ack, total.p90_ack, total.on_time_rate) == (
        0,
        None,
        None,
        None,
    )


def test_weeks_are_local_mondays_to_sundays_across_sunday_midnight():
    sunday_late = datetime(2026, 11, 15, 15, 30, tzinfo=UTC)  # Sunday 23:30 in Shanghai
    monday_early = datetime(2026, 11, 15, 16, 10, tzinfo=UTC)  # Monday 00:10 in Shanghai
    samples = [
        sample(at=sunday_late, ack_after=MIN),
        sample(at=monday_early, ack_after=40 * MIN),
        sample(at=monday_early, ack_after=20 * MIN),
        sample(at=datetime(2026, 11, 23, 1, 0, tzinfo=UTC)),  # the week of `until`: not over
        sample(at=datetime(2026, 11, 1, 15, 0, tzinfo=UTC)),  # Sunday 23:00, before the range
    ]
    now = datetime(2026, 11, 25, tzinfo=UTC)
    points = weekly_series(samples, SHANGHAI, date(2026, 11, 25), 3, now=now)
    assert [p.week_start for p in points] == [
        date(2026, 11, 2),
        date(2026, 11, 9),
        date(2026, 11, 16),
    ]
    empty, before, after = points
    assert (empty.received, empty.decided, empty.median_ack, empty.on_time_rate) == (
        0,
        0,
        None,
        None,
    )
    assert (before.received, before.on_time, before.median_ack) == (1, 1, MIN)
    assert (after.received, after.decided, after.on_time) == (2, 2, 1)
    assert after.median_ack == 30 * MIN and after.on_time_rate == Fraction(1, 2)


def test_a_monday_digest_shows_the_eight_weeks_before_it_oldest_first():
    points = weekly_series([], SHANGHAI, date(2026, 11, 23), now=T0)
    assert len(points) == 8
    assert points[0].week_start == date(2026, 9, 28) and points[-1].week_start == date(
        2026, 11, 16
    )
    assert all(p.week_start.weekday() == 0 and p.received == 0 for p in points)


def test_weekly_points_leave_open_windows_undecided_and_skip_cancelled():
    samples = [sample(), sample(ack_after=MIN), sample(excluded=True, ack_after=MIN)]
    (week,) = weekly_series(samples, SHANGHAI, date(2026, 11, 9), 1, now=T0 + MIN)
    assert (week.received, week.decided, week.on_time, week.on_time_rate) == (2, 1, 1, 1)


def test_percent_rounds_half_up():
    assert [percent(Fraction(n, d)) for n, d in ((1, 8), (5, 8), (5, 6), (1, 200), (0, 1))] == [
        13,
        63,
        83,
        1,
        0,
    ]
