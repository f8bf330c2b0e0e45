"""The finance export of a ledger month: XLSX (a sheet of fines, a sheet of totals per
department and member with subtotals) or CSV (the fines, UTF-8 with BOM for Excel).

Rows are streamed from the database and written as they come, so a million fines stay within
a few hundred MB. Amounts stay integer fen until the writer prints them as exact decimals;
waived fines are listed but left out of every total.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Engine

from tracker.adapters.files.fine_rows import SettingsOf, fine_rows
from tracker.adapters.files.fine_totals import TOTAL_COLUMNS, ExportResult, tally, total_lines
from tracker.adapters.files.xlsx_stream import Column, XlsxWriter
from tracker.domain.money import fen_text
from tracker.texts import export as words

FINE_COLUMNS = [
    Column(title, kind, width=width)
    for title, (kind, width) in zip(
        words.FINE_HEADERS,
        [
            ("datetime", 17),
            ("text", 9),  # month
            ("text", 16),  # chat
            ("text", 16),  # member
            ("text", 12),  # department
            ("text", 11),  # rule
            ("text", 40),  # directive
            ("link", 34),  # clickable: =HYPERLINK(), see xlsx_cells.Links
            ("money", 11),
            ("text", 8),  # status
            ("text", 20),  # reason waived or reversed
            ("text", 9),  # appeal: none, open, granted, denied
            ("text", 9),  # member: left the chat, or blank
            ("int", 9),  # fine id
            ("int", 12),  # member id
        ],
        strict=True,
    )
]


def export_month(
    engine: Engine,
    month: str,
    out: Path | BinaryIO,
    fmt: str = "xlsx",
    chat_ids: list[int] | None = None,
    settings_of: SettingsOf = lambda _: None,
    progress: Callable[[int], None] | None = None,
) -> ExportResult:
    """`progress`, if given, is told how many rows were written, every 10,000."""
    rows = fine_rows(engine, month, chat_ids, settings_of)
    if progress is not None:
        rows = _counted(rows, progress)
    if fmt == "csv":
        return _csv(rows, out)
    return _xlsx(rows, out)


def _counted(rows: Iterator[tuple], progress: Callable[[int], None]) -> Iterator[tuple]:
    done = 0
    for done, row in enumerate(rows, 1):  # noqa: B007  (`done` is read after the loop)
        yield row
        if done % 10_000 == 0:
            progress(done)
    progress(done)


def _xlsx(rows: Iterator[tuple], out) -> ExportResult:
    result = ExportResult()
    with XlsxWriter(out) as book:
        sheet = book.sheet(words.FINES_SHEET, FINE_COLUMNS)
        for row in rows:
            tally(result, row)
            sheet.row(row[:15])
        totals = book.sheet(words.TOTALS_SHEET, TOTAL_COLUMNS)
        for line, bold in total_lines(result):
            totals.row(line, bold=bold)
    return result


def _csv(rows: Iterator[tuple], out) -> ExportResult:
    result = ExportResult()
    opened = isinstance(out, str | Path)
    raw = open(out, "wb") if opened else out  # noqa: SIM115 (closed below)
    try:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow([c.title for c in FINE_COLUMNS])
        for row in rows:
            tally(result, row)
            line = list(row[:15])
            line[0] = f"{row[0]:%Y-%m-%d %H:%M:%S}"
            line[8] = fen_text(row[8])
            writer.writerow(
                [_csv_cell(v, c.kind) for c, v in zip(FINE_COLUMNS, line, strict=True)]
            )
        text.flush()
        text.detach()
    finally:
        if opened:
            raw.close()
    return result


_FORMULA_START = ("=", "+", "-", "@")


def _csv_cell(value, kind: str):
    """Text that Excel would take for a formula ("@张伟 把…", "=1+1") gets a leading apostrophe,
    Excel's own mark for "this is text" (and the usual guard against CSV formula injection)."""
    if value is None:
        return ""
    if kind in ("text", "link") and isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
