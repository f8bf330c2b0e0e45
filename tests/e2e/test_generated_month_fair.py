"""A generated month with leave and departures (`tests/bench/gen_export.py`): the replay books
the same fines as the live bot's path does with the same messages (a transaction per use case,
members known by id as Telegram names them live), and the finance export adds up to the fen."""

from __future__ import annotations

import csv
import dataclasses
import json
import tomllib
from collections import Counter
from decimal import Decimal

import pytest

from tests.bench.gen_export import CHAT_ID, generate
from tests.cli_runner import run_tracker
from tracker.adapters.db.report_queries import chat_report
from tracker.adapters.telegram.export_reader import read_export
from tracker.config.loading import parse_config
from tracker.domain.inbound import BY_NAME, IncomingMessage, IncomingReaction, MemberSeen
from tracker.entrypoints.bootstrap import build_service

CHAT = int(f"-100{CHAT_ID}")


@pytest.fixture(scope="module")
def month(tmp_path_factory):
    """Three working weeks of 30 members: about 20 leave messages, three or four departures."""
    folder = tmp_path_factory.mktemp("month")
    export = folder / "result.json"
    generate(export, 4_000, 30, 0.05, seed=7, leave_share=0.006, departures=4)
    config = folder / "tracker.toml"
    config.write_text(export.with_name("result.json.toml").read_text(encoding="utf-8"))
    replayed = folder / "replay.db"
    result = run_tracker(
        "replay", export, "--config", config, "--db", f"sqlite:///{replayed}", "--json"
    )
    assert result.returncode == 0, result.stderr
    (chat,) = json.loads(result.stdout)["chats"]
    return folder, export, config, chat


def live_path(export, config_path, db_url) -> dict:
    """The messages fed one use case (one transaction) at a time, as the live bot takes them;
    a member a leader removed comes by id, as Telegram's update gives it."""
    table = tomllib.loads(config_path.read_text(encoding="utf-8"))
    ids = {m["name"]: m["id"] for m in table["chats"][0]["members"]}
    config = parse_config(table, str(config_path))
    service, engine = build_service(config, db_url, live=True)
    last = None
    for chat in read_export(export):
        for item in chat.items:
            if type(item) is IncomingMessage:
                service.handle_message(item)
            elif type(item) is IncomingReaction:
                service.handle_reactions((item,))
            elif type(item) is MemberSeen:
                if item.user_id == BY_NAME:
                    item = dataclasses.replace(item, user_id=ids[item.name])
                service.handle_members((item,))
            last = item
    service.tick(last.at + config.find_chat(CHAT).rules.ack_window)
    report = chat_report(engine, CHAT)
    engine.dispose()
    return report


def test_the_month_has_leave_answered_in_words_and_departures(month):
    _, export, _, chat = month
    statuses = Counter(a["status"] for d in chat["directives"] for a in d["assignees"])
    assert statuses["away"] >= 3 and statuses["left"] >= 2
    messages = json.loads(export.read_text(encoding="utf-8"))["messages"]
    asked = {m["id"]: m["from_id"] for m in messages if m.get("text_entities") and _asks(m)}
    answered = [m for m in messages if m.get("reply_to_message_id") in asked]
    assert answered, "no member's request was answered"
    by_request = {x["user_id"] for x in chat["leave"]}
    assert any(int(asked[m["reply_to_message_id"]].removeprefix("user")) in by_request
               for m in answered)  # fmt: skip


def _asks(message: dict) -> bool:
    """A member's own #请假 (no @mention of another member)."""
    kinds = [e["type"] for e in message["text_entities"]]
    return "hashtag" in kinds and "mention" not in kinds and "#请假" in str(message["text"])


def test_the_replay_books_what_the_live_path_books(month, tmp_path):
    _, export, config, chat = month
    live = live_path(export, config, f"sqlite:///{tmp_path / 'live.db'}")
    for part in ("fines", "reminders", "leave"):
        assert live[part] == chat[part], part
    assert live["directives"] == chat["directives"]
    assert chat["fines"]


def test_the_finance_export_adds_up_to_the_fen_and_marks_who_left(month):
    folder, _, config, chat = month
    out = folder / "fines.csv"
    result = run_tracker(
        "export", "--month", "2026-11", "--format", "csv", "-o", out,
        "--config", config, "--db", f"sqlite:///{folder / 'replay.db'}",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    exported = Counter()
    for row in rows:
        exported[int(row["成员ID"])] += Decimal(row["金额（元）"])
    booked = Counter()
    for fine in chat["fines"]:
        booked[fine["user_id"]] += Decimal(fine["amount"])
    assert exported == booked and sum(booked.values()) > 0
    left = {
        a["user_id"] for d in chat["directives"] for a in d["assignees"] if a["status"] == "left"
    }
    marked = {int(row["成员ID"]) for row in rows if row["成员状态"] == "已退群"}
    assert marked <= left and marked, "no fine of a member who left is marked"
