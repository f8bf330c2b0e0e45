"""`tracker replay` as a user runs it: a real process, a real SQLite file, real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import run_tracker
from tests.export_shapes import SALES_GROUP_TOML

ROOT = Path(__file__).resolve().parents[2]
BASE = 1_795_395_600  # 2026-11-23 09:00 Asia/Shanghai (01:00Z)

CONFIG = SALES_GROUP_TOML


def message(mid, minutes, sender, text, **extra):
    parts = []
    for word in text.split(" "):
        if word.startswith("@"):
            parts.append({"type": "mention", "text": word})
        elif word.startswith("#"):
            parts.append({"type": "hashtag", "text": word})
        else:
            parts.append({"type": "plain", "text": word})
        parts.append({"type": "plain", "text": " "})
    return {
        "id": mid,
        "type": "message",
        "date": "2026-11-23T09:00:00",
        "date_unixtime": str(BASE + int(minutes * 60)),
        "from": f"user{sender}",
        "from_id": f"user{sender}",
        "text": text,
        "text_entities": parts[:-1],
        **extra,
    }


def export(messages) -> dict:
    return {
        "name": "销售部工作群",
        "type": "private_supergroup",
        "id": 1987654321,
        "messages": messages,
    }


DAY = [
    message(1, 0, 1001, "@zhangsan @lisi 把客户拜访计划发群里 #任务"),
    message(2, 3, 1002, "收到"),
    message(3, 5, 1003, "收到了吗？"),
    message(4, 50, 1003, "好的"),
]


def run(*args, cwd=ROOT):
    return run_tracker(*args, cwd=cwd)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "tracker.toml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "result.json").write_text(
        json.dumps(export(DAY), ensure_ascii=False), encoding="utf-8"
    )
    return tmp_path


def replay(files, *extra):
    return run(
        "replay",
        files / "result.json",
        "--config",
        files / "tracker.toml",
        "--db",
        f"sqlite:///{files / 'tracker.db'}",
        *extra,
    )


def replay_json(files, *extra):
    result = replay(files, "--json", *extra)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_replay_json_has_the_documented_shape_and_exact_times(files):
    out = replay_json(files)
    (chat,) = out["chats"]
    assert chat["id"] == -1001987654321
    (directive,) = chat["directives"]
    assert directive == {
        "message_id": 1,
        "kind": "task",
        "author_id": 1001,
        "created_at": "2026-11-23T01:00:00Z",
        "ack_due_at": "2026-11-23T01:30:00Z",
        "done_due_at": None,
        "status": "open",
        "assignees": [
            {
                "user_id": 1002,
                "name": "销售部-张三",
                "status": "acked",
                "acked_at": "2026-11-23T01:03:00Z",
                "ack_message_id": 2,
                "ack_review": None,
            },
            {
                "user_id": 1003,
                "name": "销售部-李四",
                "status": "late",
                "acked_at": "2026-11-23T01:50:00Z",
                "ack_message_id": 4,
                "ack_review": None,
            },
        ],
    }
    assert chat["reminders"] == [
        {
            "directive_message_id": 1,
            "user_ids": [1003],
            "to": "chat",
            "due_at": "2026-11-23T01:10:00Z",
        },
        {
            "directive_message_id": 1,
            "user_ids": [1003],
            "to": "chat",
            "due_at": "2026-11-23T01:20:00Z",
        },
        {
            "directive_message_id": 1,
            "user_ids": [1003],
            "to": "leader",
            "due_at": "2026-11-23T01:20:00Z",
        },
    ]
    assert chat["fines"] == [
        {
            "id": 1,
            "user_id": 1003,
            "name": "销售部-李四",
            "rule": "no_ack",
            "amount": "100.00",
            "currency": "CNY",
            "directive_message_id": 1,
            "booked_at": "2026-11-23T01:30:00Z",
            "doubt": None,
        }
    ]
    assert chat["unresolved_mentions"] == []


def test_replaying_the_same_export_twice_books_nothing_twice(files):
    first = replay_json(files)
    second = replay_json(files)
    assert first == second


def test_until_stops_the_clock(files):
    out = replay_json(files, "--until", "2026-11-23T01:15:00Z")
    chat = out["chats"][0]
    assert chat["fines"] == []
    assert [r["due_at"] for r in chat["reminders"]] == ["2026-11-23T01:10:00Z"]


def test_summary_is_in_chinese(files):
    result = replay(files)
    assert result.returncode == 0, result.stderr
    assert "销售部工作群" in result.stdout
    assert "罚款" in result.stdout and "超时未确认" in result.stdout


def test_an_unclear_reply_counts_and_is_listed_as_awaiting_the_leader(tmp_path):
    (tmp_path / "tracker.toml").write_text(CONFIG, encoding="utf-8")
    day = [
        message(1, 0, 1001, "@zhangsan 下午把合同带过来 #任务"),
        message(2, 3, 1002, "合同在老王那边放着", reply_to_message_id=1),
    ]
    (tmp_path / "result.json").write_text(
        json.dumps(export(day), ensure_ascii=False), encoding="utf-8"
    )
    result = replay(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "待确认的回复" in result.stdout and "合同在老王那边放着" in result.stdout
    assert "没有罚款" in result.stdout
    (chat,) = replay_json(tmp_path)["chats"]
    (zhang,) = chat["directives"][0]["assignees"]
    assert (zhang["status"], zhang["ack_review"]) == ("acked", "pending")


def one_line_error(result, *needles):
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_broken_json_is_one_clear_line(files):
    (files / "result.json").write_text('{"messages": [', encoding="utf-8")
    result = replay(files)
    one_line_error(result, "result.json")


def test_a_foreign_json_file_is_refused(files):
    (files / "result.json").write_text('{"hello": "world"}', encoding="utf-8")
    result = run("replay", files / "result.json", "--config", files / "tracker.toml")
    one_line_error(result, "result.json")


def test_missing_export_is_refused(files):
    result = run("replay", files / "nope.json", "--config", files / "tracker.toml")
    one_line_error(result, "nope.json")


def test_chat_missing_from_config_is_refused(files):
    other = export(DAY) | {"id": 42}
    (files / "result.json").write_text(json.dumps(other), encoding="utf-8")
    result = replay(files)
    one_line_error(result, "not in", "tracker.toml")


def test_wrong_config_value_names_file_and_key(files):
    (files / "tracker.toml").write_text(
        CONFIG.replace('timezone = "Asia/Shanghai"', 'ack_window = "abc"'), encoding="utf-8"
    )
    result = run("replay", files / "result.json", "--config", files / "tracker.toml")
    one_line_error(result, "tracker.toml", "defaults.ack_window")


def test_bad_until_is_refused(files):
    result = run(
        "replay", files / "result.json", "--config", files / "tracker.toml", "--until", "tomorrow"
    )
    one_line_error(result, "--until")


def test_migrate_creates_the_schema(tmp_path):
    result = run(
        "migrate", "--config", tmp_path / "none.toml", "--db", f"sqlite:///{tmp_path / 'm.db'}"
    )
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_a_leaders_leave_record_in_the_export_exempts_like_live(tmp_path):
    (tmp_path / "tracker.toml").write_text(CONFIG, encoding="utf-8")
    day = [
        message(1, 0, 1001, "#请假 @zhangsan 今天全天 出差"),
        message(2, 5, 1001, "@zhangsan @lisi 把客户拜访计划发群里 #任务"),
        message(3, 6, 1003, "收到"),
    ]
    (tmp_path / "result.json").write_text(
        json.dumps(export(day), ensure_ascii=False), encoding="utf-8"
    )
    (chat,) = replay_json(tmp_path)["chats"]
    people = {a["user_id"]: a["status"] for a in chat["directives"][0]["assignees"]}
    assert people == {1002: "away", 1003: "acked"}
    assert chat["fines"] == []
    assert chat["leave"] == [
        {"user_id": 1002, "from": "2026-11-22T16:00:00Z", "until": "2026-11-23T16:00:00Z",
         "by": 1001}
    ]  # fmt: skip


def removal(mid, minutes, names):
    return {
        "id": mid,
        "type": "service",
        "date": "2026-11-23T09:00:00",
        "date_unixtime": str(BASE + int(minutes * 60)),
        "actor": "user1001",
        "actor_id": "user1001",
        "action": "remove_members",
        "members": names,
        "text": "",
    }


def test_an_export_decides_leave_by_a_leaders_reply_and_closes_for_members_removed(tmp_path):
    (tmp_path / "tracker.toml").write_text(CONFIG, encoding="utf-8")
    day = [
        message(1, 0, 1002, "#请假 今天全天 看病"),
        message(2, 1, 1001, "批准", reply_to_message_id=1),
        message(3, 5, 1001, "@zhangsan @lisi 把客户拜访计划发群里 #任务"),
        removal(4, 8, ["销售部-李四", "路人甲"]),  # one the roster knows, one it does not
    ]
    (tmp_path / "result.json").write_text(
        json.dumps(export(day), ensure_ascii=False), encoding="utf-8"
    )
    result = replay(tmp_path, "--json")
    assert result.returncode == 0, result.stderr
    (chat,) = json.loads(result.stdout)["chats"]
    people = {a["user_id"]: a["status"] for a in chat["directives"][0]["assignees"]}
    assert people == {1002: "away", 1003: "left"}
    assert chat["fines"] == []
    assert [(x["user_id"], x["by"]) for x in chat["leave"]] == [(1002, 1001)]
    assert "removed member not identified (no one member has that name)" in result.stderr
