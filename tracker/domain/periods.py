"""Ledger months ("2026-11"): parsing, bounds in a chat's zone, and the first open month.

A fine counts in the month of its booking time in the chat's zone. Once finance closes a month
its fines no longer change: a fine that falls due in it later, or a reversal of one of its
fines, counts in the first month after it that is still open.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, datetime, tzinfo

_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
# The years a month, a day or a calendar date may name: the ledger's, with room on both sides.
# Year 1 or 9999 would overflow as soon as a zone offset is applied.
YEARS = range(2000, 2101)


def parse_month(text: str) -> str:
    """'2026-11' (or '2026-1', '202611') -> '2026-11'; ValueError names what is wanted."""
    value = text.strip()
    if re.fullmatch(r"\d{6}", value, re.ASCII):
        value = f"{value[:4]}-{value[4:]}"
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value, re.ASCII)
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"expected a month like 2026-11, got {text!r}")
    if int(match.group(1)) not in YEARS:
        raise ValueError(f"expected a month from {YEARS[0]}-01 to {YEARS[-1]}-12, got {text!r}")
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def month_of(at: datetime, zone: tzinfo) -> str:
    return f"{at.astimezone(zone):%Y-%m}"


def next_month(month: str) -> str:
    year, mon = _split(month)
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


def first_open(month: str, closed: Collection[str]) -> str:
    """`month` itself when open, else the first month after it that is not closed."""
    while month in closed:
        month = next_month(month)
    return month


def month_bounds(month: str, zone: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of a local month, in UTC."""
    year, mon = _split(month)
    start = datetime(year, mon, 1, tzinfo=zone)
    nyear, nmon = _split(next_month(month))
    end = datetime(nyear, nmon, 1, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def month_cn(month: str) -> str:
    year, mon = _split(month)
    return f"{year}年{mon}月"


def _split(month: str) -> tuple[int, int]:
    match = _MONTH.fullmatch(month)
    if match is None:
        raise ValueError(f"expected a month like 2026-11, got {month!r}")
    return int(match.group(1)), int(match.group(2))
