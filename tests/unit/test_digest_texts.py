"""The digest's wording: what leads, what is only counted, how lateness reads."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from tracker.domain.clock import WorkCalendar
from tracker.domain.digest import FineLine, ItemState, OpenItem, sort_items
from tracker.texts.digest import MESSAGE_LIMIT, DigestData, digest_text

ZONE = ZoneInfo("Asia/Shanghai")
AT = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)  # Monday 18:00 in Shanghai
ZHANG, LI = 1002, 1003


def item(user, name, text, state, since, mid=1):
    return OpenItem(user, name, mid, text, state, since)


def data(items, fines=(), acks=()):
    return DigestData(
        chat_name="销售部工作群",
        day=date(2026, 11, 30),
        at=AT,
        zone=ZONE,
        items=sort_items(list(items), AT),
        acks=list(acks),
        directives_today=1,
        fines=list(fines),
        calendar=WorkCalendar(),
    )


def test_all_clear_is_one_short_line():
    text = digest_text(data([], acks=[("张三", True)]))
    assert text.splitlines() == [
        "📋 销售部工作群 日清日结 · 11月30日（周一）",
        "✅ 今日指令 1 条，确认 1 人次全部按时；无逾期事项，无罚款。",
    ]


def test_items_overdue_for_more_than_a_week_are_counted_not_listed():
    items = [
        item(ZHANG, "销售部-张三", "@zhangsan 报价单发我 #任务", ItemState.UNACKED,
             AT - timedelta(days=10), mid=1),
        item(ZHANG, "销售部-张三", "@zhangsan 今天下班前交周报 #任务", ItemState.PAST_DEADLINE,
             AT - timedelta(hours=2), mid=2),
        item(LI, "销售部-李四", "#通知 消防演练", ItemState.UNACKED,
             AT - timedelta(days=9), mid=3),
    ]  # fmt: skip
    lines = digest_text(data(items)).splitlines()
    at = lines.index("未清事项 3 项（其中逾期 3 项）：")
    assert lines[at + 1 :] == [
        "• 销售部-张三：",
        "  「今天下班前交周报」逾期未完成，已逾期 2 小时",
        "  另有 1 项已逾期超过 7 天",
        "• 销售部-李四：1 项已逾期超过 7 天",
    ]


def test_a_deadline_at_the_digest_instant_reads_as_just_due():
    items = [item(ZHANG, "销售部-张三", "今天下班前交", ItemState.PAST_DEADLINE, AT)]
    assert "「今天下班前交」逾期未完成，刚到期" in digest_text(data(items))


def test_waiting_items_follow_the_overdue_ones_with_their_due_time():
    items = [
        item(ZHANG, "销售部-张三", "明天中午12点前交", ItemState.DUE, AT + timedelta(hours=18)),
        item(LI, "销售部-李四", "报价单", ItemState.UNACKED, AT - timedelta(minutes=5), mid=2),
    ]
    lines = digest_text(data(items)).splitlines()
    assert lines[-4:] == [
        "• 销售部-李四：",
        "  「报价单」未确认，已逾期 5 分钟",
        "• 销售部-张三：",
        "  「明天中午12点前交」进行中，截止 12月1日 12:00",
    ]


def test_a_waived_fine_is_left_out_of_the_day_s_fines():
    fines = [
        FineLine(ZHANG, "销售部-张三", "no_ack", 10_000, "CNY", "waived"),
        FineLine(LI, "销售部-李四", "unresolved", 5_000, "CNY", "booked"),
    ]
    text = digest_text(data([], fines=fines))
    assert "💰 今日罚款 1 笔，共 50.00元：销售部-李四 50.00元（逾期未完成）" in text


def test_five_thousand_items_stay_under_telegram_s_limit():
    items = [
        item(1000 + n % 400, f"部门-成员{n % 400}", f"任务{n}", ItemState.UNACKED,
             AT - timedelta(minutes=n), mid=n)
        for n in range(5_000)
    ]  # fmt: skip
    text = digest_text(data(items))
    assert len(text) <= MESSAGE_LIMIT
    assert "未清事项 5000 项（其中逾期 5000 项）：" in text
    assert "…其余 375 人" in text or "其余未列出" in text
