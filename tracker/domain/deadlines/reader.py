"""Chinese deadlines as leaders write them: 今天下班前, 明天上午10点前, 周五前, 三点半之前.

`read_deadline` cleans the message (`deadlines.text`), splits it into tokens (`deadlines.tokens`,
`deadlines.patterns`), joins them into candidate phrases (`deadlines.grammar`), drops those that
set no deadline (`deadlines.checks`) and resolves the rest against `now` (`deadlines.calendar`).
Of several deadlines the firmest wins (截止, 最晚 over 前/内 over a plain time), then the
earliest. Pure: no I/O, no wall clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from tracker.domain.deadlines import grammar
from tracker.domain.deadlines.calendar import resolve
from tracker.domain.deadlines.checks import usable
from tracker.domain.deadlines.conventions import DEFAULT, DeadlineConventions
from tracker.domain.deadlines.text import clean
from tracker.domain.deadlines.tokens import tokenize


@dataclass(frozen=True, slots=True)
class DeadlineReading:
    """The deadline found in a message and the words it was read from."""

    at: datetime
    phrase: str


def monday_to_friday(day: date) -> bool:
    return day.isoweekday() <= 5


def read_deadline(
    text: str,
    now: datetime,
    conventions: DeadlineConventions = DEFAULT,
    workdays: Callable[[date], bool] | None = None,
) -> DeadlineReading | None:
    """The deadline `text` sets, read at `now` (aware, in the chat's zone), or None.

    The result is aware in the zone of `now` and never before it. Raises ValueError only when
    `now` is naive.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    if not isinstance(text, str) or not text:
        return None
    cleaned = clean(text)
    tokens = list(tokenize(cleaned))
    best: tuple[int, datetime, int, int] | None = None
    after = 0  # index of the first token after the candidate
    for cand in grammar.assemble(tokens, cleaned):
        while after < len(tokens) and tokens[after].start < cand.end:
            after += 1
        following = tokens[after] if after < len(tokens) else None
        chosen = usable(cand, cleaned, following)
        if chosen is None:
            continue
        try:
            at = resolve(chosen, now, conventions, workdays or monday_to_friday)
        except (ValueError, OverflowError):
            continue
        if at is None or at < now:
            continue
        key = (-grammar.strength(chosen, cleaned), at, cand.start, cand.end)
        if best is None or key[:2] < best[:2]:
            best = key
    if best is None:
        return None
    return DeadlineReading(best[1], _phrase(text, best[2], best[3]))


def _phrase(text: str, start: int, end: int) -> str:
    """The words read, with the closing bracket of "12月1日（周二" kept."""
    phrase = text[start:end].strip()
    opened = sum(phrase.count(c) for c in "(（【[") - sum(phrase.count(c) for c in ")）】]")
    if opened > 0 and text[end : end + 1] in (")", "）", "】", "]"):
        phrase += text[end]
    return phrase


def parse_deadline(
    text: str, now: datetime, conventions: DeadlineConventions = DEFAULT
) -> datetime | None:
    """The instant of `read_deadline`, or None."""
    reading = read_deadline(text, now, conventions)
    return None if reading is None else reading.at
