"""The reply reader on the labelled corpus: accuracy, precision and recall of "ack", and µs per
call, through `is_ack` (the call the engine makes for every member message).

Run: .venv/bin/python -m tests.bench.bench_acks [--rounds 5]

Each file of tests/data/replies/ is scored on its own; the holdout files were written by other
authors without seeing the reader. Time is the mean over every reply of the corpus,
the best of the rounds, with the normaliser's work included (no cache).
"""

from __future__ import annotations

import argparse
import gc
import time

from tests.reply_corpus import load
from tracker.domain.replies.acks import is_ack


def score(items) -> tuple[float, float, float, int, int]:
    tp = fp = fn = tn = 0
    for item in items:
        got = is_ack(item.text)
        tp += got and item.ack
        fp += got and not item.ack
        fn += (not got) and item.ack
        tn += (not got) and not item.ack
    accuracy = (tp + tn) / len(items)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return accuracy, precision, recall, fp, fn


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    items = load()
    print(f"reply reader: {len(items)} labelled replies")
    print(f"{'file':<22}{'n':>6}{'accuracy':>10}{'precision':>11}{'recall':>8}{'FP':>5}{'FN':>5}")
    for source in sorted({i.source for i in items}):
        part = [i for i in items if i.source == source]
        a, p, r, fp, fn = score(part)
        print(f"{source:<22}{len(part):>6}{a:>10.2%}{p:>11.2%}{r:>8.2%}{fp:>5}{fn:>5}")
    a, p, r, fp, fn = score(items)
    print(f"{'all':<22}{len(items):>6}{a:>10.2%}{p:>11.2%}{r:>8.2%}{fp:>5}{fn:>5}")
    texts = [i.text for i in items]
    best = float("inf")
    gc.disable()
    for _ in range(args.rounds):
        start = time.perf_counter()
        for text in texts:
            is_ack(text)
        best = min(best, (time.perf_counter() - start) / len(texts))
    gc.enable()
    print(
        f"is_ack: {best * 1e6:.1f} µs mean per call (best of {args.rounds} rounds; goal < 50 µs)"
    )


if __name__ == "__main__":
    main()
