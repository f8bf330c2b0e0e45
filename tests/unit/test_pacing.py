"""Telegram's limits where messages leave: a group over its limit waits alone; the bot-wide
limit holds everyone; a 429 holds only its chat."""

from __future__ import annotations

from tracker.adapters.telegram.pacing import MARGIN, Limit, Pacer

GROUP, OTHER, PERSON = -1001, -1002, 42


def test_a_group_may_send_its_limit_at_once_then_waits_for_the_oldest_to_age_out():
    pacer = Pacer(group=Limit(3, 60.0), bot=Limit(100, 1.0))
    for t in (0.0, 1.0, 2.0):
        assert pacer.ready_at(GROUP, t) == t
        pacer.sent(GROUP, t)
    # the first send leaves the window at 60 (and a margin: calls may arrive bunched)
    assert pacer.ready_at(GROUP, 2.5) == 60.0 + MARGIN
    assert pacer.ready_at(OTHER, 2.5) == 2.5  # another group is not held
    pacer.sent(GROUP, 60.0 + MARGIN)
    assert pacer.ready_at(GROUP, 60.0 + MARGIN) == 61.0 + MARGIN


def test_private_chats_have_their_own_limit():
    pacer = Pacer(group=Limit(20, 60.0), private=Limit(1, 1.0), bot=Limit(100, 1.0))
    pacer.sent(PERSON, 10.0)
    assert pacer.ready_at(PERSON, 10.2) == 11.0 + MARGIN
    pacer.sent(GROUP, 10.0)
    assert pacer.ready_at(GROUP, 10.2) == 10.2


def test_the_bot_wide_limit_holds_every_chat():
    pacer = Pacer(group=Limit(20, 60.0), bot=Limit(2, 1.0))
    pacer.sent(GROUP, 5.0)
    pacer.sent(OTHER, 5.5)
    assert pacer.ready_at(-1003, 5.6) == 6.0 + MARGIN
    later = 6.0 + MARGIN  # the send at 5.0 has left the window
    assert pacer.ready_at(-1003, later) == later
    pacer.sent(-1003, later)
    assert pacer.ready_at(GROUP, later) == 6.5 + MARGIN


def test_a_429_holds_its_chat_only_and_never_shortens_a_hold():
    pacer = Pacer()
    pacer.hold(GROUP, 30.0)
    pacer.hold(GROUP, 20.0)
    assert pacer.ready_at(GROUP, 1.0) == 30.0
    assert pacer.ready_at(OTHER, 1.0) == 1.0


def test_idle_chats_are_forgotten_busy_or_held_ones_kept():
    pacer = Pacer(group=Limit(20, 60.0))
    pacer.sent(GROUP, 0.0)
    pacer.hold(OTHER, 100.0)
    pacer.sent(-1003, 0.0)
    # GROUP's and -1003's sends have aged out; OTHER is still held
    pacer.forget_idle(61.0 + MARGIN)
    assert set(pacer._chats) == {OTHER}
