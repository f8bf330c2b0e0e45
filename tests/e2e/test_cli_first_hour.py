"""The first hour at the command line: a config to start from, the ids it needs, reports on a
database alone, and a mistyped database path refused instead of created."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_runner import run_tracker

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "sales-day"
CHAT = "-1001987654321"


def tracker(cwd: Path, *args) -> subprocess.CompletedProcess:
    """`python -m tracker ARGS` from `cwd` (where config/ is looked for)."""
    return run_tracker(*args, cwd=cwd)


@pytest.fixture(scope="module")
def replayed(tmp_path_factory) -> str:
    db = tmp_path_factory.mktemp("db") / "tracker.db"
    done = tracker(
        ROOT, "replay", EXAMPLE / "result.json", "--config", EXAMPLE / "tracker.toml",
        "--db", f"sqlite:///{db}", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return f"sqlite:///{db}"


def test_run_without_a_config_says_how_to_make_one(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "tracker", "run"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "TELEGRAM_BOT_TOKEN": "123:abcdefghij"},
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "tracker: error: config/tracker.toml: file not found: `tracker init` writes one from "
        "the example (or pass --config FILE)"
    ]


def test_init_writes_the_example_once(tmp_path):
    done = tracker(tmp_path, "init")
    assert done.returncode == 0, done.stderr
    written = tmp_path / "config" / "tracker.toml"
    example = ROOT / "config" / "tracker.example.toml"
    assert written.read_text(encoding="utf-8") == example.read_text(encoding="utf-8")
    assert "wrote config/tracker.toml" in done.stdout
    written.write_text("# mine\n", encoding="utf-8")
    again = tracker(tmp_path, "init")
    assert again.returncode == 2
    assert again.stderr.splitlines() == [
        "tracker: error: config/tracker.toml already exists: edit it, or pass --force to start "
        "over"
    ]
    assert written.read_text(encoding="utf-8") == "# mine\n"
    assert tracker(tmp_path, "init", "--force").returncode == 0
    assert written.read_text(encoding="utf-8") == example.read_text(encoding="utf-8")


def test_chats_lists_the_ids_a_config_needs(tmp_path, replayed):
    done = tracker(tmp_path, "chats", "--db", replayed)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"{CHAT}  销售部工作群  (not in the config)"
    assert any(line.split()[:2] == ["1001", "王总"] for line in lines[1:])
    assert len(lines) == 1 + 6  # the leader and five members, by name or as assigned


def test_reports_read_a_database_without_its_config(tmp_path, replayed):
    stats = tracker(tmp_path, "stats", "--chat", CHAT, "--db", replayed, "--since", "2026-11-01")
    assert stats.returncode == 0, stats.stderr
    assert stats.stdout.startswith("📊 销售部工作群")
    out = tmp_path / "fines.csv"
    export = tracker(
        tmp_path, "export", "--chat", CHAT, "--month", "2026-11", "--format", "csv",
        "-o", out, "--db", replayed,
    )  # fmt: skip
    assert export.returncode == 0, export.stderr
    assert out.read_text(encoding="utf-8-sig").count("\n") == 1 + 4


@pytest.mark.parametrize("command", [["chats"], ["stats", "--chat", CHAT]])
def test_a_mistyped_database_file_is_refused_not_created(tmp_path, command):
    missing = tmp_path / "trackr.db"
    done = tracker(tmp_path, *command, "--db", f"sqlite:///{missing}")
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert line.startswith(f"tracker: error: database file {missing} does not exist")
    assert not missing.exists()


def test_version_and_a_format_outside_the_choices(tmp_path, replayed):
    version = tracker(tmp_path, "--version")
    assert version.returncode == 0 and version.stdout.startswith("tracker ")
    wrong = tracker(tmp_path, "export", "--month", "2026-11", "--format", "pdf", "--db", replayed)
    assert wrong.returncode == 2 and "'xlsx', 'csv'" in wrong.stderr


def test_mark_paid_names_members_as_people_do(tmp_path, replayed):
    db = tmp_path / "copy.db"
    db.write_bytes(Path(replayed.removeprefix("sqlite:///")).read_bytes())
    url = f"sqlite:///{db}"
    config = EXAMPLE / "tracker.toml"

    def paid(member: str) -> subprocess.CompletedProcess:
        return tracker(
            tmp_path, "fines", "mark-paid", "--month", "2026-11", "--member", member,
            "--config", config, "--db", url,
        )  # fmt: skip

    by_username = paid("@zhaoliu")  # a username the config knows
    assert by_username.returncode == 0, by_username.stderr
    assert by_username.stdout.startswith("marked 1 fine(s) of 销售部-赵六 (1005) in 2026-11")
    by_name = paid("销售部-孙七")
    assert by_name.returncode == 0 and "(1006)" in by_name.stdout
    again = paid("1006")
    assert again.returncode == 2
    assert again.stderr.splitlines() == [
        "tracker: error: --member: 销售部-孙七 (1006) has no unpaid fines in 2026-11"
    ]
    unknown = paid("@nobody")
    assert unknown.returncode == 2 and "no member '@nobody'" in unknown.stderr


def test_month_close_takes_month_like_every_command(tmp_path, replayed):
    db = tmp_path / "copy.db"
    db.write_bytes(Path(replayed.removeprefix("sqlite:///")).read_bytes())
    closed = tracker(tmp_path, "month", "close", "--month", "2026-11", "--db", f"sqlite:///{db}")
    assert closed.returncode == 0, closed.stderr
    assert closed.stdout.startswith("closed 2026-11")
    missing = tracker(tmp_path, "month", "close", "--db", f"sqlite:///{db}")
    assert missing.returncode == 2 and "--month" in missing.stderr


def test_rules_prints_a_chat_s_rules_as_the_bot_posts_them(tmp_path):
    config = tmp_path / "tracker.toml"
    config.write_text(
        '[[chats]]\nid = -1001987654321\nname = "销售部工作群"\nleaders = [1001]\n'
        'members = [{ id = 1001, name = "王总" }]\n'
        '[chats.conduct]\nlink = "delete"\nremove_confirmations = 2\n',
        encoding="utf-8",
    )
    shown = tracker(ROOT, "rules", "--chat", "-1001987654321", "--config", config)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[:3] == [
        "销售部工作群（-1001987654321）",
        "本群规则：",
        "• 负责人：王总",
    ]
    assert "发链接删除并警告" in shown.stdout and "经 2 位负责人确认后移出" in shown.stdout
    unknown = tracker(ROOT, "rules", "--chat", "-5", "--config", config)
    assert unknown.returncode == 2 and unknown.stderr.count("\n") == 1
    assert "no chat -5 in the config" in unknown.stderr
