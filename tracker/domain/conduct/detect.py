"""Which conduct rule a message breaks, if any, and the words or link that show it.

`Memory` holds what a chat's rules must remember between messages: each member's run of the
same text, their recent message times, the closed-hours nights already warned. One message
breaks at most one rule (the most specific first: a banned word, an ad, a link, a flood, a
burst, the hours); every message still moves the counters.
"""

from __future__ import annotations

import functools
import re
from collections import deque
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from tracker.domain.conduct import patterns as p
from tracker.domain.conduct.settings import (
    AD,
    BLOCKLIST,
    FLOOD,
    HOURS,
    LINK,
    OFF,
    RATE,
    ConductRules,
)
from tracker.domain.replies import acks

_NOISE = re.compile(r"[\s\W_]+")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Breach:
    rule: str
    words: str  # what shows it: the banned word, the link, the repeated text


@dataclass
class Memory:
    # user -> (text, how many in a row, when last)
    runs: dict[int, tuple[str, int, datetime]] = field(default_factory=dict)
    recent: dict[int, deque[datetime]] = field(default_factory=dict)
    nights_warned: dict[int, date] = field(default_factory=dict)


def check(
    rules: ConductRules, memory: Memory, user_id: int, text: str, at: datetime, zone: ZoneInfo
) -> Breach | None:
    """The rule the message breaks; counts it either way. `text` is what the member posted
    (a sticker's emoji when it has no text)."""
    compact = _compact(text)
    found = [
        _banned(rules, compact),
        _ad(rules, text, compact),
        _link(rules, text),
        _flood(rules, memory, user_id, text, at),
        _burst(rules, memory, user_id, at),
        _closed(rules, memory, user_id, at, zone),
    ]
    return next((breach for breach in found if breach is not None), None)


def _compact(text: str) -> str:
    return _SPACES.sub("", text.lower())  # 刷 单 is 刷单


@functools.cache
def _compacted(words: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((w, _compact(w)) for w in words)


def _banned(rules: ConductRules, compact: str) -> Breach | None:
    if rules.blocklist == OFF:
        return None
    word = next((w for w, c in _compacted(rules.blocked_words) if c in compact), None)
    return None if word is None else Breach(BLOCKLIST, word)


def _ad(rules: ConductRules, text: str, compact: str) -> Breach | None:
    if rules.ad == OFF:
        return None
    words = p.AD_FIND.findall(compact)
    words += [w for w, c in _compacted(rules.ad_words) if c in compact]
    if not words:
        return None
    reach = p.CONTACT.search(text) or p.LINK.search(text)
    if reach is not None:
        return Breach(AD, _span(text, words[0], reach))
    scam = next((w for w in words if w in p.SCAM_WORDS), None)
    other = next((w for w in words if w != scam and w not in (scam or "")), None)
    if scam is not None and other is not None:
        return Breach(AD, f"{scam} {other}")
    return None


def _span(text: str, word: str, reach: re.Match) -> str:
    """The words that show an ad: from the selling word to the contact or link, as written."""
    at = text.lower().find(word.lower())
    if at < 0:
        return f"{word} {reach[0].strip()}"
    start, end = min(at, reach.start()), max(at + len(word), reach.end())
    return text[start:end].strip()[:60]


def _link(rules: ConductRules, text: str) -> Breach | None:
    if rules.link == OFF or ("." not in text and "/" not in text):
        return None
    for m in p.LINK.finditer(text):
        if not p.allowed(p.host(m[0]), rules.link_allow):
            return Breach(LINK, m[0])
    return None


def _flood(
    rules: ConductRules, memory: Memory, user_id: int, text: str, at: datetime
) -> Breach | None:
    """The same text `flood_repeat` times in a row, each within `flood_window` of the last (and
    again at twice as many…). An acknowledgement is not counted: 收到 to three directives in a
    row is the rule obeyed."""
    if rules.flood == OFF:
        return None
    same = _NOISE.sub("", text.lower()) or text.strip()
    if not same:
        memory.runs.pop(user_id, None)
        return None
    last, count, when = memory.runs.get(user_id, ("", 0, at))
    count = count + 1 if same == last and at - when <= rules.flood_window else 1
    memory.runs[user_id] = (same, count, at)
    if count % rules.flood_repeat or acks.is_ack(text):  # read only when it would count
        return None
    return Breach(FLOOD, f"{text.strip()[:20]} ×{count}")


def _burst(rules: ConductRules, memory: Memory, user_id: int, at: datetime) -> Breach | None:
    if rules.rate == OFF:
        return None
    times = memory.recent.setdefault(user_id, deque())
    times.append(at)
    while times and at - times[0] >= rules.rate_window:
        times.popleft()
    if len(times) < rules.rate_messages:
        return None
    times.clear()  # the next warning needs a burst of its own
    seconds = int(rules.rate_window.total_seconds())
    return Breach(RATE, f"{rules.rate_messages}/{seconds}s")


def _closed(
    rules: ConductRules, memory: Memory, user_id: int, at: datetime, zone: ZoneInfo
) -> Breach | None:
    """A post outside the chat's posting hours; once per member and closed night."""
    if rules.hours == OFF:
        return None
    local = at.astimezone(zone)
    opens, closes = rules.open_hours
    now = local.time()
    inside = opens <= now < closes if opens < closes else now >= opens or now < closes
    if inside:
        return None
    night = local.date() - timedelta(days=1) if now < closes or now < opens else local.date()
    if memory.nights_warned.get(user_id) == night:
        return None
    memory.nights_warned[user_id] = night
    return Breach(HOURS, local.strftime("%H:%M"))
