"""`tracker replay` on the export shapes real chats produce (`tests/data/exports/`, written from
Telegram Desktop's formats): an export from before 2022 (no `date_unixtime`, integer ids), an
administrator posting anonymously, a full-account export of several chats, an HTML export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import run_tracker
from tests.export_shapes import SALES_GROUP_TOML

EXPORTS = Path(__file__).resolve().parents[1] / "data" / "exports"
CHAT = -1001987654321

CONFIG = SALES_GROUP_TOML


@pytest.fixture
def config(tmp_path) -> Path:
    path = tmp_path / "tracker.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def replay(export: Path, config: Path, *extra: str):
    db = f"sqlite:///{config.parent / 'tracker.db'}"
    return run_tracker("replay", export, "--config", config, "--db", db, "--json", *extra)


def one_chat(result) -> dict:
    assert result.returncode == 0, result.stderr
    (chat,) = json.loads(result.stdout)["chats"]
    return chat


def fines(chat: dict) -> list[tuple]:
    return [(f["user_id"], f["rule"], f["booked_at"]) for f in chat["fines"]]


def test_an_export_from_2020_is_read_in_the_chats_zone_and_says_so(config):
    result = replay(EXPORTS / "desktop_2020.json", config)
    chat = one_chat(result)
    (directive,) = chat["directives"]
    assert (directive["author_id"], directive["created_at"]) == (1001, "2020-11-23T01:00:00Z")
    people = {a["user_id"]: a["status"] for a in directive["assignees"]}
    assert people == {1002: "late", 1003: "acked"}
    assert fines(chat) == [(1002, "no_ack", "2020-11-23T01:30:00Z")]
    assert (
        "5 message(s) have no date_unixtime (an export older than 2022): their local times "
        "were read in Asia/Shanghai (--export-timezone to change)"
    ) in result.stderr


def test_the_zone_of_an_old_export_can_be_given(config):
    chat = one_chat(
        replay(EXPORTS / "desktop_2020.json", config, "--export-timezone", "Europe/Berlin")
    )
    assert fines(chat) == [(1002, "no_ack", "2020-11-23T08:30:00Z")]  # 09:00 in Berlin, UTC+1
    wrong = replay(EXPORTS / "desktop_2020.json", config, "--export-timezone", "Mars/Olympus")
    assert wrong.returncode == 2 and wrong.stdout == ""
    assert wrong.stderr.strip() == (
        "tracker: error: --export-timezone: unknown time zone 'Mars/Olympus' "
        "(a name like Asia/Shanghai)"
    )


def test_an_anonymous_administrators_task_is_a_leaders_and_a_channels_post_is_not(config):
    chat = one_chat(replay(EXPORTS / "anonymous_admin.json", config))
    (directive,) = chat["directives"]
    assert (directive["message_id"], directive["author_id"]) == (201, CHAT)
    assert fines(chat) == [(1002, "no_ack", "2026-11-23T01:30:00Z")]


def test_anonymous_posts_are_nobodys_when_the_chat_says_so(config):
    config.write_text(
        CONFIG.replace('timezone = "Asia/Shanghai"', "anonymous_admins_lead = false"),
        encoding="utf-8",
    )
    chat = one_chat(replay(EXPORTS / "anonymous_admin.json", config))
    assert chat["directives"] == [] and chat["fines"] == []


def test_a_full_account_export_replays_the_configured_chat_and_names_the_others(config):
    result = replay(EXPORTS / "full_account.json", config)
    chat = one_chat(result)
    assert chat["id"] == CHAT and fines(chat) == [(1002, "no_ack", "2026-11-23T01:30:00Z")]
    assert "skipping chat '客服部工作群' (-1001987650000): not in" in result.stderr
    assert "skipping chat '张三' (1002): not in" in result.stderr


def test_chat_picks_one_chat_of_a_full_export(config):
    chat = one_chat(replay(EXPORTS / "full_account.json", config, "--chat", "1987654321"))
    assert chat["id"] == CHAT
    result = replay(EXPORTS / "full_account.json", config, "--chat", "-1001987650000")
    assert result.returncode == 2
    assert "客服部工作群" in result.stderr and "is not in" in result.stderr
    missing = replay(EXPORTS / "full_account.json", config, "--chat", "42")
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    assert "--chat 42: no such chat in the export ('张三' (1002), '销售部工作群'" in missing.stderr


def test_an_html_export_gets_one_line_saying_how_to_export_json(config, tmp_path):
    for given in (EXPORTS / "messages.html", EXPORTS):
        result = replay(given, config)
        assert result.returncode == 2 and result.stdout == ""
        (line,) = result.stderr.strip().splitlines()
        assert "HTML export" in line and 'Format "Machine-readable JSON"' in line


def test_fines_a_reaction_may_contradict_are_booked_marked_to_check(config):
    result = replay(EXPORTS / "reactions_partly_listed.json", config)
    chat = one_chat(result)
    marked = [(f["user_id"], f["directive_message_id"], f["doubt"]) for f in chat["fines"]]
    assert marked == [
        (1002, 401, "reaction_unlisted"),  # 2 👍, one named (李四, in time): 张三 may be the other
        (1002, 402, "reaction_untimed"),  # 张三's own 👍, without a date
    ]
    assert "reaction the export does not name" in result.stderr
    out = config.parent / "fines.csv"
    exported = run_tracker(
        "export", "--month", "2026-11", "--format", "csv", "-o", out, "--config", config,
        "--db", f"sqlite:///{config.parent / 'tracker.db'}",
    )  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    assert out.read_text(encoding="utf-8-sig").count("未缴（待核实）") == 2


def test_reactions_can_be_left_out_of_a_replay(config):
    chat = one_chat(
        replay(EXPORTS / "reactions_partly_listed.json", config, "--reactions", "ignore")
    )
    marked = [(f["user_id"], f["directive_message_id"], f["doubt"]) for f in chat["fines"]]
    assert marked == [(1002, 401, None), (1003, 401, None), (1002, 402, None)]


def test_the_summary_says_which_fines_to_check(config):
    db = f"sqlite:///{config.parent / 'tracker.db'}"
    shown = run_tracker(
        "replay", EXPORTS / "reactions_partly_listed.json", "--config", config, "--db", db
    )
    assert shown.returncode == 0, shown.stderr
    assert "待核实的罚款 2 笔" in shown.stdout and "超时未确认（待核实）" in shown.stdout


@pytest.mark.parametrize("name", ["migrated_group.json", "migrated_group_negative_ids.json"])
def test_a_group_that_became_a_supergroup_is_one_chat_whatever_its_ids(config, name):
    result = replay(EXPORTS / name, config)
    chat = one_chat(result)
    old, new = chat["directives"]  # the basic group's task, then the supergroup's
    assert old["message_id"] == 5001 - 2**31 and new["message_id"] == 2
    acked = [(a["user_id"], a["status"]) for d in chat["directives"] for a in d["assignees"]]
    assert acked == [(1002, "acked"), (1003, "acked")] and chat["fines"] == []
    renumbered = "2 message(s) from before the group became a supergroup" in result.stderr
    assert renumbered == (name == "migrated_group.json")


SERVICE_ACTIONS = (  # as Telegram Desktop's JSON export names them
    "create_group", "edit_group_title", "edit_group_photo", "delete_group_photo",
    "invite_members", "remove_members", "join_group_by_link", "join_group_by_request",
    "create_channel", "migrate_to_supergroup", "migrate_from_group", "pin_message",
    "clear_history", "score_in_game", "send_payment", "phone_call", "take_screenshot",
    "allow_sending_messages", "send_passport_values", "set_messages_ttl", "group_call",
    "invite_to_group_call", "group_call_scheduled", "set_chat_theme", "web_app_data_sent",
    "gift_premium", "topic_created", "topic_edit", "requested_peer", "set_chat_wallpaper",
    "boost_apply", "giveaway_launch", "giveaway_results", "suggest_profile_photo",
)  # fmt: skip


def test_every_kind_of_service_message_replays_and_makes_no_directive(config, tmp_path):
    base = 1_795_395_600  # 2026-11-23 09:00 in Shanghai
    messages = [
        {
            "id": n, "type": "service", "date": "2026-11-23T09:00:00",
            "date_unixtime": str(base + n), "actor": "王总", "actor_id": "user1001",
            "action": action, "text": "", "text_entities": [],
            **({"members": ["销售部-李四"]} if action.endswith("_members") else {}),
        }
        for n, action in enumerate(SERVICE_ACTIONS, 1)
    ]  # fmt: skip
    export = tmp_path / "result.json"
    chat = {"name": "销售部工作群", "type": "private_supergroup", "id": 1987654321}
    export.write_text(json.dumps(chat | {"messages": messages}, ensure_ascii=False), "utf-8")
    result = replay(export, config)
    chat_report = one_chat(result)
    assert chat_report["directives"] == [] and chat_report["fines"] == []
