"""The Chinese statistics text: exact lines, human durations, and Telegram's length limits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

from tracker.domain.stats import AckSample, MemberStats, WeekPoint, member_stats
from tracker.texts.stats import duration, member_line, rate, stats_text, weekly_chart_caption

MIN = timedelta(minutes=1)


def row(user_id=1, name="销售部-张三", **figures) -> MemberStats:
    base = dict(
        received=12,
        decided=12,
        on_time=10,
        late=1,
        missed=1,
        median_ack=4 * MIN,
        p90_ack=25 * MIN,
        fines_count=2,
        fines_fen=20_000,
    )
    return MemberStats(user_id, name, **(base | figures))


def test_a_member_line_names_every_figure():
    assert member_line(row()) == (
        "• 销售部-张三：收到 12 条，按时 10（83%），迟 1，未回 1；"
        "中位 4 分钟，P90 25 分钟；罚款 2 笔 200.00元"
    )


def test_open_windows_no_acks_and_no_fines_are_said_plainly():
    quiet = row(
        received=3, decided=0, on_time=0, late=0, missed=0, median_ack=None, p90_ack=None,
        fines_count=0, fines_fen=0,
    )  # fmt: skip
    assert member_line(quiet) == (
        "• 销售部-张三：收到 3 条，按时 0（—），迟 0，未回 0，未到期 3；中位 —，P90 —；无罚款"
    )


def test_a_fully_reversed_fine_still_shows_its_count():
    assert member_line(row(fines_count=1, fines_fen=0)).endswith("；罚款 1 笔 0.00元")


def test_a_small_chat_reads_header_members_and_total():
    at = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
    due = at + timedelta(minutes=30)
    samples = [
        AckSample(1, "销售部-张三", at, due, at + 4 * MIN, False),
        AckSample(1, "销售部-张三", at, due, at + 40 * MIN, False),
        AckSample(2, "销售部-李四", at, due, None, False),
    ]
    rows, total = member_stats(samples, [(2, "销售部-李四", 10_000)], at + timedelta(hours=1))
    text = stats_text("销售部工作群", date(2026, 11, 1), rows, total)
    assert text.splitlines() == [
        "📊 销售部工作群 自 11月1日 起的回复统计",
        "• 销售部-李四：收到 1 条，按时 0（0%），迟 0，未回 1；中位 —，P90 —；罚款 1 笔 100.00元",
        "• 销售部-张三：收到 2 条，按时 1（50%），迟 1，未回 0；中位 22 分钟，P90 40 分钟；无罚款",
        "合计：收到 3 条，按时 1（33%），迟 1，未回 1；"
        "中位 22 分钟，P90 40 分钟；罚款 1 笔 100.00元",
    ]


def test_an_empty_chat_says_there_is_nothing_yet():
    _, total = member_stats([], [], datetime(2026, 11, 2, tzinfo=UTC))
    assert stats_text("销售部工作群", date(2026, 11, 1), [], total) == (
        "📊 销售部工作群 自 11月1日 起的回复统计\n暂无需要确认的指令。"
    )


def test_at_most_25_members_are_listed_then_how_many_more():
    rows = [row(i, f"成员{i:02d}") for i in range(30)]
    lines = stats_text("群", date(2026, 11, 1), rows, row(None, "")).splitlines()
    assert len(lines) == 1 + 25 + 1 + 1
    assert lines[25] == member_line(rows[24])
    assert lines[26] == "…其余 5 人未列出"
    assert lines[27].startswith("合计：收到 12 条")


def test_long_names_and_many_members_stay_under_telegrams_limit():
    rows = [row(i, f"{i:03d}" + "很长的名字" * 50) for i in range(200)]
    text = stats_text("群" * 255, date(2026, 11, 1), rows, row(None, "", fines_fen=10**12))
    assert len(text) <= 4096
    assert "…其余 175 人未列出" in text


def test_durations_read_like_people_say_them():
    cases = {
        None: "—",
        timedelta(0): "0 秒",
        timedelta(seconds=45): "45 秒",
        timedelta(seconds=59, microseconds=400_000): "59 秒",
        timedelta(seconds=89): "1 分钟",
        timedelta(seconds=90): "2 分钟",
        4 * MIN: "4 分钟",
        60 * MIN: "1 小时",
        65 * MIN: "1 小时 5 分钟",
        timedelta(hours=26, minutes=10): "1 天 2 小时",
        timedelta(days=3): "3 天",
    }
    assert {d: duration(d) for d in cases} == cases


def test_rates_round_half_up():
    assert [rate(Fraction(1, 8)), rate(Fraction(5, 8)), rate(None)] == ["13%", "63%", "—"]


def weeks(rates_and_medians) -> list[WeekPoint]:
    start = date(2026, 9, 28)
    return [
        WeekPoint(start + timedelta(weeks=i), d, d, on, m)
        for i, (on, d, m) in enumerate(rates_and_medians)
    ]


def test_the_caption_gives_the_trend_from_oldest_to_newest_week():
    points = weeks(
        [(17, 20, 6 * MIN)] + [(0, 0, None)] * 3 + [(1, 2, 30 * MIN)] * 3 + [(23, 25, 4 * MIN)]
    )
    assert weekly_chart_caption("销售部工作群", points) == (
        "📈 销售部工作群 近 8 周：按时确认率 85%→92%，确认用时中位数 6→4 分钟"
    )


def test_the_caption_spells_out_mixed_units_and_single_weeks():
    mixed = weeks([(1, 1, timedelta(seconds=45)), (1, 2, 65 * MIN)])
    assert weekly_chart_caption("群", mixed) == (
        "📈 群 近 2 周：按时确认率 100%→50%，确认用时中位数 45 秒→1 小时 5 分钟"
    )
    single = weeks([(0, 0, None), (3, 4, 5 * MIN)])
    assert (
        weekly_chart_caption("群", single)
        == "📈 群 近 2 周：按时确认率 75%，确认用时中位数 5 分钟"
    )


def test_a_caption_without_data_says_so_and_stays_under_the_caption_limit():
    assert (
        weekly_chart_caption("群", weeks([(0, 0, None)] * 8))
        == "📈 群 近 8 周：没有需要确认的指令"
    )
    long = weekly_chart_caption("群" * 255, weeks([(1, 2, 3 * MIN)] * 8))
    assert len(long) <= 1024
