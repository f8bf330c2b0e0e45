"""The clock values behind words without a clock (下班前, 上午, 晚上 …); a chat may change them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time


@dataclass(frozen=True, slots=True)
class DeadlineConventions:
    """The clock values a chat may change; the defaults are the issue's."""

    end_of_day: time = time(18, 0)  # a day without a clock; 下班前
    morning: time = time(9, 0)  # 早上, 明早, 一早, 一上班, 上班前
    noon: time = time(12, 0)  # 上午, 中午, 午饭前 without an hour
    afternoon_end: time = time(18, 0)  # 下午, 傍晚 without an hour
    evening: time = time(21, 0)  # 晚上, 今晚, 明晚 without an hour
    work_hours: tuple[time, time] = (time(8, 0), time(20, 59))  # where a bare "3点" may fall
    night_starts: time = time(18, 0)  # from here "今天凌晨2点" means the coming night
    week_deadline_day: int = 5  # ISO weekday that ends 本周内 / 下周内 (Friday)


DEFAULT = DeadlineConventions()
