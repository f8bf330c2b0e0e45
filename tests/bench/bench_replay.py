"""Benchmark: replay generated exports end to end, on SQLite and on PostgreSQL, in one run.

    make bench    (or: .venv/bin/python -m tests.bench.bench_replay
                   [--messages 200000,1000000] [--databases sqlite,postgresql] [--runs 3])

Each export is generated once, deterministically, into build/bench (tests/bench/gen_export.py:
one busy supergroup, 200 members, three weeks; a bigger export is the same weeks, busier). Each
replay is a child process (`python -m tracker replay … --json`, stdout to a file) into a fresh
database: a new SQLite file, or a new PostgreSQL database on the server of TRACKER_BENCH_PG_URL
(default postgresql://postgres@127.0.0.1:5432/test), dropped afterwards. Its peak RSS is its own
(`os.wait4`). The bare `json.load` of the same file runs in this process, after the replays.
Timings are best of `--runs` (as timeit does).

Goals (issue 11, on the 2-core machine): replay / json.load <= 4x on SQLite, PostgreSQL within
2x of SQLite, peak RSS < 300 MB at 1,000,000 messages (flat in the number of messages).
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.bench.gen_export import generate

OUT = Path("build/bench")
PG_URL = os.environ.get("TRACKER_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


@dataclass
class Replays:
    seconds: list[float] = field(default_factory=list)
    peak_mb: float = 0.0
    output: Path | None = None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", default="200000,1000000", help="sizes, comma-separated")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=3, help="best of N runs of each")
    args = parser.parse_args()
    sizes = [int(n.replace("_", "")) for n in args.messages.split(",")]
    databases = args.databases.split(",")
    OUT.mkdir(parents=True, exist_ok=True)
    for n, messages in enumerate(sizes):
        if n:
            print()
        bench_size(messages, databases, args.runs)


def bench_size(messages: int, databases: list[str], runs: int) -> None:
    export = OUT / f"export-{messages}.json"
    if not export.exists():
        generate(export, messages=messages)
    replays = {db: replay_runs(export, db, runs) for db in databases}
    json_runs = []
    for _ in range(runs):
        started = time.perf_counter()
        with export.open("rb") as f:
            count = len(json.load(f)["messages"])
        json_runs.append(time.perf_counter() - started)
    json_seconds = min(json_runs)

    first = replays[databases[0]]
    report = json.loads(first.output.read_bytes())["chats"][0]
    assignees = sum(len(d["assignees"]) for d in report["directives"])
    rows = [
        ("export", f"{count:,} messages, {export.stat().st_size / 1e6:.1f} MB"),
        (
            "outcome",
            f"{len(report['directives']):,} directives, {assignees:,} assignments, "
            f"{len(report['reminders']):,} reminders, {len(report['fines']):,} fines",
        ),
        ("json.load", f"{json_seconds:.2f} s  ({_runs(json_runs)})"),
    ]
    del report
    for db, done in replays.items():
        best = min(done.seconds)
        rows += [
            (f"replay {db}", f"{best:.2f} s  ({_runs(done.seconds)})"),
            (
                "  / json.load",
                f"{best / json_seconds:.1f}x" + ("  (goal <= 4x)" * (db == "sqlite")),
            ),
            ("  throughput", f"{count / best:,.0f} messages/s"),
            ("  peak RSS", f"{done.peak_mb:.0f} MB  (goal < 300 MB)"),
        ]
    if "sqlite" in replays and "postgresql" in replays:
        sqlite, postgres = replays["sqlite"], replays["postgresql"]
        rows.append(
            (
                "postgresql / sqlite",
                f"{min(postgres.seconds) / min(sqlite.seconds):.2f}x  (goal <= 2x)",
            )
        )
        same = filecmp.cmp(sqlite.output, postgres.output, shallow=False)
        rows.append(("same --json output", "yes" if same else "NO: the databases disagree"))
    for name, value in rows:
        print(f"{name:<22}{value}", flush=True)


def replay_runs(export: Path, db: str, runs: int) -> Replays:
    done = Replays(output=OUT / f"{export.stem}-{db}.out.json")
    for _ in range(runs):
        with fresh_database(db) as url:
            seconds, peak_mb = replay_once(export, url, done.output)
        done.seconds.append(seconds)
        done.peak_mb = max(done.peak_mb, peak_mb)
    return done


class fresh_database:  # noqa: N801  (used as a context manager)
    """A new SQLite file, or a new PostgreSQL database, dropped on exit."""

    def __init__(self, db: str) -> None:
        self.db = db
        self.name = f"tracker_bench_{os.getpid()}"

    def __enter__(self) -> str:
        if self.db == "sqlite":
            self._remove()
            return f"sqlite:///{OUT / 'replay.db'}"
        base = make_url(PG_URL).set(drivername="postgresql+psycopg")
        self.admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {self.name}"))
            conn.execute(text(f"CREATE DATABASE {self.name}"))
        return base.set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *_) -> None:
        if self.db == "sqlite":
            self._remove()
            return
        with self.admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {self.name}"))
        self.admin.dispose()

    def _remove(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{OUT / 'replay.db'}{suffix}").unlink(missing_ok=True)


def replay_once(export: Path, url: str, output: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one `tracker replay --json` child process."""
    command = [sys.executable, "-m", "tracker", "replay", str(export)]
    command += ["--config", f"{export}.toml", "--db", url, "--json"]
    errors = output.with_suffix(".err")
    with output.open("wb") as out, errors.open("wb") as err:
        started = time.perf_counter()
        child = subprocess.Popen(
            command, stdout=out, stderr=err, env={**os.environ, "COLUMNS": "100"}
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"replay failed ({url}): {errors.read_text()[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def _runs(seconds: list[float]) -> str:
    return f"best of {len(seconds)}: " + ", ".join(f"{t:.2f}" for t in seconds)


if __name__ == "__main__":
    main()
