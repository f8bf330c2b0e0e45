"""The same messages, fed live (PTB over HTTP) and replayed from an export, agree: the same
directives, reminders and fines, and the same outbox, the live bot's own steps aside."""

from __future__ import annotations

import asyncio
import copy
import json

from sqlalchemy import select

from tests.live_support import CHAT, CONFIG, LEADER, LI, ZHANG, Running  # noqa: F401
from tracker.adapters.db import orm
from tracker.adapters.db.report_queries import chat_report
from tracker.adapters.telegram.export_reader import read_export
from tracker.config.loading import parse_config
from tracker.domain.outgoing import BOARD_KINDS, MessageKind
from tracker.entrypoints.bootstrap import build_service
from tracker.entrypoints.replay import replay
from tracker.services.tracker import REPLAYED


def as_export(updates: list[dict]) -> dict:
    """Telegram Desktop's shape for the messages the fake delivered."""
    messages = []
    for update in updates:
        m = update["message"]
        text, parts, entities = m["text"], [], []
        units = text.encode("utf-16-le")
        cut = 0
        for e in m.get("entities", []):
            start, end = e["offset"] * 2, (e["offset"] + e["length"]) * 2
            if start > cut:
                parts.append(units[cut:start].decode("utf-16-le"))
            piece = units[start:end].decode("utf-16-le")
            parts.append({"type": e["type"], "text": piece})
            entities.append({"type": e["type"], "text": piece})
            cut = end
        if cut < len(units):
            parts.append(units[cut:].decode("utf-16-le"))
        messages.append(
            {
                "id": m["message_id"],
                "type": "message",
                "date": "2026-11-24T00:00:00",
                "date_unixtime": str(m["date"]),
                "from": m["from"]["first_name"],
                "from_id": f"user{m['from']['id']}",
                "text": parts,
                "text_entities": entities,
                **(
                    {"reply_to_message_id": m["reply_to_message"]["message_id"]}
                    if "reply_to_message" in m
                    else {}
                ),
            }
        )
    return {
        "name": "销售部工作群",
        "type": "private_supergroup",
        "id": int(str(CHAT).removeprefix("-100")),
        "messages": messages,
    }


def outcome(report: dict) -> dict:
    return {k: report[k] for k in ("directives", "reminders", "fines", "unresolved_mentions")}


LIVE_ONLY = (*BOARD_KINDS, MessageKind.REPLY, MessageKind.WELCOME, MessageKind.OFFLINE)


def outbox(engine) -> list[tuple]:
    """What the rules said, row by row: the live bot's own steps (status boards, answers to
    the writer, welcome and absence notices) aside."""
    box = orm.Outbox.__table__
    columns = (box.c.dedupe_key, box.c.kind, box.c.target_chat_id, box.c.reply_to_message_id)
    with engine.connect() as conn:
        rows = conn.execute(
            select(*columns, box.c.text, box.c.mention_user_ids).where(
                box.c.kind.not_in([k.value for k in LIVE_ONLY])
            )
        ).all()
    return sorted(tuple(r) for r in rows)


def live_result(running) -> tuple:
    """(the live database, its report of the chat, its outbox) while the bot still runs."""
    live_db = running.live.service.store.engine
    return live_db, chat_report(live_db, CHAT), outbox(live_db)


def replayed_from(pushed: list[dict], tmp_path, config_table: dict = CONFIG):
    """The messages the fake delivered, exported as Telegram Desktop would and replayed into a
    fresh database; its engine."""
    export = tmp_path / "result.json"
    export.write_text(json.dumps(as_export(pushed), ensure_ascii=False), encoding="utf-8")
    config = parse_config(config_table, "test.toml")
    service, engine = build_service(config, f"sqlite:///{tmp_path / 'replay.db'}", REPLAYED)
    replay(read_export(export), service, config)
    return engine


async def test_live_and_replay_agree(fake, tmp_path):  # noqa: F811
    live_url = f"sqlite:///{tmp_path / 'live.db'}"
    pushed = []
    async with Running(fake, live_url) as running:
        pushed.append(fake.push_message(CHAT, LEADER, "@zhangsan @lisi 把报价单发我 #任务"))
        await asyncio.sleep(0.3)
        pushed.append(fake.push_message(CHAT, ZHANG, "收到！马上执行"))
        pushed.append(fake.push_message(CHAT, LI, "收到了吗？"))
        pushed.append(fake.push_message(CHAT, LEADER, "#通知 下午开会，收到请回复"))
        await asyncio.sleep(0.3)
        pushed.append(fake.push_message(CHAT, LI, "好的", reply_to=pushed[-1]["message"]))
        pushed.append(fake.push_message(CHAT, LEADER, "@zhangsan 下午把合同带过来 #任务"))
        await asyncio.sleep(0.3)
        contract = pushed[-1]["message"]
        # unclear, in reply to the directive: counted, marked 待确认 in both
        pushed.append(fake.push_message(CHAT, ZHANG, "合同在老王那边放着", reply_to=contract))
        await fake.wait_for(
            lambda f: sum("各记罚款" in t for t in f.sent_texts(CHAT)) >= 2, timeout=15
        )
        live_db, live, live_box = live_result(running)
        live = outcome(live)

    engine = replayed_from(pushed, tmp_path)
    replayed = outcome(chat_report(engine, CHAT))

    assert live["fines"] and live == replayed
    replayed_box = outbox(engine)
    assert {r[1] for r in live_box} >= {"reminder", "leader_notice", "fine_no_ack"}
    assert live_box == replayed_box
    reviews = [a["ack_review"] for d in replayed["directives"] for a in d["assignees"]]
    assert reviews.count("pending") == 1


async def test_live_and_replay_agree_on_leave(fake, tmp_path):  # noqa: F811
    live_url = f"sqlite:///{tmp_path / 'live.db'}"
    pushed = []
    async with Running(fake, live_url) as running:
        pushed.append(fake.push_message(CHAT, LEADER, "#请假 @lisi 今天全天 出差"))
        await asyncio.sleep(0.3)
        pushed.append(fake.push_message(CHAT, LEADER, "@zhangsan @lisi 把报价单发我 #任务"))
        await fake.wait_for(lambda f: any("各记罚款" in t for t in f.sent_texts(CHAT)), 15)
        live_db, live, live_box = live_result(running)

    engine = replayed_from(pushed, tmp_path)
    replayed = chat_report(engine, CHAT)

    assert [a["status"] for a in live["directives"][0]["assignees"]] == ["overdue", "away"]
    assert live["leave"] and live["leave"] == replayed["leave"]
    assert outcome(live) == outcome(replayed)
    assert live_box == outbox(engine)


async def test_live_and_replay_agree_on_a_request_answered_in_words_and_a_deferred_window(
    fake, tmp_path
):  # noqa: F811
    deferring = copy.deepcopy(CONFIG)
    deferring["defaults"]["absent"] = "defer"
    pushed = []
    async with Running(fake, f"sqlite:///{tmp_path / 'live.db'}", deferring) as running:
        pushed.append(fake.push_message(CHAT, ZHANG, "#请假 今天全天 家里有事"))
        await asyncio.sleep(0.3)
        asked = pushed[-1]["message"]
        pushed.append(fake.push_message(CHAT, LEADER, "同意，注意安全", reply_to=asked))
        await asyncio.sleep(0.3)
        pushed.append(fake.push_message(CHAT, LEADER, "@zhangsan @lisi 把报价单发我 #任务"))
        await fake.wait_for(lambda f: any("各记罚款" in t for t in f.sent_texts(CHAT)), 15)
        live_db, live, live_box = live_result(running)
        live_window = own_windows(live_db)

    engine = replayed_from(pushed, tmp_path, deferring)
    replayed = chat_report(engine, CHAT)

    assert [(f["user_id"], f["rule"]) for f in live["fines"]] == [(LI, "no_ack")]
    assert [a["status"] for a in live["directives"][0]["assignees"]] == ["pending", "overdue"]
    assert (
        live["leave"] and live["leave"][0]["by"] == LEADER and live["leave"] == replayed["leave"]
    )
    assert outcome(live) == outcome(replayed)
    assert live_box == outbox(engine)
    assert {r[1] for r in live_box} >= {"leave", "fine_no_ack"}
    (window,) = live_window
    assert window[0] == ZHANG and window[1] is not None and own_windows(engine) == live_window


def own_windows(engine) -> list[tuple]:
    """Each assignment whose acknowledgement window leave deferred: (user, from, until)."""
    a = orm.Assignment.__table__
    with engine.connect() as conn:
        rows = conn.execute(
            select(a.c.user_id, a.c.ack_from, a.c.ack_until).where(a.c.ack_from.is_not(None))
        ).all()
    return [tuple(r) for r in rows]
