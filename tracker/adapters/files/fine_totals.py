"""The totals sheet of the finance export: per member, grouped by department with a subtotal
after each, and a grand total. Waived fines are counted apart and left out of every amount."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from tracker.adapters.files.xlsx_stream import Column
from tracker.domain.ledger import FineStatus
from tracker.texts import export as words

TOTAL_COLUMNS = [
    Column(title, kind, width=width)
    for title, (kind, width) in zip(
        words.TOTAL_HEADERS,
        [("text", 16), ("text", 18), ("int", 12), ("int", 7)]
        + [("money", 12)] * 3
        + [("int", 10)],
        strict=True,
    )
]


@dataclass
class Tally:
    name: str
    count: int = 0
    due_fen: int = 0
    paid_fen: int = 0
    waived: int = 0

    def add(self, amount_fen: int, status: str) -> None:
        if status == FineStatus.WAIVED:
            self.waived += 1
            return
        self.count += amount_fen > 0
        self.due_fen += amount_fen
        if status == FineStatus.PAID:
            self.paid_fen += amount_fen


@dataclass
class ExportResult:
    fines: int = 0  # rows listed, waived ones included
    total_fen: int = 0  # what counts: booked and paid, reversals included
    members: dict[tuple[str, int], Tally] = field(default_factory=dict)


def tally(result: ExportResult, row: tuple) -> None:
    department, name, fen, user_id, status = row[4], row[3], row[8], row[14], row[15]
    result.fines += 1
    if status != FineStatus.WAIVED:
        result.total_fen += fen
    key = (department or words.NO_DEPARTMENT, user_id)
    tally = result.members.get(key)
    if tally is None:
        tally = result.members[key] = Tally(name)
    tally.name = name  # the latest name
    tally.add(fen, status)


def total_lines(result: ExportResult) -> Iterator[tuple[list, bool]]:
    """Member rows grouped by department, a subtotal after each department, a grand total."""
    grand = Tally(words.GRAND_TOTAL)
    departments: dict[str, list[tuple[int, Tally]]] = {}
    for (department, user_id), member in sorted(result.members.items()):
        departments.setdefault(department, []).append((user_id, member))
    for department, members in departments.items():
        sub = Tally(words.subtotal(department))
        for user_id, t in sorted(members, key=lambda m: (-m[1].due_fen, m[1].name)):
            yield _line(department, t.name, user_id, t), False
            for total in (sub, grand):
                total.count += t.count
                total.due_fen += t.due_fen
                total.paid_fen += t.paid_fen
                total.waived += t.waived
        yield _line(department, sub.name, None, sub), True
    yield _line(words.GRAND_TOTAL, "", None, grand), True


def _line(department: str, name: str, user_id: int | None, t: Tally) -> list:
    return [
        department,
        name,
        user_id,
        t.count,
        t.due_fen,
        t.paid_fen,
        t.due_fen - t.paid_fen,
        t.waived,
    ]
