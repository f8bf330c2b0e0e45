"""A digest only for a day with activity or something to list: a silent, empty day gets none,
so a replay's digests follow its messages, not the span of its calendar (one message dated 1970
among 2026 ones once wrote a digest for every working day between)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from tests.builders import CHAT, LEADER, LI, T0, Chat
from tests.digest_support import (
    MONDAY,
    chatter,
    digest_chat,
    digest_days,
    local,
    monday,
    outbox,
)
from tests.support import new_service
from tracker.services.tracker import REPLAYED

TUESDAY, WEDNESDAY, FRIDAY = (MONDAY + timedelta(days=n) for n in (1, 2, 4))
JAN_5_1970 = date(1970, 1, 5)  # a Monday


def minutes(at: datetime) -> float:
    """`at` as the test chat's builder counts: minutes after T0."""
    return (at - T0) / timedelta(minutes=1)


def replay(url, messages, until: datetime):
    """As `tracker replay` feeds a chat: every message in order, then the clock runs on."""
    service, engine = new_service(url, digest_chat(leaders=(LEADER,)), REPLAYED)
    for message in messages:
        service.handle_message(message)
    service.tick(until)
    return service, engine


def test_a_message_dated_1970_among_2026_ones_adds_one_digest_not_fifty_years(db_url):
    chat = Chat()
    old = chatter(chat, local(JAN_5_1970, 10), "早")
    _, engine = replay(db_url, [old, *monday(chat)], local(FRIDAY, 18, 1))

    # 1970-01-05 had a message; the 2026 week had messages on Monday and what they left open
    # (an unacknowledged task, a missed deadline) is listed every day after it
    thursday = MONDAY + timedelta(days=3)
    assert digest_days(engine) == [JAN_5_1970, MONDAY, TUESDAY, WEDNESDAY, thursday, FRIDAY]


def test_a_directive_dated_1970_is_listed_for_a_week_then_the_chat_is_quiet(db_url):
    chat = Chat()
    task = chat.msg(LEADER, "@lisi 把报表发我 #任务", minutes(local(JAN_5_1970, 10)))
    _, engine = replay(db_url, [task, *monday(chat)], local(MONDAY, 18, 1))

    days = digest_days(engine)
    # 李四 never acknowledged: the digest lists it from 1970-01-05 for `digest_max_age` (7
    # days) after the window closed, Monday to Friday; after that it is only counted, and a
    # count alone does not wake a dormant chat
    assert days == [date(1970, 1, d) for d in (5, 6, 7, 8, 9)] + [MONDAY]
    monday_text = next(r.text for r in outbox(engine, ("digest",)) if "11月23日" in r.text)
    assert "销售部-李四" in monday_text  # still owed in 2026, counted with the rest


def test_a_silent_empty_day_has_no_digest_a_day_with_a_message_has_one(db_url):
    chat = Chat()
    said = [chatter(chat, local(MONDAY, 10)), chatter(chat, local(WEDNESDAY, 10))]
    _, engine = replay(db_url, said, local(FRIDAY, 18, 1))

    assert digest_days(engine) == [MONDAY, WEDNESDAY]
    for row in outbox(engine, ("digest",)):  # the all clear, on the days something was said
        assert "无逾期事项，无罚款。" in row.text


def test_a_reaction_is_activity_too(db_url):
    service, engine = new_service(db_url, digest_chat(leaders=(LEADER,)))
    chat = Chat()
    service.handle_message(chatter(chat, local(MONDAY, 10)))
    service.tick(local(MONDAY, 18, 1))
    service.handle_reactions([chat.reaction(LI, 1, "👍", minutes(local(TUESDAY, 10)))])
    service.tick(local(WEDNESDAY, 18, 1))

    assert digest_days(engine) == [MONDAY, TUESDAY]


def test_after_a_restart_a_message_since_the_last_digest_still_earns_one(db_url):
    service, engine = new_service(db_url, digest_chat(leaders=(LEADER,)))
    chat = Chat()
    service.handle_message(chatter(chat, local(MONDAY, 10)))
    engine.dispose()

    service, engine = new_service(db_url, digest_chat(leaders=(LEADER,)))  # a new process
    service.chat(CHAT)
    service.tick(local(TUESDAY, 18, 1))

    assert digest_days(engine) == [MONDAY]  # Tuesday was silent


def test_a_dormant_chat_costs_one_step_per_tick_not_one_per_day(db_url):
    """Ten years of silence after one message: the service passes over them at once."""
    service, engine = new_service(db_url, digest_chat(leaders=(LEADER,)))
    chat = Chat()
    service.handle_message(chatter(chat, local(MONDAY, 10)))
    later = local(date(2036, 11, 24), 10)  # a Monday
    service.handle_message(chatter(chat, later))
    service.tick(later + timedelta(days=1))

    assert digest_days(engine) == [MONDAY, date(2036, 11, 24)]


def test_the_week_s_first_digest_carries_the_chart_when_monday_was_silent(db_url):
    service, engine = new_service(db_url, digest_chat(leaders=(LEADER,)))
    chat = Chat()
    for message in monday(chat, days=-7):  # last week: the 16th, with its acks
        service.handle_message(message)
    service.tick(local(MONDAY, 18, 1))  # this Monday: nothing said, nothing listed any more
    service.handle_message(chatter(chat, local(TUESDAY, 10)))
    service.tick(local(TUESDAY, 18, 1))

    assert MONDAY not in digest_days(engine) and TUESDAY in digest_days(engine)
    charts = [r.dedupe_key for r in outbox(engine, ("chart",))]
    assert f"digest:{CHAT}:{TUESDAY.isoformat()}:chart" in charts
