"""Tokenizer for Chinese deadline language: one small builder per pattern of `deadlines.patterns`.

Tokens are read from text prepared by `deadlines.text.clean`; a token's value is a small tuple
whose shape depends on its kind (see `Token`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tracker.domain.deadlines.patterns import MASTER, TRIGGER
from tracker.domain.deadlines.text import cn_number, scan


@dataclass(frozen=True, slots=True)
class Token:
    """One token; `value` by kind:

    PRE (strength,): 2 a firm limit (截止, 最晚, ddl), 1 a move (改到, 推迟到)
    SUF (strength, before): 2 for 为止/到期/止; before for 前/之前/以前 (not 内/之内)
    DAY (day offset, part of day or ""): 明晚 is (1, "evening")
    WEEKDAY (week offset, ISO weekday): offset -1 for a bare 周五, 0 这/本, 1 下, 2 下下
    DATE (year, year offset, month, month offset, day, form): form "/" or "." for 12/1, 12.15
    PERIOD (unit, offset): week, weekend, month, month_end, year; ("month_n", 12) for 12月底
    POD (part of day, ends in 前); CLOCK (hour, minute, literal 24-hour, guard "" | cn | digit)
    DUR (unit, amount, has a 未来-like prefix): unit minutes, days, weeks, months, workdays
    """

    kind: str
    start: int
    end: int
    value: tuple[Any, ...] = ()


_POD_NAMES = {
    "morning": ("一上班", "上班前", "上班时", "一早", "早上", "早晨", "清晨", "早"),
    "forenoon": ("上午",),
    "noon": ("中午", "午饭前", "午餐前", "午休前", "中饭前"),
    "afternoon": ("下午", "午后", "白天"),
    "dusk": ("傍晚", "晚饭前"),
    "eod": ("下班前", "下班时", "下班", "eod", "cob"),
    "evening": ("晚上", "晚间", "晚", "夜里", "夜间"),
    "night": ("半夜", "深夜", "午夜"),
    "dawn": ("凌晨",),
}
_POD_OF = {word: name for name, words in _POD_NAMES.items() for word in words}
_DAY_WORDS = {"今天": 0, "今日": 0, "今儿": 0, "明天": 1, "明日": 1, "明儿": 1}
_DAY_WORDS.update({"后天": 2, "大后天": 3, "今明两天": 1})
_DAY_POD = {"今晚": (0, "evening"), "今夜": (0, "evening"), "今早": (0, "morning")}
_DAY_POD.update({"今晨": (0, "morning"), "明早": (1, "morning"), "明晨": (1, "morning")})
_DAY_POD.update({"明晚": (1, "evening"), "明夜": (1, "evening")})
_WEEKDAY_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}
_WEEKDAY_NUMBER.update({str(n): n for n in range(1, 8)})
_STRONG_SUFFIXES = ("为止", "到期", "止")
_BEFORE_SUFFIXES = ("之前", "以前", "前")


def week_offset(modifier: str | None) -> int:
    """0 for 这/本, 1 for 下(个), 2 for 下下(个); -1 for no modifier."""
    if not modifier:
        return -1
    return 2 if modifier.startswith("下下") else 1 if modifier.startswith("下") else 0


def _day(m: re.Match[str]) -> tuple[Any, ...]:
    word = m.group()
    return _DAY_POD.get(word) or (_DAY_WORDS[word], "")


def _dur(m: re.Match[str]) -> tuple[Any, ...] | None:
    raw, unit = m["du_n"], m["du_u"]
    half = 0.5 if m["du_half"] else 0.0
    amount = 0.5 if raw == "半" else float(raw) if "." in raw else cn_number(raw)
    if amount is None or (raw == "半" and m["du_half"]):
        return None
    amount += half
    if unit in ("小时", "钟头", "h", "hr", "hrs", "hour", "hours"):
        return ("minutes", round(amount * 60), bool(m["du_pre"]))
    if unit in ("分钟", "min", "mins", "minute", "minutes", "刻钟"):
        return ("minutes", round(amount * (15 if unit == "刻钟" else 1)), bool(m["du_pre"]))
    if unit == "年":
        unit, amount = "月", amount * 12
    if unit == "月" and amount != int(amount):
        unit, amount = "天", amount * 30
    if amount != int(amount):
        return None
    kind = {"天": "days", "日": "days", "自然日": "days", "月": "months", "工作日": "workdays"}
    return (kind.get(unit, "weeks"), int(amount), bool(m["du_pre"]))


def _date(
    year: int | None, year_offset: int | None, month: str | None, day: str, form: str = ""
) -> tuple[Any, ...] | None:
    month_number = cn_number(month) if month else None
    day_number = cn_number(day)
    if day_number is None or not 1 <= day_number <= 31:
        return None
    if month is not None and (month_number is None or not 1 <= month_number <= 12):
        return None
    return (year, year_offset, month_number, None, day_number, form)


def _date_y(m: re.Match[str]) -> tuple[Any, ...] | None:
    if m["dy_rel"]:
        return _date(None, 1 if m["dy_rel"] == "明" else 0, m["dy_m"], m["dy_d"])
    return _date(cn_number(m["dy_y"], positional=True), None, m["dy_m"], m["dy_d"])


def _date_mday(m: re.Match[str]) -> tuple[Any, ...] | None:
    value = _date(None, None, None, m["dm_d"])
    return value and (None, None, None, max(week_offset(m["dm_mod"]), 0), value[4], "")


def _date_dot(m: re.Match[str]) -> tuple[Any, ...] | None:
    """12.15, or 10.30 that the grammar may read as a clock after a day word (so up to 24.59)."""
    first, second = int(m["dt_m"]), int(m["dt_d"])
    return (None, None, first, None, second, ".") if first <= 24 and second <= 59 else None


def _clock_cn(m: re.Match[str]) -> tuple[Any, ...] | None:
    hour, tail = cn_number(m["cn_h"]), m["cn_tail"] or ""
    if hour is None or hour > 24:
        return None
    minute: int | None = 0
    if tail == "半":
        minute = 30
    elif tail.endswith("刻"):
        minute = 15 if tail[0] in "一1" else 45
    elif m["cn_m"]:
        minute = cn_number(m["cn_m"], positional=True)
    if minute is None or minute > 59 or (hour == 24 and minute):
        return None
    guard = "" if (tail or m["cn_zhong"]) else "cn" if not m["cn_h"].isascii() else "digit"
    return (hour, minute, hour == 0 or hour > 12, guard)


def _clock_ap(m: re.Match[str]) -> tuple[Any, ...] | None:
    hour, minute = int(m["ca_h"]), int(m["ca_m"] or 0)
    if not 1 <= hour <= 12 or minute > 59:
        return None
    return (hour % 12 + (12 if m["ca_ap"] == "pm" else 0), minute, True, "")


def _clock_colon(m: re.Match[str]) -> tuple[Any, ...] | None:
    hour, minute = int(m["cc_h"]), int(m["cc_m"])
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        return None
    return (hour, minute, hour == 0 or hour > 12 or m["cc_h"].startswith("0"), "")


def _suffix(m: re.Match[str]) -> tuple[Any, ...]:
    word = m.group()
    return (2 if word in _STRONG_SUFFIXES else 1, word in _BEFORE_SUFFIXES)


def _month(m: re.Match[str]) -> tuple[Any, ...]:
    """本月/下个月 ("month") or 月底/下个月底 ("month_end"): both end on the last day."""
    unit = "month" if m["pm_mod2"] else "month_end"
    return (unit, max(week_offset(m["pm_mod"] or m["pm_mod2"]), 0))


def _month_n(m: re.Match[str]) -> tuple[Any, ...] | None:
    month = cn_number(m["mn_m"])
    return ("month_n", month) if month is not None and 1 <= month <= 12 else None


def _year(m: re.Match[str]) -> tuple[Any, ...]:
    modifier = m["py_mod"] or m["py_mod2"]
    return ("year", 1 if modifier == "明" else 0)


_BUILDERS: dict[str, tuple[str, Callable[[re.Match[str]], tuple[Any, ...] | None]]] = {
    "PAST": ("PAST", lambda m: ()),
    "RECUR": ("RECUR", lambda m: ()),
    "PRE": ("PRE", lambda m: (2 if m["pre_firm"] else 1,)),
    "DATE_Y": ("DATE", _date_y),
    "DATE_ISO": ("DATE", lambda m: _date(int(m["di_y"]), None, m["di_m"], m["di_d"])),
    "CK_AP": ("CLOCK", _clock_ap),
    "DUR": ("DUR", _dur),
    "WEEKEND": ("PERIOD", lambda m: ("weekend", max(week_offset(m["we_mod"]), 0))),
    "WEEKDAY": ("WEEKDAY", lambda m: (week_offset(m["wk_mod"]), _WEEKDAY_NUMBER[m["wk_d"]])),
    "WEEK": ("PERIOD", lambda m: ("week", week_offset(m["pw_mod"]))),
    "DATE_MDAY": ("DATE", _date_mday),
    "MONTH": ("PERIOD", _month),
    "MONTH_N": ("PERIOD", _month_n),
    "YEAR": ("PERIOD", _year),
    "DATE_MD": ("DATE", lambda m: _date(None, None, m["md_m"], m["md_d"])),
    "DATE_SL": ("DATE", lambda m: _date(None, None, m["sl_m"], m["sl_d"], "/")),
    "DATE_DOT": ("DATE", _date_dot),
    "DATE_DASH": ("DATE", lambda m: _date(None, None, m["da_m"], m["da_d"], ".")),
    "DAY": ("DAY", _day),
    "POD": ("POD", lambda m: (_POD_OF[m.group()], m.group().endswith("前"))),
    "CK_COLON": ("CLOCK", _clock_colon),
    "CK_CN": ("CLOCK", _clock_cn),
    "DATE_BARE": ("DATE", lambda m: _date(None, None, None, m["nd_d"])),
    "APPROX": ("APPROX", lambda m: ()),
    "SUF": ("SUF", _suffix),
    "AFTER": ("AFTER", lambda m: ()),
}


def tokenize(text: str) -> Iterator[Token]:
    """The tokens of a cleaned text, left to right, without overlaps."""
    for m in scan(MASTER, TRIGGER, text):
        kind, build = _BUILDERS[m.lastgroup or ""]
        value = build(m)
        if value is not None:
            yield Token(kind, m.start(), m.end(), value)
