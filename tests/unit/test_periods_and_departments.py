"""Ledger months (tracker/domain/periods.py) and the department in a nickname
(tracker/domain/departments.py, the seed rule 部门+姓名), with the config's department_pattern."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.config.loading import parse_config
from tracker.domain.departments import department_of
from tracker.domain.periods import (
    first_open,
    month_bounds,
    month_cn,
    month_of,
    next_month,
    parse_month,
)
from tracker.errors import ConfigError

SHANGHAI, NEW_YORK = ZoneInfo("Asia/Shanghai"), ZoneInfo("America/New_York")
SOURCE = "config/tracker.toml"
CHAT = '[[chats]]\nid = -1001987654321\nname = "销售部工作群"\nleaders = [1001]\n'


# -- ledger months -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, month",
    [
        ("2026-11", "2026-11"),
        ("2026-1", "2026-01"),
        ("202611", "2026-11"),
        ("202601", "2026-01"),
        (" 2026-12 ", "2026-12"),
    ],
)
def test_parse_month_accepts_the_usual_spellings(text, month):
    assert parse_month(text) == month


@pytest.mark.parametrize(
    "text",
    ["2026-13", "2026-00", "202613", "11-2026", "", "2026/11", "2026-011", "26-11", "十一月"],
)
def test_parse_month_refuses_anything_else_in_one_line_naming_the_input(text):
    with pytest.raises(ValueError) as info:
        parse_month(text)
    message = str(info.value)
    assert "\n" not in message
    assert message == f"expected a month like 2026-11, got {text!r}"


@given(st.text(max_size=12))
def test_parse_month_gives_a_month_or_a_value_error_and_never_anything_else(text):
    try:
        month = parse_month(text)
    except ValueError:
        return
    assert len(month) == 7 and month[4] == "-" and 1 <= int(month[5:]) <= 12
    assert parse_month(month) == month


def test_month_bounds_are_the_local_month_in_utc():
    assert month_bounds("2026-11", SHANGHAI) == (
        datetime(2026, 10, 31, 16, 0, tzinfo=UTC),
        datetime(2026, 11, 30, 16, 0, tzinfo=UTC),
    )
    assert month_bounds("2026-12", SHANGHAI) == (
        datetime(2026, 11, 30, 16, 0, tzinfo=UTC),
        datetime(2026, 12, 31, 16, 0, tzinfo=UTC),
    )


def test_month_bounds_follow_daylight_saving_time_in_new_york():
    start, end = month_bounds("2026-11", NEW_YORK)  # EDT until 1 November 02:00, then EST
    assert (start, end) == (
        datetime(2026, 11, 1, 4, 0, tzinfo=UTC),
        datetime(2026, 12, 1, 5, 0, tzinfo=UTC),
    )
    assert (end - start).total_seconds() == 30 * 86_400 + 3_600


def test_the_month_of_an_instant_is_read_in_the_chats_zone():
    at = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    assert (month_of(at, SHANGHAI), month_of(at, NEW_YORK), month_of(at, UTC)) == (
        "2026-12",
        "2026-11",
        "2026-12",
    )
    start, end = month_bounds("2026-11", SHANGHAI)
    assert month_of(start, SHANGHAI) == "2026-11" and month_of(end, SHANGHAI) == "2026-12"


def test_next_month_rolls_over_december():
    assert next_month("2026-11") == "2026-12"
    assert next_month("2026-12") == "2027-01"
    assert next_month("2026-01") == "2026-02"
    assert next_month("9998-12") == "9999-01"


def test_first_open_skips_every_closed_month_in_a_row():
    closed = {"2026-10", "2026-11", "2026-12", "2027-01", "2027-03"}
    assert first_open("2026-11", closed) == "2027-02"
    assert first_open("2027-02", closed) == "2027-02"  # open: itself
    assert first_open("2027-03", closed) == "2027-04"
    assert first_open("2026-11", set()) == "2026-11"
    assert first_open("2026-09", closed) == "2026-09"  # an open month before closed ones


def test_month_cn_names_the_month_without_a_leading_zero():
    assert (month_cn("2026-11"), month_cn("2027-01")) == ("2026年11月", "2027年1月")


# -- departments ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, department",
    [
        ("销售部-张三", "销售部"),
        ("销售部—张三", "销售部"),  # em dash
        ("销售部–张三", "销售部"),  # en dash
        ("市场部－王芳", "市场部"),  # full-width hyphen
        ("行政人事部-张某某", "行政人事部"),
        ("南宁-杜艳霞", "南宁"),  # a place, not a unit word: the separator decides
        ("客服部 刘洋", "客服部"),  # a space after Chinese separates
        (" 销售部 - 张三 ", "销售部"),
        ("销售部_张三", "销售部"),
        ("销售部/张三", "销售部"),
        ("销售部·张三", "销售部"),
        ("销售部丨张三", "销售部"),
        ("人资中心张静", "人资中心"),  # no separator: a unit word, then a 2-3 character name
        ("安徽商会金融服务部张三", "安徽商会金融服务部"),
        ("财务部李小四", "财务部"),
    ],
)
def test_department_of_reads_the_seed_nicknames(name, department):
    assert department_of(name) == department


@pytest.mark.parametrize(
    "name",
    [
        "陈静",
        "王总",
        "John Smith",  # a space splits Chinese names only
        "-张三",  # nothing before the separator
        "",
        "销售部",  # a unit word and no name after it
        "销售部张",  # a one-character rest is not a name
        "财务部李小四五六",  # nor a four-character one
        "张三-请假中",  # a name and a status
        "李四-出差",
        "Amy_Wang",  # a Latin name
        "张 三",  # a spaced-out name
        "技术组组长李四",  # a title (组长) is not part of the name
        "刘处长张三",
    ],
)
def test_a_nickname_without_a_department_has_none(name):
    assert department_of(name) is None


def test_a_department_ending_in_bumen_keeps_the_whole_word():
    assert department_of("人事部门王芳") == "人事部门"


def test_a_chats_own_pattern_takes_its_dept_group():
    pattern = r"（(?P<dept>[^）]*)）$"  # 张三（销售部）
    assert department_of("张三（销售部）", pattern) == "销售部"
    assert department_of("张三（ 市场部 ）", pattern) == "市场部"
    assert department_of("张三（ ）", pattern) is None  # blank is none
    assert department_of("销售部-张三", pattern) is None  # the built-in reading is not used
    assert department_of("北京 | 王芳", r"^(?P<dept>\S+)\s*\|") == "北京"


# -- department_pattern in the config ------------------------------------------------------------
def config_error(text: str) -> str:
    with pytest.raises(ConfigError) as info:
        parse_config(tomllib.loads(text), SOURCE)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{SOURCE}: ")
    return message


def test_the_config_takes_a_department_pattern_per_chat_or_as_a_default():
    config = parse_config(
        tomllib.loads(
            '[defaults]\ndepartment_pattern = "^(?P<dept>[^-]+)-"\n'
            + CHAT
            + 'department_pattern = "（(?P<dept>[^）]+)）"\n'
        ),
        SOURCE,
    )
    assert config.defaults.department_pattern == "^(?P<dept>[^-]+)-"
    (chat,) = config.chats
    assert department_of("张三（销售部）", chat.rules.department_pattern) == "销售部"


def test_a_department_pattern_without_a_dept_group_is_one_line_naming_the_key():
    message = config_error('[defaults]\ndepartment_pattern = "^([^-]+)-"\n')
    assert message == (
        f"{SOURCE}: defaults.department_pattern: expected a regular expression with a group "
        '(?P<dept>...), got "^([^-]+)-"'
    )
    message = config_error(CHAT + 'department_pattern = "(?P<name>.+)"\n')
    assert message.startswith(f"{SOURCE}: chats[0].department_pattern: ")


def test_an_invalid_department_pattern_is_one_line_even_when_it_spans_lines():
    message = config_error('[defaults]\ndepartment_pattern = "^(?P<dept>[^-]+-"\n')
    assert message.startswith(
        f"{SOURCE}: defaults.department_pattern: expected a valid regular expression, got "
    )
    assert "unterminated subpattern" in message
    config_error('[defaults]\ndepartment_pattern = "(?P<dept>x)\\n("\n')  # one line still
    assert "department_pattern" in config_error("[defaults]\ndepartment_pattern = 3\n")
