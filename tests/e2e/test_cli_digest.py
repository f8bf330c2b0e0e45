"""`tracker digest` and `tracker stats` as a manager runs them, on the demo sales day replayed
into a real SQLite file."""

from __future__ import annotations

import pytest

from tests.digest_support import ROOT, run_cli

DAY = ROOT / "examples" / "sales-day"
CHAT = -1001987654321


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('sales-day') / 'tracker.db'}"
    replayed = run_cli(
        "replay", DAY / "result.json", "--config", DAY / "tracker.toml", "--db", url
    )
    assert replayed.returncode == 0, replayed.stderr
    return url


def tracker(db: str, *args):
    return run_cli(*args, "--config", DAY / "tracker.toml", "--db", db)


def one_line_error(result, *needles: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


def test_digest_of_the_sales_day_names_who_is_overdue_and_the_fines(db):
    result = tracker(db, "digest", "--chat", CHAT, "--date", "2026-11-23")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "📋 销售部工作群 日清日结 · 11月23日（周一）"
    # 张三's ack of the 14:00 task that was cancelled counts nowhere, as in `tracker stats`
    assert lines[1] == (  # a Monday: since Friday's digest
        "自 11月20日 18:00 以来指令 8 条；确认 15 人次：按时 13，"
        "迟到 2（销售部-孙七、销售部-张三）。"
    )
    assert lines[2].startswith("💰 自 11月20日 18:00 以来罚款 4 笔，共 350.00元：")
    # 张三 acknowledged the 回款 report, which has no deadline: nothing more is owed, not listed
    assert "未清事项 1 项（其中逾期 1 项）：" in lines
    overdue = lines[lines.index("• 销售部-赵六：") + 1]
    assert "未确认，已逾期 6 小时 30 分钟" in overdue  # the 11:00 task, never acknowledged
    # 王五 missed his 上午 deadline (the 50.00 fine stays) but reported 已完成 at 17:05
    assert "• 销售部-王五：" not in lines
    assert "• 销售部-李四：" not in lines and "• 销售部-孙七：" not in lines
    assert "• 销售部-张三：" not in lines and "进行中（未设期限）" not in result.stdout


def test_digest_by_export_id_is_the_same_chat(db):
    by_bot_id = tracker(db, "digest", "--chat", CHAT, "--date", "2026-11-23")
    by_export_id = tracker(db, "digest", "--chat", 1987654321, "--date", "2026-11-23")
    assert by_export_id.returncode == 0, by_export_id.stderr
    assert by_export_id.stdout == by_bot_id.stdout


def test_digest_of_the_day_before_has_nothing_to_report(db):
    result = tracker(db, "digest", "--chat", CHAT, "--date", "2026-11-22")
    assert result.returncode == 0, result.stderr
    nothing = "✅ 自 11月20日 18:00 以来指令 0 条，确认 0 人次全部按时；无逾期事项，无罚款。"
    assert nothing in result.stdout


def test_stats_prints_a_line_per_member_and_the_total(db):
    result = tracker(db, "stats", "--chat", CHAT, "--since", "2026-11-01")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "📊 销售部工作群 自 11月1日 起的回复统计"
    members = [line for line in lines if line.startswith("• ")]
    assert [line.split("：")[0] for line in members] == [
        "• 销售部-孙七",
        "• 销售部-赵六",
        "• 销售部-张三",
        "• 销售部-李四",
        "• 销售部-王五",
    ]
    assert members[1].startswith("• 销售部-赵六：收到 3 条，按时 2（67%），迟 0，未回 1")
    (total,) = [line for line in lines if line.startswith("合计")]
    assert total.startswith("合计：收到 16 条，按时 13（81%），迟 2，未回 1；")  # as the digest
    assert "罚款 4 笔 350.00元" in total


def test_an_unknown_chat_is_one_line_and_exit_2(db):
    for command in (("digest", "--date", "2026-11-23"), ("stats",)):
        result = tracker(db, command[0], "--chat", -1009999, *command[1:])
        one_line_error(result, "-1009999", "tracker.toml")


@pytest.mark.parametrize("bad", ["2026-13-01", "yesterday", "23.11.2026"])
def test_a_bad_date_is_one_line_and_exit_2(db, bad):
    result = tracker(db, "digest", "--chat", CHAT, "--date", bad)
    one_line_error(result, "--date", bad)


def test_a_bad_since_is_one_line_and_exit_2(db):
    one_line_error(tracker(db, "stats", "--chat", CHAT, "--since", "last-week"), "--since")


def test_a_day_in_the_future_is_refused(db):
    one_line_error(tracker(db, "digest", "--chat", CHAT, "--date", "2999-01-04"), "future")
