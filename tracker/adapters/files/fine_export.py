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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Engine, String, and_, select, type_coerce

from tracker.adapters.db import orm
from tracker.adapters.files.xlsx_stream import Column, XlsxWriter
from tracker.config.loading import export_id
from tracker.domain.departments import department_of
from tracker.domain.ledger import FineStatus
from tracker.domain.money import fen_text
from tracker.domain.rules import ChatRules, ChatSettings
from tracker.texts.common import RULE_CN

_F, _D, _C = orm.Fine.__table__, orm.Directive.__table__, orm.Chat.__table__
STATUS_CN = {FineStatus.BOOKED: "未缴", FineStatus.PAID: "已缴", FineStatus.WAIVED: "已免除"}
NO_DEPARTMENT = "（未标注部门）"
FINE_COLUMNS = [
    Column("记账时间", "datetime", width=17),
    Column("所属月份", "text", width=9),
    Column("群", "text", width=16),
    Column("成员", "text", width=16),
    Column("部门", "text", width=12),
    Column("规则", "text", width=11),
    Column("指令内容", "text", width=40),
    Column("指令链接", "link", width=34),  # clickable: =HYPERLINK(), see xlsx_cells.Links
    Column("金额（元）", "money", width=11),
    Column("状态", "text", width=8),
    Column("免除/冲销原因", "text", width=20),
    Column("罚款编号", "int", width=9),
    Column("成员ID", "int", width=12),
]
TOTAL_COLUMNS = [
    Column("部门", "text", width=16),
    Column("成员", "text", width=18),
    Column("成员ID", "int", width=12),
    Column("笔数", "int", width=7),
    Column("应缴（元）", "money", width=12),
    Column("已缴（元）", "money", width=12),
    Column("未缴（元）", "money", width=12),
    Column("已免除笔数", "int", width=10),
]
SettingsOf = Callable[[int], ChatSettings | None]


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


def message_link(chat_id: int, message_id: int) -> str:
    """t.me link to a supergroup message; basic groups have none."""
    if chat_id < -(10**12):
        return f"https://t.me/c/{export_id(chat_id)}/{message_id}"
    return ""


def fine_rows(
    engine: Engine, month: str, chat_ids: list[int] | None, settings_of: SettingsOf
) -> Iterator[tuple]:
    """(booked local, period, chat, member, department, rule, text, link, fen, status, reason,
    id, user id, status key) in booking order."""
    columns, query = _fines_query(month, chat_ids)
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # stored UTC text, parsed here: SQLAlchemy's per-row conversion costs 3x
            query = query.with_only_columns(
                *(
                    type_coerce(c, String).label(c.name) if c is _F.c.booked_at else c
                    for c in columns
                )
            )
        chats: dict[int, tuple] = {}
        result = conn.execution_options(stream_results=True, yield_per=5_000).execute(query)
        for (
            fine_id,
            chat_id,
            message_id,
            user_id,
            name,
            rule,
            fen,
            status,
            reason,
            booked,
            period,
            text,
            title,
        ) in result:
            chat = chats.get(chat_id)
            if chat is None:
                chat = chats[chat_id] = _chat_context(settings_of, chat_id, title)
            zone, pattern, chat_name = chat
            if sqlite:
                booked = datetime.fromisoformat(booked).replace(tzinfo=UTC)
            yield (
                booked.astimezone(zone).replace(tzinfo=None, microsecond=0),
                period,
                chat_name,
                name,
                department_of(name, pattern),
                RULE_CN.get(rule, rule),
                text,
                message_link(chat_id, message_id),
                fen,
                STATUS_CN.get(status, status),
                reason,
                fine_id,
                user_id,
                status,
            )


def _fines_query(month: str, chat_ids: list[int] | None):
    """The month's fines with their directive's text and chat's title, in booking order."""
    columns = [
        _F.c.id,
        _F.c.chat_id,
        _F.c.message_id,
        _F.c.user_id,
        _F.c.name,
        _F.c.rule,
        _F.c.amount_fen,
        _F.c.status,
        _F.c.waived_reason,
        _F.c.booked_at,
        _F.c.period,
        _D.c.text,
        _C.c.title,
    ]
    where = [_F.c.period == month]
    if chat_ids is not None:
        where.append(_F.c.chat_id.in_(chat_ids))
    query = (
        select(*columns)
        .select_from(
            _F.join(
                _D, and_(_D.c.chat_id == _F.c.chat_id, _D.c.message_id == _F.c.message_id)
            ).outerjoin(_C, _C.c.id == _F.c.chat_id)
        )
        .where(*where)
        .order_by(_F.c.booked_at, _F.c.id)
    )
    return columns, query


def _chat_context(settings_of: SettingsOf, chat_id: int, title: str | None) -> tuple:
    """(zone, department pattern, name) of a chat, from its settings or what is stored."""
    settings = settings_of(chat_id)
    rules = settings.rules if settings else ChatRules()  # not even adopted
    chat_name = settings.name if settings else (title or str(chat_id))
    return rules.timezone, rules.department_pattern, chat_name


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


def _tally(result: ExportResult, row: tuple) -> None:
    department, name, fen, user_id, status = row[4], row[3], row[8], row[12], row[13]
    result.fines += 1
    if status != FineStatus.WAIVED:
        result.total_fen += fen
    key = (department or NO_DEPARTMENT, user_id)
    tally = result.members.get(key)
    if tally is None:
        tally = result.members[key] = Tally(name)
    tally.name = name  # the latest name
    tally.add(fen, status)


def _xlsx(rows: Iterator[tuple], out) -> ExportResult:
    result = ExportResult()
    with XlsxWriter(out) as book:
        sheet = book.sheet("罚款明细", FINE_COLUMNS)
        for row in rows:
            _tally(result, row)
            sheet.row(row[:13])
        totals = book.sheet("汇总", TOTAL_COLUMNS)
        for line, bold in total_lines(result):
            totals.row(line, bold=bold)
    return result


def total_lines(result: ExportResult) -> Iterator[tuple[list, bool]]:
    """Member rows grouped by department, a subtotal after each department, a grand total."""
    grand = Tally("合计")
    departments: dict[str, list[tuple[int, Tally]]] = {}
    for (department, user_id), tally in sorted(result.members.items()):
        departments.setdefault(department, []).append((user_id, tally))
    for department, members in departments.items():
        sub = Tally(f"{department} 小计")
        for user_id, t in sorted(members, key=lambda m: (-m[1].due_fen, m[1].name)):
            yield (
                [
                    department,
                    t.name,
                    user_id,
                    t.count,
                    t.due_fen,
                    t.paid_fen,
                    t.due_fen - t.paid_fen,
                    t.waived,
                ],
                False,
            )
            for total in (sub, grand):
                total.count += t.count
                total.due_fen += t.due_fen
                total.paid_fen += t.paid_fen
                total.waived += t.waived
        yield (
            [
                department,
                sub.name,
                None,
                sub.count,
                sub.due_fen,
                sub.paid_fen,
                sub.due_fen - sub.paid_fen,
                sub.waived,
            ],
            True,
        )
    yield (
        [
            "合计",
            "",
            None,
            grand.count,
            grand.due_fen,
            grand.paid_fen,
            grand.due_fen - grand.paid_fen,
            grand.waived,
        ],
        True,
    )


def _csv(rows: Iterator[tuple], out) -> ExportResult:
    result = ExportResult()
    opened = isinstance(out, str | Path)
    raw = open(out, "wb") if opened else out  # noqa: SIM115 (closed below)
    try:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow([c.title for c in FINE_COLUMNS])
        for row in rows:
            _tally(result, row)
            line = list(row[:13])
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
