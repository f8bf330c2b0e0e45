"""A reply the bot is unsure of (待确认), live: the board asks the leader, whose 算作收到 / 不算
buttons decide; 不算 books the fine once, and /why names the reply and the leader. The real PTB
Application against the fake Bot API, a real SQLite file."""

from __future__ import annotations

from tests.live_support import CHAT, LEADER, LI, ZHANG, Running, fines
from tracker.adapters.db import orm
from tracker.adapters.db.engine import make_engine


def board_message(fake) -> dict:
    return next(
        c.result
        for c in fake.calls
        if c.method == "sendMessage" and c.outcome == "ok" and c.result["text"].startswith("📋")
    )


def keyboard_of_last_edit(fake) -> list[list[dict]]:
    return fake.edits(CHAT)[-1].get("reply_markup", {}).get("inline_keyboard", [])


def answers(fake) -> list[str]:
    return [c.params.get("text") for c in fake.calls if c.method == "answerCallbackQuery"]


async def test_the_leader_rules_on_unclear_replies_with_the_board_buttons(fake, sqlite_url):
    async with Running(fake, sqlite_url):
        directive = fake.push_message(CHAT, LEADER, "@zhangsan @lisi 下午把合同带过来 #任务")
        await fake.wait_for(lambda f: any(m["text"].startswith("📋") for m in f.sent(CHAT)))
        fake.push_message(CHAT, ZHANG, "合同在老王那边放着", reply_to=directive["message"])
        fake.push_message(CHAT, LI, "上次那份合同是老版本", reply_to=directive["message"])
        await fake.wait_for(
            lambda f: any(
                "❓ 销售部-张三：‘合同在老王那边放着’" in e["text"]
                and "❓ 销售部-李四" in e["text"]
                for e in f.edits(CHAT)
            )
        )
        rows = keyboard_of_last_edit(fake)
        assert [b["text"] for b in rows[0]] == ["收到"]
        labels = [[b["text"] for b in row] for row in rows[1:]]
        assert labels == [
            ["算作收到·销售部-张三", "不算·销售部-张三"],
            ["算作收到·销售部-李四", "不算·销售部-李四"],
        ]
        zhang_no = rows[1][1]["callback_data"]
        li_no = rows[2][1]["callback_data"]
        board = board_message(fake)

        fake.push_callback_query(ZHANG, board, zhang_no)  # a member may not rule
        fake.push_callback_query(LEADER, board, zhang_no)  # inside the window: ack again
        fake.push_callback_query(LEADER, board, zhang_no)  # twice: already ruled
        await fake.wait_for(lambda f: len(answers(f)) == 3)
        assert answers(fake) == [
            "只有本群负责人可以判定。",
            "已记录：不算收到。",
            "这条回复已经判定过了。",
        ]
        await fake.wait_for(lambda f: any("不算收到，请在" in t for t in f.sent_texts(CHAT)))

        # after the window: 不算 books 李四's fine at the ruling, with its own announcement
        await fake.wait_for(lambda f: any("各记罚款" in t for t in f.sent_texts(CHAT)), 10)
        fake.push_callback_query(LEADER, board, li_no)
        await fake.wait_for(lambda f: any("判定 销售部-李四" in t for t in f.sent_texts(CHAT)))
        notice = next(
            c.result
            for c in fake.calls
            if c.method == "sendMessage"
            and c.outcome == "ok"
            and "判定 销售部-李四" in c.result["text"]
        )
        fake.push_message(CHAT, LEADER, "/why", reply_to=notice)
        await fake.wait_for(lambda f: any(t.startswith("罚款 #") for t in f.sent_texts(CHAT)))
        evidence = next(t for t in fake.sent_texts(CHAT) if t.startswith("罚款 #"))
        assert "回复‘上次那份合同是老版本’" in evidence and "判定不算收到" in evidence
    booked = sorted((f.user_id, f.rule, f.sequence) for f in fines(sqlite_url))
    assert booked == [(ZHANG, "no_ack", 0), (LI, "no_ack", 0)]
    with make_engine(sqlite_url).connect() as conn:
        rows = conn.execute(orm.Assignment.__table__.select()).all()
    ruled = {r.user_id: (r.ack_review, r.reviewed_by, r.acked_at) for r in rows}
    assert ruled[ZHANG] == ("rejected", LEADER, None)
    assert ruled[LI] == ("rejected", LEADER, None)


async def test_accepting_keeps_the_acknowledgement_and_no_fine_follows(fake, sqlite_url):
    async with Running(fake, sqlite_url):
        directive = fake.push_message(CHAT, LEADER, "@zhangsan 下午把合同带过来 #任务")
        await fake.wait_for(lambda f: any(m["text"].startswith("📋") for m in f.sent(CHAT)))
        fake.push_message(CHAT, ZHANG, "合同在老王那边放着", reply_to=directive["message"])
        await fake.wait_for(lambda f: any("❓ 销售部-张三" in e["text"] for e in f.edits(CHAT)))
        keep = keyboard_of_last_edit(fake)[1][0]["callback_data"]
        fake.push_callback_query(LEADER, board_message(fake), keep)
        await fake.wait_for(lambda f: answers(f) == ["已记录：算作收到。"])
        await fake.wait_for(
            lambda f: any(
                "✅ 销售部-张三" in e["text"] and len(e["reply_markup"]["inline_keyboard"]) == 1
                for e in f.edits(CHAT)
                if "reply_markup" in e
            )
        )
        await asyncio_sleep(6)  # past the window: nothing is booked
    assert fines(sqlite_url) == []


async def asyncio_sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


async def test_why_on_a_members_message_names_the_words_that_decided(fake, sqlite_url):
    async with Running(fake, sqlite_url):
        directive = fake.push_message(CHAT, LEADER, "@zhangsan @lisi 下午把合同带过来 #任务")
        await fake.wait_for(lambda f: any(m["text"].startswith("📋") for m in f.sent(CHAT)))
        said = fake.push_message(CHAT, LI, "抱歉回复晚了，收到")
        asked = fake.push_message(
            CHAT, ZHANG, "是发群里还是发邮箱？", reply_to=directive["message"]
        )
        for message in (said, asked):
            fake.push_message(CHAT, LEADER, "/why", reply_to=message["message"])
        await fake.wait_for(lambda f: sum("判定：" in t for t in f.sent_texts(CHAT)) == 2)
    ack, question = [t for t in fake.sent_texts(CHAT) if t.startswith("判定：")]
    assert ack == "判定：算作收到。‘收到’是确认用语。"
    assert question.startswith("判定：不算收到。‘是发群里还是发邮箱’是提问")
