"""Score labelled reply files the way the engine uses the reader: alone (a bare message counts
only when clearly a yes) and as a reply to the directive (an unsure reading counts too, marked
待确认 for a leader). For sets kept out of the corpus floors, to measure phrasings not seen:

    .venv/bin/python -m tests.bench.score_unseen tests/data/unseen/holdout10.tsv
"""

from __future__ import annotations

import sys
from pathlib import Path

from tracker.domain.replies.reading import Verdict, read_reply


def score(path: Path) -> str:
    n = alone = as_reply = missed = wrongly = 0
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#"):
            continue
        label, _family, text, _reason = raw.split("\t")
        reading, ack = read_reply(text.replace("\\n", "\n")), label == "ack"
        counted = reading.verdict is not Verdict.NOT
        n += 1
        alone += reading.acknowledges == ack
        as_reply += counted == ack
        missed += ack and not counted
        wrongly += counted and not ack
    return (
        f"{path.name}: alone {100 * alone / n:.1f}%; as a reply to the directive "
        f"{100 * as_reply / n:.1f}% (acks missed {missed}, others counted {wrongly})"
    )


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(score(Path(name)))
