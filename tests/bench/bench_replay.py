"""Benchmark: replay a generated 200,000-message export into a fresh SQLite file, end to end.

    make bench            (or: .venv/bin/python -m tests.bench.bench_replay [--messages N])

Goals (issue 3, on the 2-core machine): >= 20,000 messages/s, peak RSS < 500 MB, and the replay
no more than 5x a bare json.load of the same file. Both are timed best of N (default 3). The
replay runs first, as a child process (`python -m tracker replay ... --json`), so its time and
peak RSS are its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from tests.bench.gen_export import generate

OUT = Path("build/bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3, help="best of N runs of each")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    export = OUT / f"export-{args.messages}.json"
    if not export.exists():
        generate(export, messages=args.messages)
    config = Path(f"{export}.toml")
    size_mb = export.stat().st_size / 1e6

    db = OUT / "replay.db"
    command = [
        sys.executable,
        "-m",
        "tracker",
        "replay",
        str(export),
        "--config",
        str(config),
        "--db",
        f"sqlite:///{db}",
        "--json",
    ]
    replay_runs = []
    for _ in range(args.runs):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, env={**os.environ, "COLUMNS": "100"})
        replay_runs.append(time.perf_counter() - started)
        if result.returncode != 0:
            sys.exit(f"replay failed: {result.stderr.decode()[-2000:]}")
    # Read before this process grows: a child forked from a big parent starts with its RSS.
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    json_runs = []
    for _ in range(args.runs):
        started = time.perf_counter()
        with export.open("rb") as f:
            messages = len(json.load(f)["messages"])
        json_runs.append(time.perf_counter() - started)
    # Best of N for both (as timeit does): the least disturbed run of each.
    replay_seconds, json_seconds = min(replay_runs), min(json_runs)

    report = json.loads(result.stdout)["chats"][0]
    assignees = sum(len(d["assignees"]) for d in report["directives"])

    rate = messages / replay_seconds
    ratio = replay_seconds / json_seconds
    rows = [
        ("export", f"{messages:,} messages, {size_mb:.1f} MB"),
        (
            "outcome",
            f"{len(report['directives']):,} directives, {assignees:,} assignments, "
            f"{len(report['reminders']):,} reminders, {len(report['fines']):,} fines",
        ),
        (
            "json.load",
            f"{json_seconds:.2f} s  (best of {args.runs}: "
            f"{', '.join(f'{t:.2f}' for t in json_runs)})",
        ),
        (
            "replay (end to end)",
            f"{replay_seconds:.2f} s  (best of {args.runs}: "
            f"{', '.join(f'{t:.2f}' for t in replay_runs)})",
        ),
        ("throughput", f"{rate:,.0f} messages/s  (goal >= 20,000)"),
        ("replay / json.load", f"{ratio:.1f}x  (goal <= 5x)"),
        ("peak RSS", f"{peak_mb:.0f} MB  (goal < 500 MB)"),
    ]
    for name, value in rows:
        print(f"{name:<22}{value}")


if __name__ == "__main__":
    main()
