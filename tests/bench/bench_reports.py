"""Benchmark: the finance export of 1,000,000 fines to XLSX, and the digest of a chat with 5,000
open items.

    make bench            (or: .venv/bin/python -m tests.bench.bench_reports [--fines N])

Goals (issue 6, on the 2-core machine): the export < 30 s with peak RSS < 300 MB, measured end
to end as a child process (`python -m tracker export --month 2026-11 -o …`: start, migrations
check, reading, writing the file); the digest < 1 s (reading the ledger as of an instant and
wording it, in process). Best of N runs (default 3). The database is generated once into
build/bench/reports.db (rows written straight into SQLite, the schema made by the migrations).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tracker.adapters.db.engine import make_engine, migrate
from tracker.adapters.db.sql_ledger import SqlLedger

OUT = Path("build/bench")
BIG_CHAT = -1001000000001  # a month of fines across 400 members
OPEN_CHAT = -1001000000002  # 5,000 open items
START = datetime(2026, 11, 1, tzinfo=UTC)
DEPARTMENTS = ["销售一部", "销售二部", "市场部", "客服部", "财务部", "行政人事部", "技术中心"]
TEXTS = [
    "请大家今天下班前把本周客户拜访计划发群里",
    "@所有人 月底前把报销单交到财务",
    "明天上午10点前把合同扫描件发我",
    "把华东区本月回款情况报一下",
    "周五前提交季度总结，按模板来",
]


def _ts(at: datetime) -> str:
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def build(db: Path, fines: int, open_items: int) -> None:
    """Directives with 10 assignees each and one fine per assignment; plus the open chat."""
    engine = make_engine(f"sqlite:///{db}")
    migrate(engine)
    engine.dispose()
    rng = random.Random(6)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA synchronous=OFF")
    members = [(2000 + i, f"{DEPARTMENTS[i % len(DEPARTMENTS)]}-员工{i:03d}") for i in range(400)]
    conn.executemany(
        "INSERT INTO chats (id, title, last_message_id) VALUES (?, ?, 0)",
        [(BIG_CHAT, "华东大区工作群"), (OPEN_CHAT, "项目攻坚群")],
    )
    directives, assignments, rows = [], [], []
    per = 10
    for d in range(fines // per):
        created = START + timedelta(seconds=d * (29 * 86400 // (fines // per)))
        text = f"{TEXTS[d % len(TEXTS)]}（第{d}号）"
        directives.append(
            (
                BIG_CHAT,
                d + 1,
                "task",
                1001,
                text,
                _ts(created),
                _ts(created + timedelta(minutes=30)),
            )
        )
        for user_id, name in rng.sample(members, per):
            assignments.append((BIG_CHAT, d + 1, user_id, name, "overdue"))
            rows.append(
                (
                    BIG_CHAT,
                    d + 1,
                    user_id,
                    name,
                    "no_ack",
                    0,
                    10_000,
                    "CNY",
                    _ts(created + timedelta(minutes=30)),
                    "booked",
                    "2026-11",
                )
            )
    for d in range(open_items // 50):
        created = START + timedelta(days=20, minutes=d * 7)
        directives.append(
            (
                OPEN_CHAT,
                d + 1,
                "task",
                1001,
                f"攻坚任务第{d}项，今天下班前反馈进度",
                _ts(created),
                _ts(created + timedelta(minutes=30)),
            )
        )
        for user_id, name in members[:50]:
            assignments.append((OPEN_CHAT, d + 1, user_id, name, "overdue"))
    conn.executemany(
        "INSERT INTO directives (chat_id, message_id, kind, author_id, text, created_at, "
        "ack_due_at, deadline_phrase, cancelled, open, unresolved_mentions) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 0, 1, '')",
        directives,
    )
    conn.executemany(
        "INSERT INTO assignments (chat_id, message_id, user_id, name, status) VALUES (?,?,?,?,?)",
        assignments,
    )
    conn.executemany(
        "INSERT INTO fines (chat_id, message_id, user_id, name, rule, sequence, amount_fen, "
        "currency, booked_at, status, period) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    conn.commit()
    conn.close()


def bench_export(db: Path, config: Path, runs: int) -> tuple[float, float, int]:
    target = OUT / "fines-2026-11.xlsx"
    command = [
        sys.executable,
        "-m",
        "tracker",
        "export",
        "--month",
        "2026-11",
        "--format",
        "xlsx",
        "-o",
        str(target),
        "--config",
        str(config),
        "--db",
        f"sqlite:///{db}",
    ]
    times, peaks = [], []
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own peak RSS
        times.append(time.perf_counter() - started)
        if status != 0:
            sys.exit(f"export failed: {child.stderr.read().decode()[-2000:]}")
        peaks.append(usage.ru_maxrss / 1024)
    return min(times), max(peaks), target.stat().st_size


def bench_digest(db: Path, runs: int) -> tuple[float, int, int]:
    from tracker.domain.rules import ChatSettings
    from tracker.services.digests import collect
    from tracker.texts.digest import digest_text

    engine = make_engine(f"sqlite:///{db}")
    settings = ChatSettings(OPEN_CHAT, "项目攻坚群", frozenset({1001}))
    at = START + timedelta(days=22, hours=10)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        with engine.connect() as conn:
            data = collect(SqlLedger(conn), settings, at.date(), at)
            text = digest_text(data)
        times.append(time.perf_counter() - started)
    return min(times), len(data.items), len(text)


def _argv_prefix() -> list[str]:
    return [sys.executable, "-m", "tests.bench.bench_reports", *sys.argv[1:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fines", type=int, default=1_000_000)
    parser.add_argument("--open-items", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"reports-{args.fines}.db"
    if args.build_only:
        build(db, args.fines, args.open_items)
        return
    if not db.exists():
        # In a child: a child forked from a big parent would report the parent's RSS as its own.
        print(f"building {db} …", file=sys.stderr)
        subprocess.run([*_argv_prefix(), "--build-only"], check=True)
    config = OUT / "reports.toml"
    config.write_text(
        f'[[chats]]\nid = {BIG_CHAT}\nname = "华东大区工作群"\nleaders = [1001]\n'
        f'[[chats]]\nid = {OPEN_CHAT}\nname = "项目攻坚群"\nleaders = [1001]\n',
        encoding="utf-8",
    )
    seconds, rss, size = bench_export(db, config, args.runs)
    print(
        f"export of {args.fines:,} fines to XLSX: {seconds:.2f} s (goal < 30 s), "
        f"peak RSS {rss:.0f} MB (goal < 300 MB), file {size / 1e6:.1f} MB"
    )
    seconds, items, length = bench_digest(db, args.runs)
    print(
        f"digest of a chat with {items:,} open items: {seconds * 1000:.0f} ms (goal < 1 s), "
        f"{length} characters"
    )


if __name__ == "__main__":
    main()
