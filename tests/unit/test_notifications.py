"""What the bot says: reminders due together in one chat become one message; fines are
announced once per directive and rule; leaders are told privately."""

from __future__ import annotations

from datetime import timedelta

from tests.builders import LEADER, LI, T0, ZHANG, Chat, FixedDeadlines, settings
from tracker.domain.chat_state import ChatState
from tracker.domain.engine import Engine
from tracker.services.notifications import KEY_LIMIT, Notifier, bounded_key


def run(script) -> list[dict]:
    engine = Engine(FixedDeadlines())
    state = ChatState.fresh(settings())
    engine.add_chat(state)
    rows: list[dict] = []
    notifier = Notifier(engine.chats, rows.append, "pending", status_boards=False)
    chat = Chat()
    for sender, text, minute in script:
        message = chat.msg(sender, text, minute)
        notifier.on_events(engine.tick(message.at), message.at)
        notifier.on_events(engine.handle_message(state, message), message.at)
    notifier.on_events(engine.tick(T0 + timedelta(hours=2)), None)
    return rows


def test_reminders_due_together_in_one_chat_are_one_message():
    rows = run(
        [
            (LEADER, "@zhangsan 把报价单发我 #任务", 0),
            (LEADER, "@lisi 把合同发我 #任务", 0),
        ]
    )
    chat_reminders = [r for r in rows if r["kind"] == "reminder"]
    assert len(chat_reminders) == 2  # at +10 and +20 minutes, each covering both directives
    first = chat_reminders[0]
    assert "把报价单发我" in first["text"] and "把合同发我" in first["text"]
    assert first["mention_user_ids"] == f"{ZHANG},{LI}" and first["reply_to_message_id"] is None


def test_many_reminders_due_together_keep_a_key_that_fits_the_outbox_column():
    """A busy chat: twelve directives at one instant join their steps into one key, longer than
    outbox.dedupe_key holds (PostgreSQL refused it in a million-message replay)."""
    script = [(LEADER, f"@zhangsan 任务{i} #任务", 0) for i in range(12)]
    rows = [r for r in run(script) if r["kind"] == "reminder"]
    again = [r for r in run(script) if r["kind"] == "reminder"]
    keys = [r["dedupe_key"] for r in rows]
    assert len(keys) == 2 and all(len(k) == KEY_LIMIT for k in keys)
    assert keys == [r["dedupe_key"] for r in again] and keys[0] != keys[1]
    assert (
        keys[0].startswith("reminders:") and bounded_key("reminder:1:2:10m") == "reminder:1:2:10m"
    )


def test_a_lone_reminder_replies_to_its_directive():
    rows = run([(LEADER, "@zhangsan 把报价单发我 #任务", 0)])
    first = next(r for r in rows if r["kind"] == "reminder")
    assert first["reply_to_message_id"] == 1 and "销售部-张三" in first["text"]


def test_fines_of_one_directive_are_announced_once_and_leaders_told_privately():
    rows = run([(LEADER, "@zhangsan @lisi 把报价单发我 #任务", 0)])
    fines = [r for r in rows if r["kind"] == "fine_no_ack"]
    assert len(fines) == 1
    assert "销售部-张三、销售部-李四" in fines[0]["text"] and "100.00元" in fines[0]["text"]
    (told,) = [r for r in rows if r["kind"] == "leader_notice"]
    assert told["target_chat_id"] == LEADER
    assert len({r["dedupe_key"] for r in rows}) == len(rows)
