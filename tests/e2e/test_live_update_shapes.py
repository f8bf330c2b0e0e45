"""Update shapes of real groups, live through the real PTB Application and the fake Bot API: an
administrator posting anonymously (the message's `sender_chat` is the group itself, `from` is
GroupAnonymousBot) is a leader when the chat says so, a channel's post forwarded into the group
never is; in a forum topic, where every message "replies" to the topic's first one, a bare
收到 still acknowledges."""

from __future__ import annotations

import asyncio
import copy

from sqlalchemy import select

from tests.live_support import CHAT, CONFIG, LEADER, LI, ZHANG, Running  # noqa: F401
from tracker.adapters.db import orm

CHANNEL = -1001555000999  # a channel whose posts come into its linked discussion group


def fined_and_acked(engine) -> tuple[list[int], list[int]]:
    """Who was fined, and who has acknowledged."""
    with engine.connect() as conn:
        fined = conn.execute(select(orm.Fine.user_id)).scalars().all()
        acked = conn.execute(
            select(orm.Assignment.user_id).where(orm.Assignment.acked_at.is_not(None))
        )
        return fined, acked.scalars().all()


def basic_group(fake, chat_id: int) -> dict:
    """The sales group's config for a basic group `chat_id`, which the fake now holds."""
    fake.add_chat(chat_id, "小组", type="group", admins=[fake.users[LEADER]])
    return {
        "defaults": CONFIG["defaults"],
        "chats": [CONFIG["chats"][0] | {"id": chat_id, "name": "小组"}],
    }


def directives(engine) -> list[tuple[int, int]]:
    with engine.connect() as conn:
        rows = conn.execute(select(orm.Directive.message_id, orm.Directive.author_id)).all()
    return [tuple(r) for r in rows]


async def test_an_anonymous_administrators_task_is_a_leaders_and_its_author_is_told_via_leaders(
    fake, sqlite_url
):
    async with Running(fake, sqlite_url) as running:
        task = fake.push_message(
            CHAT, LEADER, "#任务 @zhangsan 把报表发我", sender_chat=CHAT, author_signature="王总"
        )["message"]
        fake.push_message(CHAT, LEADER, "#任务 @lisi 转发的频道消息", sender_chat=CHANNEL)
        await fake.wait_for(lambda f: any("罚款" in t for t in f.sent_texts(CHAT)), 15)
        await fake.wait_for(lambda f: f.sent_texts(LEADER), 5)
        engine = running.live.service.store.engine
        assert directives(engine) == [(task["message_id"], CHAT)]
        with engine.connect() as conn:
            fined = conn.execute(select(orm.Fine.user_id)).scalars().all()
            learned = conn.execute(select(orm.Member.user_id)).scalars().all()
    assert fined == [ZHANG]
    assert CHAT not in learned  # the group is no member: a notice to everyone skips it
    assert any("把报表发我" in t for t in fake.sent_texts(LEADER))  # the leader notice


async def test_anonymous_posts_count_for_nothing_when_the_chat_says_so(fake, sqlite_url):
    config = copy.deepcopy(CONFIG)
    config["defaults"]["anonymous_admins_lead"] = False
    async with Running(fake, sqlite_url, config) as running:
        fake.push_message(CHAT, LEADER, "#任务 @zhangsan 把报表发我", sender_chat=CHAT)
        fake.push_message(CHAT, LEADER, "@zhangsan 把合同发我 #任务")
        await fake.wait_for(lambda f: any("罚款" in t for t in f.sent_texts(CHAT)), 15)
        await asyncio.sleep(0.5)
        engine = running.live.service.store.engine
        assert [author for _, author in directives(engine)] == [LEADER]


async def test_a_bare_ack_in_a_forum_topic_is_no_reply_to_the_topic(fake, sqlite_url):
    async with Running(fake, sqlite_url) as running:
        topic = fake.create_topic(CHAT, LEADER, "本周任务")["message"]["message_id"]
        await asyncio.sleep(0.3)
        fake.push_message(CHAT, LEADER, "@zhangsan @lisi 把报表发我 #任务", topic=topic)
        await asyncio.sleep(0.5)
        fake.push_message(CHAT, ZHANG, "收到", topic=topic)
        await fake.wait_for(lambda f: any("罚款" in t for t in f.sent_texts(CHAT)), 15)
        engine = running.live.service.store.engine
        fined, acked = fined_and_acked(engine)
    assert (fined, acked) == ([LI], [ZHANG])


async def test_an_edited_directive_adds_a_member_once_and_an_edited_reply_is_read_again(
    fake, sqlite_url
):
    async with Running(fake, sqlite_url) as running:
        task = fake.push_message(CHAT, LEADER, "@zhangsan 把报表发我 #任务")["message"]
        await asyncio.sleep(0.3)
        asked = fake.push_message(CHAT, ZHANG, "发哪里？", reply_to=task)["message"]
        await asyncio.sleep(0.3)
        fake.push_edited_message(CHAT, asked["message_id"], "收到，发您邮箱")
        fake.push_edited_message(CHAT, task["message_id"], "@zhangsan @lisi 把报表发我 #任务")
        await fake.wait_for(lambda f: any("任务已修改" in t for t in f.sent_texts(CHAT)), 10)
        fake.push_message(CHAT, LI, "收到", reply_to=task)
        await asyncio.sleep(7)  # past both windows
        engine = running.live.service.store.engine
        fines, acked = fined_and_acked(engine)
    (notice,) = [t for t in fake.sent_texts(CHAT) if "任务已修改" in t]
    assert "新增 销售部-李四" in notice
    assert (fines, sorted(acked)) == ([], [ZHANG, LI])
    assert any("李四" in e["text"] for e in fake.edits(CHAT))  # the board shows the new member


async def test_a_command_addressed_to_this_bot_is_answered_and_one_to_another_bot_is_not(
    fake, sqlite_url
):
    async with Running(fake, sqlite_url):
        ours = fake.push_message(CHAT, ZHANG, "/status@tracker_test_bot")["message"]
        theirs = fake.push_message(CHAT, ZHANG, "/status@some_other_bot")["message"]
        await fake.wait_for(
            lambda f: any(
                m.get("reply_parameters", {}).get("message_id") == ours["message_id"]
                for m in f.sent(CHAT)
            ),
            10,
        )
        await asyncio.sleep(1)
    answered = {m.get("reply_parameters", {}).get("message_id") for m in fake.sent(CHAT)}
    assert ours["message_id"] in answered and theirs["message_id"] not in answered


async def test_an_upgrade_seen_only_in_the_supergroup_from_the_anonymous_bot_moves_the_chat(
    fake, sqlite_url
):
    basic, super_id = -4002, -1004002
    config = basic_group(fake, basic)
    async with Running(fake, sqlite_url, config) as running:
        fake.push_message(basic, LEADER, "@zhangsan @lisi 把报价单发我 #任务")
        await fake.wait_for(lambda f: any(t.startswith("📋") for t in f.sent_texts(basic)))
        fake.push_migrate(basic, super_id, old_side=False, anonymous=True)
        await asyncio.sleep(0.5)
        fake.push_message(super_id, ZHANG, "收到")
        await fake.wait_for(lambda f: any("罚款" in t for t in f.sent_texts(super_id)), 10)
        engine = running.live.service.store.engine
        with engine.connect() as conn:
            fined = conn.execute(select(orm.Fine.chat_id, orm.Fine.user_id)).all()
    assert [tuple(f) for f in fined] == [(super_id, LI)]


async def test_a_member_change_without_from_still_closes_the_leavers_work(fake, sqlite_url):
    async with Running(fake, sqlite_url) as running:
        fake.push_message(CHAT, LEADER, "@zhangsan @lisi 把报表发我 #任务")
        await fake.wait_for(lambda f: any(t.startswith("📋") for t in f.sent_texts(CHAT)))
        fake.push_chat_member(CHAT, ZHANG, "left", old_status="member", without_from=True)
        await fake.wait_for(lambda f: any("罚款" in t for t in f.sent_texts(CHAT)), 15)
        engine = running.live.service.store.engine
        with engine.connect() as conn:
            rows = conn.execute(select(orm.Assignment.user_id, orm.Assignment.status)).all()
            statuses = {user: status for user, status in rows}
            fined = conn.execute(select(orm.Fine.user_id)).scalars().all()
    assert statuses == {ZHANG: "left", LI: "overdue"} and fined == [LI]


async def test_a_text_mention_of_a_member_without_a_username_assigns_them(fake, sqlite_url):
    name, rest = "销售部-李四", " 把报表发我 #任务"
    text = name + rest
    units = len(name.encode("utf-16-le")) // 2
    tag = (len(text.encode("utf-16-le")) - len("#任务".encode("utf-16-le"))) // 2
    entities = [
        {"type": "text_mention", "offset": 0, "length": units, "user": fake.users[LI]},
        {"type": "hashtag", "offset": tag, "length": 3},
    ]
    async with Running(fake, sqlite_url) as running:
        fake.push_message(CHAT, LEADER, text, entities=entities)
        await fake.wait_for(lambda f: any(t.startswith("📋") for t in f.sent_texts(CHAT)))
        engine = running.live.service.store.engine
        with engine.connect() as conn:
            assigned = conn.execute(select(orm.Assignment.user_id)).scalars().all()
    assert assigned == [LI]


async def test_a_basic_group_whose_id_is_beyond_32_bits_is_served(fake, sqlite_url):
    big = -5_000_000_001  # basic groups now go past 2**32
    config = basic_group(fake, big)
    async with Running(fake, sqlite_url, config):
        fake.push_message(big, LEADER, "@zhangsan 把报表发我 #任务")
        await fake.wait_for(lambda f: any("罚款" in t for t in f.sent_texts(big)), 15)
    assert any(t.startswith("📋") for t in fake.sent_texts(big))
