"""A month of 华东销售部工作群, replayed: the engine books exactly the fines the plan implies.

`examples/sales-month/plan.json` is what `make_export.py` meant every directive and answer in
`result.json` to be; `tests/month_expectations.py` computes the fines from the plan alone. The
replay goes through the functions `tracker replay` uses, into a fresh SQLite file; one test runs
the real command with `--json`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from tests import month_expectations as mx
from tests.cli_runner import run_tracker
from tracker.adapters.db import orm
from tracker.adapters.telegram.export_reader import read_export
from tracker.config.loading import load_config
from tracker.entrypoints.bootstrap import build_service
from tracker.entrypoints.replay import replay
from tracker.services.tracker import REPLAYED

ROOT = Path(__file__).resolve().parents[2]
MONTH = ROOT / "examples" / "sales-month"
FILES = ("result.json", "plan.json", "tracker.toml")


@pytest.fixture(scope="module")
def plan() -> dict:
    return mx.load_plan(MONTH / "plan.json")


@pytest.fixture(scope="module")
def expected(plan) -> list[mx.ExpectedFine]:
    return mx.expected_fines(plan)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    """The month replayed once into a fresh SQLite file; the SQLAlchemy engine on it."""
    config = load_config(MONTH / "tracker.toml")
    url = f"sqlite:///{tmp_path_factory.mktemp('month') / 'tracker.db'}"
    service, engine = build_service(config, url, REPLAYED)
    replay(read_export(MONTH / "result.json"), service, config)
    yield engine
    engine.dispose()


def rows(db, table, chat_id: int) -> list:
    with db.connect() as conn:
        return list(conn.execute(select(table).where(table.c.chat_id == chat_id)))


def booked(db, plan) -> list[mx.ExpectedFine]:
    return sorted(
        mx.ExpectedFine(f.booked_at, f.message_id, f.user_id, f.rule, f.sequence, f.amount_fen)
        for f in rows(db, orm.Fine.__table__, plan["chat"]["bot_api_id"])
    )


def differences(got: list, want: list) -> str:
    extra, missing = sorted(set(got) - set(want)), sorted(set(want) - set(got))
    return f"engine booked {len(got)}, plan implies {len(want)}; extra {extra}; missing {missing}"


def test_the_engine_books_exactly_the_fines_the_plan_implies(db, plan, expected):
    got = booked(db, plan)
    assert got == expected, differences(got, expected)


def test_member_and_department_totals_match_to_the_fen(db, plan, expected):
    fines = rows(db, orm.Fine.__table__, plan["chat"]["bot_api_id"])
    by_member, by_department = Counter(), Counter()
    for f in fines:
        by_member[f.user_id] += f.amount_fen
        by_department[mx.department(f.name)] += f.amount_fen
    assert dict(by_member) == mx.totals_by_member(expected)
    assert dict(by_department) == mx.totals_by_department(expected, plan)
    assert sum(by_member.values()) == sum(f.amount_fen for f in expected)


def test_every_directive_and_answer_is_read_as_the_plan_intends(db, plan):
    chat_id = plan["chat"]["bot_api_id"]
    directives = {d.message_id: d for d in rows(db, orm.Directive.__table__, chat_id)}
    answers = {(a.message_id, a.user_id): a for a in rows(db, orm.Assignment.__table__, chat_id)}
    assert sorted(directives) == [d["message_id"] for d in plan["directives"]]
    assert len(answers) == sum(len(d["assignees"]) for d in plan["directives"])
    for d in plan["directives"]:
        row = directives[d["message_id"]]
        read = (row.kind, row.author_id, row.created_at, row.done_due_at, row.deadline_phrase)
        meant = (d["kind"], d["author_id"], mx.parse_time(d["created_at"]))
        meant += (mx.parse_time(d["deadline_at"]), d["deadline_phrase"])
        assert read == meant, d["message_id"]
        assert row.unresolved_mentions.split("\n") == (d["unresolved_mentions"] or [""])
        for a in d["assignees"]:
            got = answers[d["message_id"], a["user_id"]]
            read = (got.name, got.acked_at, got.ack_message_id, got.done_at)
            meant = (a["name"], mx.parse_time(a["ack_at"]), a["ack_message_id"])
            meant += (mx.parse_time(a["done_at"]),)
            assert read == meant, (d["message_id"], a["name"])


def test_the_replay_command_prints_the_same_fines(tmp_path, plan, expected):
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "replay", MONTH / "result.json"]
        + ["--config", MONTH / "tracker.toml", "--db", f"sqlite:///{tmp_path / 'cli.db'}"]
        + ["--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    (chat,) = json.loads(result.stdout)["chats"]
    assert chat["id"] == plan["chat"]["bot_api_id"]
    printed = Counter(
        (f["booked_at"], f["directive_message_id"], f["user_id"], f["rule"], f["amount"])
        for f in chat["fines"]
    )
    implied = Counter(
        (
            f.booked_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            f.directive_message_id,
            f.user_id,
            f.rule,
            f"{f.amount_fen // 100}.{f.amount_fen % 100:02d}",
        )
        for f in expected
    )
    assert printed == implied
    assert chat["unresolved_mentions"] == [
        {"directive_message_id": d["message_id"], "mention": m}
        for d in plan["directives"]
        for m in d["unresolved_mentions"]
    ]


def test_the_month_covers_every_case_it_claims(plan, expected):
    """Late and missing acks, bare, replied and reacted acks, late and missing done reports,
    the five-fine cap, and fines the replay's end cuts off."""
    answers = [(d, a) for d in plan["directives"] for a in d["assignees"]]
    vias = Counter(a["ack_via"] for _, a in answers)
    assert {"reply", "bare", "reaction", None} <= set(vias)
    waits = [
        mx.parse_time(a["ack_at"]) - mx.parse_time(d["created_at"])
        for d, a in answers
        if a["ack_at"] is not None
    ]
    assert any(w > mx.ACK_WINDOW for w in waits) and any(w < mx.ACK_WINDOW for w in waits)
    per_assignment = Counter((f.directive_message_id, f.user_id) for f in expected)
    unresolved = Counter(
        (f.directive_message_id, f.user_id) for f in expected if f.rule == "unresolved"
    )
    assert mx.UNRESOLVED_MAX in unresolved.values()  # the cap
    assert set(unresolved.values()) - {mx.UNRESOLVED_MAX}  # done late, or cut off by the end
    assert max(per_assignment.values()) == mx.UNRESOLVED_MAX + 1
    end = mx.replay_end(plan)
    cut_off = [
        d
        for d, a in answers
        if d["deadline_at"]
        and a["done_at"] is None
        and unresolved[d["message_id"], a["user_id"]] < mx.UNRESOLVED_MAX
    ]
    assert cut_off
    assert all(mx.parse_time(d["deadline_at"]) + 4 * mx.UNRESOLVED_REPEAT > end for d in cut_off)
    assert {"notice", "task"} == {d["kind"] for d in plan["directives"]}
    assert {None, "今天下班前", "明天中午12点前"} == {
        d["deadline_phrase"] for d in plan["directives"]
    }


def test_the_headline_numbers_are_the_ones_the_readme_gives(plan, expected):
    """examples/sales-month/README.md quotes these; a changed generator must update both."""
    assert len(plan["directives"]) == 95
    assert sum(len(d["assignees"]) for d in plan["directives"]) == 281
    assert (len(expected), sum(f.amount_fen for f in expected)) == (151, 1_065_000)
    assert mx.totals_by_department(expected, plan) == {
        "销售一部": 290_000,
        "销售二部": 220_000,
        "市场部": 210_000,
        "客服部": 200_000,
        None: 145_000,
    }


def test_the_daily_summary_adds_up(plan, expected):
    days = mx.by_day(plan, expected)
    acked = [(d, a) for d in plan["directives"] for a in d["assignees"] if a["ack_at"] is not None]
    assert sum(s.acks_on_time + s.acks_late for s in days.values()) == len(acked)
    assert sum(s.fines for s in days.values()) == len(expected)
    assert sum(s.fines_fen for s in days.values()) == sum(f.amount_fen for f in expected)
    assert all(s.fines_fen == 0 for day, s in days.items() if s.fines == 0)


def test_the_plan_agrees_with_its_export_and_config(plan):
    export = json.loads((MONTH / "result.json").read_text(encoding="utf-8"))
    assert export["id"] == plan["chat"]["export_id"]
    assert export["type"] == "private_supergroup"
    times = [int(m["date_unixtime"]) for m in export["messages"] if "date_unixtime" in m]
    last = datetime.fromtimestamp(max(times), UTC)
    assert last == mx.parse_time(plan["last_message_at"])
    leaders = {f"user{p['user_id']}" for p in plan["leaders"]}
    by_id = {m["id"]: m for m in export["messages"]}
    for d in plan["directives"]:
        assert by_id[d["message_id"]]["from_id"] in leaders
    for member in plan["roster"]:
        assert member["department"] == mx.department(member["name"])
    config = load_config(MONTH / "tracker.toml")
    (chat,) = config.chats
    assert chat.chat_id == plan["chat"]["bot_api_id"]
    assert sorted(chat.leaders) == sorted(p["user_id"] for p in plan["leaders"])
    assert [(m.user_id, m.name) for m in chat.members] == [
        (p["user_id"], p["name"]) for p in plan["roster"]
    ]
    assert (MONTH / "result.json").stat().st_size < 2_000_000


def test_the_generator_is_deterministic_and_matches_the_committed_files(tmp_path):
    for run in ("a", "b"):
        subprocess.run(
            [sys.executable, MONTH / "make_export.py", tmp_path / run],
            check=True,
            capture_output=True,
            timeout=120,
        )
    for name in FILES:
        made = (tmp_path / "a" / name).read_bytes()
        assert made == (tmp_path / "b" / name).read_bytes(), name
        assert made == (MONTH / name).read_bytes(), f"{name}: run make_export.py again"


def test_department_reads_every_separator():
    assert mx.department("销售一部-张伟") == "销售一部"
    assert mx.department("销售一部—赵磊") == "销售一部"
    assert mx.department("客服部－黄婷") == "客服部"
    assert mx.department("市场部–郑浩") == "市场部"
    assert mx.department("陈静") is None


def test_the_replay_summary_and_tracker_stats_agree_and_fit_80_columns(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    config = MONTH / "tracker.toml"

    def tracker(*args) -> str:
        done = run_tracker(*args, columns=80)
        assert done.returncode == 0, done.stderr
        return done.stdout

    summary = tracker("replay", MONTH / "result.json", "--config", config, "--db", url)
    stats = tracker(
        "stats", "--chat", -1001987650312, "--since", "2026-10-01", "--config", config, "--db", url
    )
    headline = "".join(summary.split("指令与回复")[0].splitlines()[2:])  # rich folds at 80
    replies = headline.split("回复统计：", 1)[1].rstrip()
    total = stats.splitlines()[-1].removeprefix("合计：")
    assert replies == total
    table = summary.split("指令与回复")[1].split("罚款记录")[0]
    assert all(len(line) <= 80 for line in table.splitlines())
    status_cells = [line.split("│")[5] for line in table.splitlines() if line.count("│") == 6]
    assert not any("…" in cell for cell in status_cells)  # folded, never cut
