"""The conduct rule core alone: each detector, the warnings ledger's counting, the config table.
No database, no clock: times come in."""

from __future__ import annotations

import tomllib
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracker.config.loading import parse_config
from tracker.domain.conduct.detect import Memory, check
from tracker.domain.conduct.removals import KEPT, LAPSED, PENDING, REMOVED, Removal, press
from tracker.domain.conduct.settings import OFF, WARN, ConductRules
from tracker.domain.conduct.warnings import WarnBook, WarnEntry
from tracker.errors import TrackerError

ZONE = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
ALL_ON = ConductRules(rate=WARN, link=WARN, blocklist=WARN, blocked_words=("赌球",), hours=WARN)


def run(rules: ConductRules, texts: list[str], user: int = 7, step=timedelta(seconds=30)):
    memory = Memory()
    return [check(rules, memory, user, text, T0 + i * step, ZONE) for i, text in enumerate(texts)]


def rules_of(found) -> list[str | None]:
    return [None if b is None else b.rule for b in found]


def test_the_same_text_three_times_in_a_row_is_a_flood_once_per_three():
    found = run(ConductRules(), ["老板看这个"] * 7)
    assert rules_of(found) == [None, None, "flood", None, None, "flood", None]
    assert found[2].words == "老板看这个 ×3"


def test_spacing_and_punctuation_do_not_hide_a_repeat_and_other_text_breaks_the_run():
    assert rules_of(run(ConductRules(), ["在吗", "在吗？", "在 吗！！"]))[-1] == "flood"
    assert rules_of(run(ConductRules(), ["在吗", "在吗", "好", "在吗"])) == [None] * 4


def test_acknowledging_three_directives_in_a_row_is_no_flood():
    assert rules_of(run(ConductRules(), ["收到", "收到", "收到", "1", "1", "1"])) == [None] * 6


def test_each_member_has_a_run_of_their_own():
    memory, rules = Memory(), ConductRules()
    seen = [check(rules, memory, user, "看群公告", T0, ZONE) for user in (1, 2, 1, 2, 1)]
    assert rules_of(seen) == [None, None, None, None, "flood"]


def test_a_burst_of_messages_warns_once_per_burst():
    rules = ConductRules(rate=WARN, rate_messages=5, rate_window=timedelta(minutes=1))
    texts = [f"第{i}条" for i in range(12)]
    fast = run(rules, texts, step=timedelta(seconds=5))
    assert rules_of(fast).count("rate") == 2  # messages 5 and 10
    slow = run(rules, texts, step=timedelta(seconds=20))
    assert rules_of(slow).count("rate") == 0


@pytest.mark.parametrize(
    "text",
    [
        "加我微信 abc12345 低价代购名牌包",
        "兼职刷单日赚300，私信我",
        "点击链接 http://x.top/a 免费领取红包",
        "招代理，电话 138 1234 5678",
    ],
)
def test_selling_with_a_contact_a_link_or_a_scam_word_is_an_ad(text):
    (found,) = run(ConductRules(), [text])
    assert found is not None and found.rule == "ad"


@pytest.mark.parametrize(
    "text",
    [
        "客户电话13812345678，下午回访",
        "兼职的同事请到前台领取工牌",
        "这周的促销方案我改好了",
        "投资部的报告已经发邮箱",
    ],
)
def test_work_talk_with_one_selling_word_is_no_ad(text):
    assert run(ConductRules(), [text]) == [None]


def test_links_are_off_until_configured_then_an_allowlist_keeps_company_links():
    text = "看这个 https://www.example.com/a?b=1"
    assert run(ConductRules(), [text]) == [None]
    (found,) = run(ConductRules(link=WARN), [text])
    assert (found.rule, found.words) == ("link", "https://www.example.com/a?b=1")
    allowed = ConductRules(link=WARN, link_allow=("example.com",))
    assert run(allowed, [text, "docs.example.com/x", "报价 3.5 万", "张三.李四"]) == [None] * 4
    assert rules_of(run(allowed, ["去 t.me/somegroup 看"])) == ["link"]


def test_a_banned_word_is_found_through_spaces_and_case():
    (found,) = run(ALL_ON, ["今晚一起 赌 球"])
    assert (found.rule, found.words) == ("blocklist", "赌球")


def test_a_repeat_long_after_the_last_starts_a_new_run():
    spaced = run(ConductRules(), ["日报已发"] * 3, step=timedelta(minutes=11))
    assert spaced == [None] * 3


def test_posting_after_hours_warns_once_a_night_per_member():
    rules = ConductRules(hours=WARN, open_hours=(time(8, 0), time(22, 0)))
    memory = Memory()
    night = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)  # 23:30 Shanghai
    at = [
        night,
        night + timedelta(hours=1),
        night + timedelta(hours=7),
        night + timedelta(hours=9),
    ]
    found = [check(rules, memory, 7, "明天的会几点", t, ZONE) for t in at]
    assert rules_of(found) == ["hours", None, None, None]  # 23:30, 00:30, 06:30, 08:30
    next_night = check(rules, memory, 7, "还在吗", night + timedelta(days=1), ZONE)
    assert next_night is not None and next_night.words == "23:30"


def test_rules_set_off_find_nothing():
    off = ConductRules(flood=OFF, ad=OFF)
    assert run(off, ["加我微信 abc12345 低价代购"] * 3) == [None] * 3


def entry(message_id: int, at: datetime, rule="flood") -> WarnEntry:
    return WarnEntry(-1, 7, "张三", rule, message_id, at, None, "x")


def test_a_warning_counts_once_and_until_revoked_or_expired():
    book = WarnBook()
    assert book.add(entry(1, T0)) and not book.add(entry(1, T0))  # the same evidence
    assert book.add(entry(1, T0, rule="ad"))  # another rule on the same message
    assert len(book.counting(7, T0, None)) == 2
    revoked = book.revoke_latest(7, 1001, T0 + timedelta(hours=1), None)
    assert revoked is not None and revoked.rule == "ad"
    assert len(book.counting(7, T0 + timedelta(hours=2), None)) == 1
    assert len(book.counting(7, T0 + timedelta(days=31), timedelta(days=30))) == 0


@given(st.lists(st.sampled_from(["a", "b", "收到"]), max_size=40), st.integers(2, 5))
def test_flood_warnings_fall_exactly_at_each_multiple_of_a_run(texts, repeat):
    found = run(ConductRules(flood_repeat=repeat), texts)
    run_length, expected = 0, []
    for i, text in enumerate(texts):
        repeated = i and texts[i - 1] == text
        run_length = 0 if text == "收到" else run_length + 1 if repeated else 1
        expected.append("flood" if run_length and run_length % repeat == 0 else None)
    assert rules_of(found) == expected


@given(st.lists(st.tuples(st.integers(1, 6), st.integers(0, 3)), max_size=60))
def test_the_ledger_never_counts_a_warning_twice(adds):
    book, seen = WarnBook(), set()
    for message_id, rule in adds:
        new = book.add(entry(message_id, T0, rule=("flood", "ad", "link", "manual")[rule]))
        assert new == ((message_id, rule) not in seen)
        seen.add((message_id, rule))
    assert len(book.counting(7, T0, None)) == len(seen)


def config(conduct: str) -> ConductRules:
    text = f'[[chats]]\nid = -1001\nname = "x"\nleaders = [1]\n[chats.conduct]\n{conduct}\n'
    return parse_config(tomllib.loads(text), "t.toml").find_chat(-1001).rules.conduct


def test_naming_words_domains_or_hours_turns_their_rule_on_unless_told():
    assert config('blocked_words = ["赌球"]').blocklist == WARN
    assert config('blocked_words = ["赌球"]\nblocklist = "off"').blocklist == OFF
    assert config('link_allow = ["www.Corp.cn"]').link_allow == ("corp.cn",)
    assert config('open_hours = ["07:30", "21:00"]').hours == WARN
    assert config('warn_expiry = "never"').warn_expiry is None
    assert config('warn_expiry = "30d"').warn_expiry == timedelta(days=30)
    assert replace(config("warn_limit = 5"), warn_limit=3) == ConductRules()


@pytest.mark.parametrize(
    ("line", "says"),
    [
        (
            'flood = "kick"',
            'flood: expected one of "off", "warn", "delete", "mute", "fine", got "kick"',
        ),
        ("flood_repeat = 1", "chats[0].conduct.flood_repeat: expected a whole number from 2"),
        ("spam = 1", "chats[0].conduct.spam: unknown key"),
    ],
)
def test_a_wrong_conduct_key_names_itself(line, says):
    with pytest.raises(TrackerError) as error:
        config(line)
    assert says in str(error.value)


def proposal(needed: int) -> Removal:
    return Removal(-1, 9, 7, "张三", T0, "flood,ad", needed)


def test_a_removal_needs_as_many_leaders_as_the_chat_asks_and_lapses_unanswered():
    lapse = T0 + timedelta(hours=24)
    outcome, once = press(proposal(2), 1, True, T0, lapse)
    assert (outcome, once.status, once.confirmed_by) == ("ok", PENDING, (1,))
    assert press(once, 1, True, T0, lapse)[0] == "twice"
    outcome, done = press(once, 2, True, T0, lapse)
    assert (done.status, done.confirmed_by, done.decided_at) == (REMOVED, (1, 2), T0)
    assert press(done, 3, False, T0, lapse) == ("already", done)
    assert press(proposal(1), 1, False, T0, lapse)[1].status == KEPT
    late = press(proposal(1), 1, True, lapse, lapse)
    assert (late[0], late[1].status) == ("lapsed", LAPSED)


@given(st.lists(st.tuples(st.integers(1, 4), st.booleans()), max_size=12), st.integers(1, 3))
def test_a_removal_is_decided_once_whatever_the_presses(presses, needed):
    removal, decided = proposal(needed), 0
    for by, remove in presses:
        before = removal
        _, removal = press(removal, by, remove, T0, T0 + timedelta(hours=1))
        decided += before.status == PENDING and removal.status != PENDING
    assert decided == (removal.status != PENDING)
    if removal.status == REMOVED:
        assert len(set(removal.confirmed_by)) == needed
