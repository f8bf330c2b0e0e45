"""Export fuzz (issue 12): 10,000 mutated exports replayed, 50 of them by `tracker replay`.

    .venv/bin/python -m tests.bench.bench_export_fuzz [--cases N] [--cli N] [--only CASE ...]

Each case is the small export of `tests/export_fuzz.py` with one to three mutations (keys
deleted, values of other types, huge and negative integers, odd Unicode, nested junk, duplicate
ids, dates moved out of order) and, one case in five, damage to the file (truncation, UTF-16 or
GB18030, a BOM or two, bytes that are not UTF-8, nesting 5,000 deep, a 5,000-digit number).
Each is replayed as `tracker replay` does, into a fresh copy of a migrated SQLite database, and
must replay or be refused with one TrackerError line. The cases run by the real command must
print exactly the line found in process (exit 2), or replay (exit 0). Prints the counts for
docs/performance.md; exits 1 on any traceback or any refusal that is not one clear line.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from tests.export_fuzz import SEED, check_command_line, fuzz, pick_for_the_command_line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--cli", type=int, default=50, help="cases run by `tracker replay`")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--only", type=int, nargs="*", help="just these cases, shown in full")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="export-fuzz-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        tally = fuzz(args.cases, workdir, args.seed, only=args.only)
        in_process = time.perf_counter() - started
        if args.only is not None:
            for case in args.only:
                print(f"case {case}: {tally.outcomes[case]}")
        cli_counts, cli_problems = {}, []
        if args.cli and args.only is None:
            started = time.perf_counter()
            cases = pick_for_the_command_line(tally, args.cli)
            cli_counts, cli_problems = check_command_line(tally, cases, workdir, args.seed)
            on_the_command_line = time.perf_counter() - started
    print(f"## Export fuzz: {tally.cases:,} cases, seed {args.seed}\n")
    print("| outcome | cases |\n|---|---|")
    print(f"| replayed | {tally.succeeded:,} |")
    print(f"| refused in one line | {tally.refused_total:,} |")
    for kind, count in tally.refused.most_common():
        print(f"| refused: {kind} | {count:,} |")
    print(f"| tracebacks | {len(tally.tracebacks)} |")
    print(f"| refusals not one clear line | {len(tally.bad_lines)} |")
    print(f"\nBy error class: {dict(tally.errors.most_common())}")
    each = in_process / max(tally.cases, 1) * 1e3
    print(f"In process: {in_process:.1f} s ({each:.1f} ms a case)")
    if cli_counts:
        print(
            f"`tracker replay`: {sum(cli_counts.values())} cases ({dict(cli_counts)}), "
            f"{len(cli_problems)} differing, {on_the_command_line:.1f} s"
        )
    for text in [*tally.tracebacks, *tally.bad_lines, *cli_problems][:10]:
        print(f"\n{text}", file=sys.stderr)
    if tally.tracebacks or tally.bad_lines or cli_problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
