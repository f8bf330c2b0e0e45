"""The bot's Chinese messages stay under Telegram's 4,096-character limit for big groups, and
money is shown to the fen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from tracker.domain.model import Assignment, Directive, Kind, Status
from tracker.texts import answers, common, notices

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOON = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
NAMES = [f"销售部-成员{i:03d}" for i in range(200)]


def notice_to_everyone() -> Directive:
    at = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    directive = Directive(
        -100, 1, Kind.NOTICE, 1001, "#通知 明天全员开会", at, at + timedelta(minutes=30)
    )
    for i, name in enumerate(NAMES):
        status = Status.ACKED if i % 3 else Status.PENDING
        directive.assignments[i] = Assignment(i, name, status, acked_at=at if i % 3 else None)
    return directive


def test_a_status_board_for_200_members_fits_one_message():
    board = notices.status_board(notice_to_everyone(), SHANGHAI)
    assert len(board) < 4096
    assert "已确认 133 人" in board and "待确认 67 人" in board and "等 67 人" in board


def test_long_name_lists_are_cut_with_a_count():
    for text in (
        notices.chat_reminder(NAMES, timedelta(minutes=10)),
        notices.no_ack_fines(NAMES, timedelta(minutes=30), 10_000, "CNY"),
        notices.unresolved_fines(NAMES, 2, 5_000, "CNY", NOON, NOON, SHANGHAI),
        notices.chat_reminders([("任务一", NAMES, timedelta(minutes=5))] * 3),
    ):
        assert len(text) < 4096 and "等 200 人" in text


def test_short_lists_are_named_in_full():
    assert common.people(["张三", "李四"]) == "张三、李四"


def test_money_is_shown_to_the_fen():
    assert common.money(10_000) == "100.00元"
    assert common.money(5) == "0.05元"
    assert common.money(-12_345) == "-123.45元"
    assert common.money(100, "USD") == "1.00 USD"


def test_long_listings_show_the_newest_and_count_the_rest():
    lines = [f"• 任务 {i}「{'很长的内容' * 10}」销售部-成员:待确认" for i in range(300)]
    text = answers.status(lines)
    assert len(text) < 4096 and "较早的 275 条未列出" in text and "任务 299" in text


def test_a_listing_shows_the_deadline_a_member_promised():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from tracker.domain.model import Assignment, Directive, Kind
    from tracker.texts.answers import status_line

    at = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    zhang = Assignment(1002, "销售部-张三", done_due_at=datetime(2026, 11, 23, 10, 0, tzinfo=UTC))
    directive = Directive(
        -100, 1, Kind.TASK, 1001, "把周报发群里", at, at, assignments={1002: zhang}
    )
    line = status_line(directive, ZoneInfo("Asia/Shanghai"))
    assert "销售部-张三:待确认（承诺 11月23日 18:00 前）" in line
