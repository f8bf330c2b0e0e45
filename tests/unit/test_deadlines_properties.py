"""Properties of the deadline reader on arbitrary text: it never raises, never answers with a
naive time or one before the message, and ignores @mentions, links and phone numbers."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.domain.deadlines.patterns import MASTER, TRIGGER
from tracker.domain.deadlines.reader import parse_deadline, read_deadline
from tracker.domain.deadlines.text import NOISE, NOISE_START, scan

ZONES = [ZoneInfo(name) for name in ("Asia/Shanghai", "UTC", "Europe/Berlin", "America/New_York")]
WORDS = (
    "今天 明天 后天 大后天 今晚 明早 昨天 前天 上周五 下周 下下周三 本周 这周五 周五 星期天 "
    "礼拜三 "
    "每周一 每天 上午 中午 下午 晚上 凌晨 早上 一上班 下班 前 之前 以前 内 以内 之内 后 以后 起 "
    "截止 截至 截止到 不晚于 最晚 ddl 为止 到 至 点 时 分 半 一刻 三刻 整 钟 号 日 月 年 底 "
    "月底 年底 年内 个 小时 分钟 天 周 工作日 半小时 一 二 两 三 四 五 六 七 八 九 十 十二 二十 "
    "零 〇 0 1 2 3 5 9 10 12 15 24 25 30 31 48 99 2026 : / . - 开会 放假 再说 要求 会议室 元 % "
    "第 v 交 的 ， 。 （ ） 马上 尽快"
)
FRAGMENTS = WORDS.split()
messages = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join),
)
nows = st.builds(
    lambda moment, zone: moment.replace(tzinfo=zone),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 12, 31)),
    st.sampled_from(ZONES),
)
# Every character the patterns spell out, and a few separators: text built from these reaches
# every alternative of the token and noise patterns.
PATTERN_CHARS = sorted(
    {c for p in (MASTER.pattern, NOISE.pattern) for c in p if c.isalnum() and ord(c) < 0x10000}
    | set(" :/.-~@#%¥$")
)
noise = st.one_of(
    st.from_regex(r"@[a-z][a-z0-9_]{2,15}", fullmatch=True),
    st.from_regex(r"https://example\.com/[a-z0-9/]{0,20}", fullmatch=True),
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
)


@settings(max_examples=400, deadline=None)
@given(messages, nows)
def test_any_text_reads_as_none_or_an_aware_time_not_before_now(text: str, now: datetime) -> None:
    reading = read_deadline(text, now)
    if reading is not None:
        assert reading.at.tzinfo is not None
        assert reading.at >= now
        assert reading.phrase in text
    assert parse_deadline(text, now) == (None if reading is None else reading.at)


@settings(max_examples=300, deadline=None)
@given(messages, nows, noise, st.booleans())
def test_a_mention_link_or_phone_number_never_changes_the_reading(
    text: str, now: datetime, extra: str, in_front: bool
) -> None:
    noisy = f"{extra} {text}" if in_front else f"{text} {extra}"
    plain, padded = read_deadline(text, now), read_deadline(noisy, now)
    assert (plain and plain.at) == (padded and padded.at)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=PATTERN_CHARS, max_size=14))
def test_the_quick_scan_finds_what_a_full_scan_finds(text: str) -> None:
    for pattern, start in ((MASTER, TRIGGER), (NOISE, NOISE_START)):
        assert [m.span() for m in scan(pattern, start, text)] == [
            m.span() for m in pattern.finditer(text)
        ]
