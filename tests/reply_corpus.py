"""The labelled reply corpus in tests/data/replies/: one TSV per family group."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPLIES = Path(__file__).parent / "data" / "replies"


@dataclass(frozen=True)
class Labelled:
    source: str
    line: int
    ack: bool
    family: str
    text: str
    reason: str


def load(*names: str) -> list[Labelled]:
    """Every labelled reply of the named files (all files when none are named)."""
    paths = [REPLIES / f"{n}.tsv" for n in names] or sorted(REPLIES.glob("*.tsv"))
    items = []
    for path in paths:
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not raw.strip() or raw.startswith("#"):
                continue
            label, family, text, reason = raw.split("\t")
            if label not in ("ack", "not"):
                raise ValueError(f"{path.name}:{number}: label {label!r} is not ack/not")
            text = text.replace("\\n", "\n")
            items.append(Labelled(path.stem, number, label == "ack", family, text, reason))
    return items
