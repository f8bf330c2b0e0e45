"""Clock times: hours with a part of the day, bare clocks, Chinese numerals and forms."""

from __future__ import annotations

import pytest

from tests.unit.deadline_cases import Case, case_id, check

# 下午/晚上 X = X+12 when X < 12; 中午 1/2 = 13/14 h; 24-hour forms literally;
# 今晚12点 / 今天24点 = 00:00 next day; 凌晨2点 said late at night = the next morning.
HOURS = [
    Case("下午3点", "2026-11-24 15:00"),
    Case("下午3点半", "2026-11-24 15:30"),
    Case("下午3:30", "2026-11-24 15:30"),
    Case("下午15点", "2026-11-24 15:00"),
    Case("晚上8点", "2026-11-24 20:00"),
    Case("晚8点开会", "2026-11-24 20:00"),
    Case("晚上20:30", "2026-11-24 20:30"),
    Case("今晚8点半", "2026-11-24 20:30"),
    Case("中午1点", "2026-11-24 13:00"),
    Case("中午2点", "2026-11-24 14:00"),
    Case("中午12点", "2026-11-24 12:00"),
    Case("上午11点", "2026-11-24 11:00"),
    Case("明天上午10点", "2026-11-25 10:00"),
    Case("明天上午10点前", "2026-11-25 10:00"),
    Case("明天早上8点", "2026-11-25 08:00"),
    Case("明天下午2点半", "2026-11-25 14:30"),
    Case("15:30", "2026-11-24 15:30"),
    Case("16点30分", "2026-11-24 16:30"),
    Case("明天15:00", "2026-11-25 15:00"),
    Case("今晚12点", "2026-11-25 00:00"),
    Case("今晚12点前", "2026-11-25 00:00"),
    Case("晚上12点", "2026-11-25 00:00"),
    Case("今天24点", "2026-11-25 00:00"),
    Case("今天24点前", "2026-11-25 00:00"),
    Case("明晚12点", "2026-11-26 00:00"),
    Case("明天凌晨5点", "2026-11-25 05:00"),
    Case("凌晨2点", "2026-11-25 02:00", "night"),
    Case("凌晨3点前", "2026-11-25 03:00", "night"),
    Case("今天凌晨2点", "2026-11-25 02:00", "night"),
    Case("晚上10点", "2026-11-25 22:00", "night"),
]

# A bare clock: the earliest reading (h or h+12) inside 08:00-20:59 still ahead of now, else the
# next day's; with a day word, the earliest working-hours reading on that day.
BARE_CLOCKS = [
    Case("3点", "2026-11-24 15:00"),
    Case("3点前", "2026-11-24 15:00"),
    Case("1点前", "2026-11-24 13:00"),
    Case("5点半", "2026-11-24 17:30"),
    Case("7点", "2026-11-24 19:00"),
    Case("8点", "2026-11-24 20:00"),
    Case("8点半", "2026-11-24 20:30"),
    Case("9点", "2026-11-25 09:00"),
    Case("9点半", "2026-11-25 09:30"),
    Case("10点前", "2026-11-25 10:00"),
    Case("11点", "2026-11-24 11:00"),
    Case("12点", "2026-11-24 12:00"),
    Case("14:00", "2026-11-24 14:00"),
    Case("22:00", "2026-11-24 22:00"),
    Case("3点", "2026-11-25 15:00", "night"),
    Case("7点", "2026-11-25 19:00", "night"),
    Case("8点", "2026-11-25 08:00", "night"),
    Case("9点前", "2026-11-25 09:00", "night"),
    Case("12点前", "2026-11-25 12:00", "night"),
    Case("5点", "2026-11-27 17:00", "fri"),
    Case("8点", "2026-11-27 20:00", "fri"),
    Case("4点前", "2026-11-28 16:00", "fri"),
    Case("明天3点", "2026-11-25 15:00"),
    Case("明天7点", "2026-11-25 19:00"),
    Case("明天8点", "2026-11-25 08:00"),
    Case("明天9点", "2026-11-25 09:00"),
    Case("后天2点", "2026-11-26 14:00"),
    Case("今天3点", "2026-11-24 15:00"),
    Case("周五10点前", "2026-11-27 10:00"),
    Case("12月1日9点", "2026-12-01 09:00"),
]

# Chinese numerals and forms: 十点半, 两点一刻, 三点四十五, 四点三刻, 九点零五分, 六点整, 时 = 点.
CHINESE_NUMERALS = [
    Case("十点半", "2026-11-24 10:30"),
    Case("十点一刻", "2026-11-24 10:15"),
    Case("两点一刻", "2026-11-24 14:15"),
    Case("三点四十五", "2026-11-24 15:45"),
    Case("四点三刻", "2026-11-24 16:45"),
    Case("九点零五分", "2026-11-25 09:05"),
    Case("六点整", "2026-11-24 18:00"),
    Case("三点半之前", "2026-11-24 15:30"),
    Case("两点半前", "2026-11-24 14:30"),
    Case("一点半", "2026-11-24 13:30"),
    Case("三点钟", "2026-11-24 15:00"),
    Case("五点十分", "2026-11-24 17:10"),
    Case("十一点", "2026-11-24 11:00"),
    Case("十一点五十", "2026-11-24 11:50"),
    Case("十二点前", "2026-11-24 12:00"),
    Case("十七点", "2026-11-24 17:00"),
    Case("二十点", "2026-11-24 20:00"),
    Case("下午三时", "2026-11-24 15:00"),
    Case("15时30分", "2026-11-24 15:30"),
    Case("十七时", "2026-11-24 17:00"),
    Case("下午两点", "2026-11-24 14:00"),
    Case("晚上七点半", "2026-11-24 19:30"),
    Case("明天上午十点", "2026-11-25 10:00"),
    Case("明天九点", "2026-11-25 09:00"),
    Case("周五下午四点", "2026-11-27 16:00"),
]


@pytest.mark.parametrize("case", HOURS, ids=case_id)
def test_an_hour_with_a_part_of_the_day_is_read_on_the_24_hour_clock(case: Case) -> None:
    check(case)


@pytest.mark.parametrize("case", BARE_CLOCKS, ids=case_id)
def test_a_bare_clock_takes_the_next_reading_in_working_hours(case: Case) -> None:
    check(case)


@pytest.mark.parametrize("case", CHINESE_NUMERALS, ids=case_id)
def test_chinese_numerals_and_clock_forms_are_read(case: Case) -> None:
    check(case)
