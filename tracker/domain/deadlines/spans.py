"""Spans of absence as members write them (请假, 出差, 休假): 明天全天, 12月8日到12月10日,
今天下午, 下周一上午, 周三到周五, 12月8日-10日, 明天9点到11点, 明天起三天.

Each end is read by the deadline reader as of the start of today (so 今天 is today even in the
evening); the part of day widens it: 上午 is the day until noon, 下午 from noon, anything else
(全天, or nothing) the whole day; a clock ("9点") is that instant. A span is [start, end). Pure.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from tracker.domain.deadlines.conventions import DEFAULT, DeadlineConventions
from tracker.domain.deadlines.reader import read_deadline
from tracker.domain.deadlines.text import cn_number

_RANGE = re.compile(r"\s*(?:到|至|~|～|—|–|-)\s*")
_MORNING = re.compile(r"上午|早上|早晨|上半天|半天")
_AFTERNOON = re.compile(r"下午|下半天|傍晚")
_WHOLE = re.compile(r"一整天|全天|整天|全日|一天")
_CLOCK = re.compile(r"\d{1,2}\s*[:：点时]|[零一二两三四五六七八九十]+\s*点")
_DAY_WORD = re.compile(r"[天日号周月]|星期|礼拜")
_COUNT = re.compile(r"(?:起|开始)?\s*(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:个)?(?:工作)?天")
NOON = time(12, 0)
MAX_SPAN = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class Span:
    """[start, end), aware in the zone of the `now` it was read at, and the words read."""

    start: datetime
    end: datetime
    phrase: str


def read_span(
    text: str,
    now: datetime,
    conventions: DeadlineConventions = DEFAULT,
    workdays: Callable[[date], bool] | None = None,
) -> Span | None:
    """The span `text` names, or None when it names none (or ends before it starts)."""
    text = text.strip()
    if not text:
        return None
    today = _midnight(now)
    sides = _RANGE.split(text, maxsplit=1)
    if len(sides) == 2 and sides[0] and sides[1]:
        first = _side(sides[0], today, conventions, workdays)
        if first is None:
            return None
        second = _side(sides[1], today, conventions, workdays)
        if (second is None or second[1] <= first[0]) and "月" not in sides[1]:
            # read from the first end's day instead: 周三到周五, 明天9点到11点
            second = _side(sides[1], _midnight(first[0]), conventions, workdays)
        span = None if second is None else (first[0], second[2] or second[1])
    else:
        one = _side(text, today, conventions, workdays)
        span = None if one is None else one[:2]
        counted = _COUNT.search(text)
        if span is not None and counted and not _WHOLE.fullmatch(counted.group(0)):
            days = cn_number(counted.group(1)) or 0
            span = (span[0], _midnight(span[0]) + timedelta(days=days)) if days > 0 else None
    if span is None or not span[0] < span[1] or span[1] - span[0] > MAX_SPAN:
        return None
    return Span(span[0], span[1], text)


def _side(
    text: str, day: datetime, conventions: DeadlineConventions, workdays
) -> tuple[datetime, datetime, datetime | None] | None:
    """(start, end, clock) of one end of a span read from `day`: a day widened by its part of
    day; with a clock, from it to the day's end, and the clock itself as an end of a range."""
    if _CLOCK.search(text):
        reading = read_deadline(text, day, conventions, workdays)
        if reading is None:
            return None
        return reading.at, _midnight(reading.at) + timedelta(days=1), reading.at
    words = _WHOLE.sub("", _AFTERNOON.sub("", _MORNING.sub("", _COUNT.sub("", text)))).strip()
    if words:
        reading = read_deadline(words, day, conventions, workdays)
        if reading is None:
            return None
        day = _midnight(reading.at)
    noon = day.replace(hour=NOON.hour, minute=NOON.minute)
    if _MORNING.search(text):
        return day, noon, None
    if _AFTERNOON.search(text):
        return noon, day + timedelta(days=1), None
    return day, day + timedelta(days=1), None


def _midnight(at: datetime) -> datetime:
    return at.replace(hour=0, minute=0, second=0, microsecond=0)
