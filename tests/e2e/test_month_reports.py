"""The reports of the generated month, as finance and managers use them: `tracker export` (XLSX
cell by cell, CSV), waivers and `tracker fines mark-paid`, `tracker month close` with a reversal
in the next month, and the daily digest (日清日结) of every day.

The month is replayed once into a SQLite file (as tests/e2e/test_month_replay.py does); a test
that changes the ledger works on its own copy. Every expected number comes from the plan
(tests/month_expectations.py, and the small as-of helpers below), never from the engine.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from tests import month_expectations as mx
from tests.cli_runner import run_tracker
from tracker.adapters.db import ledger, orm
from tracker.adapters.db.engine import make_engine
from tracker.adapters.db.fine_queries import FineQueries
from tracker.adapters.db.sql_ledger import SqlLedger
from tracker.adapters.files.fine_export import FINE_COLUMNS
from tracker.adapters.files.fine_totals import TOTAL_COLUMNS
from tracker.adapters.telegram.export_reader import read_export
from tracker.config.loading import load_config
from tracker.domain.digest import ItemState
from tracker.domain.periods import month_bounds
from tracker.entrypoints.bootstrap import build_service
from tracker.entrypoints.replay import replay
from tracker.services.digests import collect
from tracker.services.tracker import REPLAYED
from tracker.texts.common import RULE_CN
from tracker.texts.digest import digest_text
from tracker.texts.export import NO_DEPARTMENT

ROOT = Path(__file__).resolve().parents[2]
MONTH = ROOT / "examples" / "sales-month"
CONFIG = MONTH / "tracker.toml"
SH = mx.TIMEZONE
CENT = Decimal("0.01")
LEADER = 5210000001  # 王总
WANG_FANG, CHEN_JING, HUANG_TING = 5210001301, 5210001501, 5210001402
AFTER_THE_MONTH = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 on 1 December in Shanghai
STATUS = {"booked": "未缴", "paid": "已缴", "waived": "已免除"}


@dataclass(frozen=True)
class Month:
    db: Path  # the replayed month; copy it before changing anything
    plan: dict
    expected: list[mx.ExpectedFine]
    ids: dict[tuple, int]  # (directive message id, user id, rule, sequence) -> fine id

    @property
    def chat_id(self) -> int:
        return self.plan["chat"]["bot_api_id"]

    def names(self) -> dict[int, str]:
        return {m["user_id"]: m["name"] for m in self.plan["roster"]}

    def fine_id(self, f: mx.ExpectedFine) -> int:
        return self.ids[f.directive_message_id, f.user_id, f.rule, f.sequence]


@pytest.fixture(scope="module")
def month(tmp_path_factory) -> Month:
    plan = mx.load_plan(MONTH / "plan.json")
    path = tmp_path_factory.mktemp("month") / "tracker.db"
    config = load_config(CONFIG)
    service, engine = build_service(config, f"sqlite:///{path}", REPLAYED)
    replay(read_export(MONTH / "result.json"), service, config)
    with engine.connect() as conn:
        fines = conn.execute(select(orm.Fine.__table__)).all()
    engine.dispose()
    ids = {(f.message_id, f.user_id, f.rule, f.sequence): f.id for f in fines}
    return Month(path, plan, mx.expected_fines(plan), ids)


@pytest.fixture
def copy(month, tmp_path) -> Path:
    """A private copy of the replayed month, for a test that changes the ledger."""
    path = tmp_path / "ledger.db"
    shutil.copyfile(month.db, path)
    return path


def url(path: Path) -> str:
    return f"sqlite:///{path}"


def tracker(*args) -> subprocess.CompletedProcess:
    """The real command line, as a user runs it."""
    return run_tracker(*args)


def export(db: Path, out: Path, month: str = "2026-11", fmt: str = "xlsx") -> Path:
    result = tracker(
        "export", "--month", month, "--format", fmt, "-o", out, "--config", CONFIG, "--db", url(db)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"wrote {out}: "), result.stdout
    return out


def yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def cents(value) -> Decimal:
    """An amount cell (a number) or a CSV field (text) as exact yuan."""
    return Decimal(str(value)).quantize(CENT)


# -- reading the workbook ------------------------------------------------------------------------
def detail_rows(path: Path) -> list[dict]:
    """罚款明细 as dicts by column title, as Excel shows them (指令链接 is a HYPERLINK formula:
    its cached value, the address, is read); every amount cell is checked to show two decimals."""
    sheet = openpyxl.load_workbook(path, data_only=True)["罚款明细"]
    header, *rows = sheet.iter_rows()
    assert [c.value for c in header] == [c.title for c in FINE_COLUMNS]
    money = [c.title for c in FINE_COLUMNS].index("金额（元）")
    out = []
    for row in rows:
        assert row[money].number_format == "0.00", row[money].coordinate
        assert isinstance(row[money].value, int | float), row[money].coordinate
        out.append({c.title: cell.value for c, cell in zip(FINE_COLUMNS, row, strict=True)})
    return out


@dataclass(frozen=True)
class TotalLine:
    department: str
    name: str | None
    user_id: int | None
    count: int
    due: Decimal
    paid: Decimal
    unpaid: Decimal
    waived: int
    bold: bool


def total_lines(path: Path) -> list[TotalLine]:
    sheet = openpyxl.load_workbook(path)["汇总"]
    header, *rows = sheet.iter_rows()
    assert [c.value for c in header] == [c.title for c in TOTAL_COLUMNS]
    lines = []
    for row in rows:
        values = [c.value for c in row]
        for cell in row[4:7]:
            assert cell.number_format == "0.00", cell.coordinate
        bold = {bool(c.font.b) for c in row if c.value is not None}
        assert len(bold) == 1, f"row {row[0].row} is partly bold"
        dept, name, uid, count, due, paid, unpaid, waived = values
        lines.append(
            TotalLine(
                dept, name, uid, count, cents(due), cents(paid), cents(unpaid), waived, *bold
            )
        )
    return lines


# -- what the plan says the ledger holds ---------------------------------------------------------
@dataclass(frozen=True)
class Sums:
    count: int = 0
    due: Decimal = Decimal("0.00")
    paid: Decimal = Decimal("0.00")
    waived: int = 0

    def plus(self, fen: int, status: str) -> Sums:
        if status == "waived":
            return Sums(self.count, self.due, self.paid, self.waived + 1)
        paid = self.paid + (yuan(fen) if status == "paid" else 0)
        return Sums(self.count + 1, self.due + yuan(fen), paid, self.waived)

    def cells(self) -> tuple:
        return (self.count, self.due, self.paid, self.due - self.paid, self.waived)


def department_cell(name: str) -> str:
    return mx.department(name) or NO_DEPARTMENT


def expected_sums(month: Month, status: dict[int, str]) -> tuple[dict, dict, Sums]:
    """Per member, per department and in all, from the plan's fines and their statuses (by
    fine id; booked unless said otherwise)."""
    names = month.names()
    members: dict[int, Sums] = {}
    departments: dict[str, Sums] = {}
    grand = Sums()
    for f in month.expected:
        state = status.get(month.fine_id(f), "booked")
        dept = department_cell(names[f.user_id])
        members[f.user_id] = members.get(f.user_id, Sums()).plus(f.amount_fen, state)
        departments[dept] = departments.get(dept, Sums()).plus(f.amount_fen, state)
        grand = grand.plus(f.amount_fen, state)
    return members, departments, grand


def check_totals(path: Path, month: Month, status: dict[int, str] | None = None) -> None:
    """汇总: per department its member rows, then its bold 小计; a bold 合计 last; every
    figure equal to the plan's to the fen."""
    members, departments, grand = expected_sums(month, status or {})
    names = month.names()
    lines = total_lines(path)
    *body, last = lines
    assert (last.department, last.name, last.user_id, last.bold) == ("合计", None, None, True)
    assert (last.count, last.due, last.paid, last.unpaid, last.waived) == grand.cells()
    seen_members, seen_departments = {}, []
    current: list[TotalLine] = []
    for line in body:
        if line.user_id is not None:
            assert not line.bold, line
            assert line.name == names[line.user_id]
            assert line.department == department_cell(line.name), line
            seen_members[line.user_id] = line
            current.append(line)
            continue
        assert line.bold and line.name == f"{line.department} 小计", line
        assert current and {m.department for m in current} == {line.department}, line
        want = departments[line.department]
        assert (line.count, line.due, line.paid, line.unpaid, line.waived) == want.cells(), line
        assert line.count == sum(m.count for m in current)  # 笔数 add up
        assert line.due == sum(m.due for m in current)
        seen_departments.append(line.department)
        current = []
    assert current == [], "member rows after the last subtotal"
    assert len(seen_departments) == len(set(seen_departments)), "a department shown twice"
    assert set(seen_departments) == set(departments)
    assert set(seen_members) == set(members)
    for uid, line in seen_members.items():
        got = (line.count, line.due, line.paid, line.unpaid, line.waived)
        assert got == members[uid].cells(), names[uid]
    subtotals = [line for line in body if line.user_id is None]
    assert (
        last.count
        == sum(s.count for s in subtotals)
        == sum(m.count for m in seen_members.values())
    )


def expected_detail(month: Month, status: dict[int, str] | None = None) -> list[tuple]:
    names = month.names()
    status = status or {}
    return [
        (
            month.fine_id(f),
            f.user_id,
            names[f.user_id],
            mx.department(names[f.user_id]),
            RULE_CN[f.rule],
            yuan(f.amount_fen),
            f.booked_at.astimezone(SH).replace(tzinfo=None),
            STATUS[status.get(month.fine_id(f), "booked")],
            f"https://t.me/c/{month.plan['chat']['export_id']}/{f.directive_message_id}",
        )
        for f in month.expected
    ]


def detail_of(row: dict) -> tuple:
    return (
        row["罚款编号"],
        row["成员ID"],
        row["成员"],
        row["部门"],
        row["规则"],
        cents(row["金额（元）"]),
        row["记账时间"],
        row["状态"],
        row["指令链接"],
    )


# -- the export ----------------------------------------------------------------------------------
def test_the_xlsx_export_lists_every_fine_the_plan_implies_cell_by_cell(month, tmp_path):
    rows = detail_rows(export(month.db, tmp_path / "fines.xlsx"))

    assert sorted(detail_of(r) for r in rows) == sorted(expected_detail(month))
    assert [r["记账时间"] for r in rows] == sorted(r["记账时间"] for r in rows)  # booking order
    assert all(isinstance(r["记账时间"], datetime) for r in rows)
    assert {(r["所属月份"], r["群"]) for r in rows} == {("2026-11", month.plan["chat"]["name"])}
    assert all(r["指令内容"] and r["免除/冲销原因"] is None for r in rows)


def test_the_xlsx_totals_match_the_plan_per_member_department_and_in_all(month, tmp_path):
    path = export(month.db, tmp_path / "fines.xlsx")
    check_totals(path, month)

    lines = total_lines(path)
    grand = sum(f.amount_fen for f in month.expected)
    assert lines[-1].due == yuan(grand) and lines[-1].count == len(month.expected)
    by_department = mx.totals_by_department(month.expected, month.plan)
    for line in lines[:-1]:
        if line.user_id is None:
            dept = None if line.department == NO_DEPARTMENT else line.department
            assert line.due == yuan(by_department[dept])
    by_member = mx.totals_by_member(month.expected)
    assert {line.user_id: line.due for line in lines if line.user_id} == {
        uid: yuan(fen) for uid, fen in by_member.items()
    }
    no_department = [line.name for line in lines if line.department == NO_DEPARTMENT]
    assert set(no_department) == {"陈静", "林涛", f"{NO_DEPARTMENT} 小计"}


def test_the_csv_export_starts_with_a_bom_and_holds_the_same_fines(month, tmp_path):
    path = export(month.db, tmp_path / "fines.csv", fmt="csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert not raw.startswith(b"\xef\xbb\xbf\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(raw[3:].decode("utf-8"), newline="")))
    assert header == [c.title for c in FINE_COLUMNS]
    rows = [dict(zip(header, r, strict=True)) for r in rows]

    got = sorted(
        (
            int(r["罚款编号"]),
            int(r["成员ID"]),
            r["成员"],
            r["部门"] or None,
            r["规则"],
            cents(r["金额（元）"]),
            datetime.strptime(r["记账时间"], "%Y-%m-%d %H:%M:%S"),
            r["状态"],
            r["指令链接"],
        )
        for r in rows
    )
    assert got == sorted(expected_detail(month))
    assert all(len(r["金额（元）"].split(".")[1]) == 2 for r in rows)
    per_member = Counter()
    for r in rows:
        per_member[int(r["成员ID"])] += int(cents(r["金额（元）"]) * 100)
    assert dict(per_member) == mx.totals_by_member(month.expected)
    assert sum(per_member.values()) == sum(f.amount_fen for f in month.expected)


def test_one_chat_is_chosen_by_its_bot_api_or_export_id_and_an_unknown_one_is_refused(
    month, tmp_path
):
    full = detail_rows(export(month.db, tmp_path / "all.xlsx"))
    for chat in (month.chat_id, month.plan["chat"]["export_id"]):
        out = tmp_path / f"{chat}.xlsx"
        result = tracker(
            "export", "--month", "2026-11", "--chat", chat, "-o", out,
            "--config", CONFIG, "--db", url(month.db),
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert detail_rows(out) == full
    refused = tracker(
        "export", "--month", "2026-11", "--chat", "42", "-o", tmp_path / "none.xlsx",
        "--config", CONFIG, "--db", url(month.db),
    )  # fmt: skip
    one_line_error(refused, "42")
    assert not (tmp_path / "none.xlsx").exists()
    bad = tracker("export", "--month", "2026-13", "--config", CONFIG, "--db", url(month.db))
    one_line_error(bad, "--month", "2026-13")


# -- waivers and payments ------------------------------------------------------------------------
def first_fine(month: Month, user_id: int, rule: str) -> mx.ExpectedFine:
    return next(f for f in month.expected if f.user_id == user_id and f.rule == rule)


def waive(db: Path, month: Month, fines: list[mx.ExpectedFine], reason: str = "请假已报备"):
    """A leader waives fines through the service, as /waive does."""
    service, engine = build_service(load_config(CONFIG), url(db), REPLAYED)
    try:
        rows = FineQueries(engine).by_ids(month.chat_id, [month.fine_id(f) for f in fines])
        assert len(rows) == len(fines)
        service.waive(month.chat_id, rows, LEADER, reason, AFTER_THE_MONTH)
        service.uow.flush()  # a replay's service: its commits are written per batch
        with engine.connect() as conn:
            return conn.execute(
                select(orm.Outbox.__table__).where(orm.Outbox.kind == "waived")
            ).all()
    finally:
        engine.dispose()


def fine_rows(db: Path) -> dict[int, object]:
    engine = make_engine(url(db))
    try:
        with engine.connect() as conn:
            return {f.id: f for f in conn.execute(select(orm.Fine.__table__))}
    finally:
        engine.dispose()


def test_waived_fines_are_listed_but_left_out_of_every_total_and_payments_show(
    month, copy, tmp_path
):
    waived = [
        first_fine(month, WANG_FANG, "unresolved"),  # the member who pays
        first_fine(month, CHEN_JING, "no_ack"),  # no department
        first_fine(month, HUANG_TING, "no_ack"),
    ]
    (announcement,) = waive(copy, month, waived)
    assert "已免除罚款" in announcement.text and "请假已报备" in announcement.text
    status = {month.fine_id(f): "waived" for f in waived}
    owed = [f for f in month.expected if f.user_id == WANG_FANG and month.fine_id(f) not in status]

    paid = tracker(
        "fines", "mark-paid", "--month", "2026-11", "--member", WANG_FANG,
        "--config", CONFIG, "--db", url(copy),
    )  # fmt: skip
    assert paid.returncode == 0, paid.stderr
    fen = sum(f.amount_fen for f in owed)
    assert paid.stdout.strip() == (
        f"marked {len(owed)} fine(s) of 市场部-王芳 ({WANG_FANG}) in 2026-11 as paid: "
        f"{fen // 100}.{fen % 100:02d}元"
    )
    status |= {month.fine_id(f): "paid" for f in owed}

    path = export(copy, tmp_path / "after.xlsx")
    rows = detail_rows(path)
    assert sorted(detail_of(r) for r in rows) == sorted(expected_detail(month, status))
    reasons = {r["罚款编号"]: r["免除/冲销原因"] for r in rows}
    assert {i for i, why in reasons.items() if why} == {month.fine_id(f) for f in waived}
    assert {reasons[month.fine_id(f)] for f in waived} == {"请假已报备"}
    check_totals(path, month, status)

    (wang,) = [line for line in total_lines(path) if line.user_id == WANG_FANG]
    assert (wang.paid, wang.unpaid, wang.waived) == (wang.due, Decimal("0.00"), 1)
    grand = total_lines(path)[-1]
    all_fen = sum(f.amount_fen for f in month.expected)
    assert grand.due == yuan(all_fen - sum(f.amount_fen for f in waived))
    assert (grand.paid, grand.waived) == (yuan(fen), 3)
    assert grand.count == len(month.expected) - 3

    again = tracker(
        "fines", "mark-paid", "--month", "2026-11", "--member", WANG_FANG,
        "--config", CONFIG, "--db", url(copy),
    )  # fmt: skip
    assert again.returncode == 2 and again.stdout == ""  # nothing to pay is an error
    assert "no unpaid fines" in again.stderr


# -- closing the month ---------------------------------------------------------------------------
def month_has_ended() -> None:
    if month_bounds("2026-11", SH)[1] > datetime.now(UTC):
        pytest.skip("2026-11 has not ended yet by the wall clock: `month close` refuses it")


def one_line_error(result: subprocess.CompletedProcess, *needles: str) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


def test_a_closed_month_refuses_payments_and_a_waiver_becomes_a_reversal_next_month(
    month, copy, tmp_path
):
    month_has_ended()
    before = total_lines(export(copy, tmp_path / "before.xlsx"))
    closed = tracker("month", "close", "2026-11", "--config", CONFIG, "--db", url(copy))
    assert closed.returncode == 0, closed.stderr
    assert closed.stdout.strip() == "closed 2026-11: its fines can no longer change"
    again = tracker("month", "close", "2026-11", "--config", CONFIG, "--db", url(copy))
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("2026-11 was already closed at ")

    ledger_before = fine_rows(copy)
    refused = tracker(
        "fines", "mark-paid", "--month", "2026-11", "--member", WANG_FANG,
        "--config", CONFIG, "--db", url(copy),
    )  # fmt: skip
    one_line_error(refused, "closed")
    assert fine_rows(copy) == ledger_before

    fine = first_fine(month, HUANG_TING, "no_ack")
    (announcement,) = waive(copy, month, [fine], "系统故障")
    assert "冲销" in announcement.text
    ledger_after = fine_rows(copy)
    (reversal,) = [f for f in ledger_after.values() if f.reverses is not None]
    original = ledger_after[month.fine_id(fine)]
    assert (reversal.rule, reversal.amount_fen, reversal.reverses, reversal.period) == (
        "reversal",
        -fine.amount_fen,
        original.id,
        "2026-12",
    )
    assert (reversal.user_id, reversal.waived_reason) == (HUANG_TING, "系统故障")
    assert original == ledger_before[original.id]  # a closed month's fine does not change
    waive(copy, month, [fine], "又一次")  # the same waiver again: nothing new
    assert fine_rows(copy) == ledger_after

    november = export(copy, tmp_path / "november.xlsx")
    assert total_lines(november) == before
    check_totals(november, month)

    december = export(copy, tmp_path / "december.xlsx", month="2026-12")
    (line,) = detail_rows(december)
    assert (line["罚款编号"], line["成员ID"], line["规则"]) == (reversal.id, HUANG_TING, "冲销")
    assert (cents(line["金额（元）"]), line["所属月份"]) == (-yuan(fine.amount_fen), "2026-12")
    assert line["免除/冲销原因"] == "系统故障"
    assert line["记账时间"] == AFTER_THE_MONTH.astimezone(SH).replace(tzinfo=None)
    member, subtotal, grand = total_lines(december)
    assert (member.user_id, member.department) == (HUANG_TING, "客服部")
    assert member.due == member.unpaid == -yuan(fine.amount_fen)
    assert subtotal.due == grand.due == -yuan(fine.amount_fen)
    assert member.count == subtotal.count == grand.count == 0  # a reversal is not a fine
    csv_path = export(copy, tmp_path / "december.csv", month="2026-12", fmt="csv")
    (row,) = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert row["金额（元）"] == f"-{fine.amount_fen // 100}.{fine.amount_fen % 100:02d}"


def test_the_digest_of_a_waiver_day_does_not_report_a_reversal_as_a_fine(month, copy):
    engine = make_engine(url(copy))
    with engine.begin() as conn:
        ledger.close_month(conn, "2026-11", AFTER_THE_MONTH)
    engine.dispose()
    waive(copy, month, [first_fine(month, HUANG_TING, "no_ack")], "系统故障")
    (settings,) = load_config(CONFIG).chats
    day = AFTER_THE_MONTH.astimezone(SH).date()
    engine = make_engine(url(copy))
    with engine.connect() as conn:
        text = digest_text(
            collect(SqlLedger(conn), settings, day, AFTER_THE_MONTH + timedelta(hours=8))
        )
    engine.dispose()
    assert "冲销" in text or "今日无罚款" in text  # the day's digest was read at all
    assert not re.search(r"今日罚款 \d+ 笔，共 -", text), text


# -- the daily digest ----------------------------------------------------------------------------
NOVEMBER = [date(2026, 11, 1) + timedelta(days=k) for k in range(30)]


@dataclass(frozen=True)
class AsOf:
    on_time: list[str]
    late: list[str]
    fines_fen: int
    fines: int
    items: set[tuple[int, int, ItemState]]  # (directive, member, state)


def as_of(plan: dict, expected: list[mx.ExpectedFine], day: date, at: datetime) -> AsOf:
    """What the plan says a digest of `day` at `at` holds: the acks and fines since the
    previous working day's 18:00 digest (Monday's take in the weekend) up to `at`,
    and what each member still owed at `at`: an acknowledgement (the window open or closed), or
    work before a deadline (coming or passed). An acknowledged notice, or task without a
    deadline, owes nothing more."""
    previous = day - timedelta(days=1)
    while previous.isoweekday() > 5:  # November 2026 has no public holidays
        previous -= timedelta(days=1)
    start = datetime.combine(previous, time(18), tzinfo=SH)  # exclusive: that digest had it
    on_time, late, items = [], [], set()
    for d in plan["directives"]:
        created = mx.parse_time(d["created_at"])
        due, deadline = created + mx.ACK_WINDOW, mx.parse_time(d["deadline_at"])
        for a in d["assignees"]:
            ack, done = mx.parse_time(a["ack_at"]), mx.parse_time(a["done_at"])
            if ack is not None and start < ack <= at:
                (on_time if ack < due else late).append(a["name"])
            if created > at or (done is not None and done <= at):
                continue
            if ack is None or ack > at:
                state = ItemState.UNACKED if due <= at else ItemState.AWAITING_ACK
            elif d["kind"] == "notice" or deadline is None:
                continue  # acknowledged, and no deadline to meet: nothing could be fined
            else:
                state = ItemState.PAST_DEADLINE if deadline <= at else ItemState.DUE
            items.add((d["message_id"], a["user_id"], state))
    fines = [f for f in expected if start < f.booked_at <= at]
    return AsOf(on_time, late, sum(f.amount_fen for f in fines), len(fines), items)


@pytest.fixture(scope="module")
def digest_conn(month):
    """The month's ledger as the digest reads it."""
    engine = make_engine(url(month.db))
    with engine.connect() as conn:
        yield SqlLedger(conn)
    engine.dispose()


def test_the_digest_command_prints_the_six_pm_digest_of_a_past_day(month, digest_conn):
    (settings,) = load_config(CONFIG).chats
    day = date(2026, 11, 4)  # late acks and twelve fines
    at = datetime.combine(day, time(18), tzinfo=SH).astimezone(UTC)
    result = tracker(
        "digest", "--chat", month.chat_id, "--date", day,
        "--config", CONFIG, "--db", url(month.db),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == digest_text(collect(digest_conn, settings, day, at)) + "\n"
    want = as_of(month.plan, month.expected, day, at)
    assert f"按时 {len(want.on_time)}，迟到 {len(want.late)}（" in result.stdout
    fen = want.fines_fen
    assert f"今日罚款 {want.fines} 笔，共 {fen // 100}.{fen % 100:02d}元" in result.stdout


@pytest.mark.parametrize("hour", [18, 11])
@pytest.mark.parametrize("day", NOVEMBER, ids=str)
def test_the_digest_of_each_day_says_what_the_plan_says_as_of_its_instant(
    month, digest_conn, day, hour
):
    (settings,) = load_config(CONFIG).chats
    at = datetime.combine(day, time(hour), tzinfo=SH).astimezone(UTC)
    want = as_of(month.plan, month.expected, day, at)

    got = collect(digest_conn, settings, day, at)

    assert sorted(name for name, ok in got.acks if ok) == sorted(want.on_time)
    assert sorted(name for name, ok in got.acks if not ok) == sorted(want.late)
    counted = [f for f in got.fines if f.status != "waived"]
    assert (len(counted), sum(f.amount_fen for f in counted)) == (want.fines, want.fines_fen)
    assert {(i.message_id, i.user_id, i.state) for i in got.items} == want.items
    names = month.names()
    assert {i.name for i in got.items} == {names[uid] for _, uid, _ in want.items}


def test_the_six_pm_digest_counts_the_whole_day_of_the_plans_daily_summary(month):
    """Nothing in the month happens after 18:00 (the generator keeps acks and fines before the
    digest), so as of 18:00 a working day's numbers are month_expectations.by_day's (Monday's
    with the weekend's, which no digest covers otherwise); at 11:00 they are not, which is what
    the as-of reading of the digest is about."""
    days = mx.by_day(month.plan, month.expected)
    differs = 0
    for day in NOVEMBER:
        if day.isoweekday() > 5:
            continue  # no digest falls due on a weekend day
        covered = [day - timedelta(days=n) for n in range(3 if day.isoweekday() == 1 else 1)]
        summaries = [days.get(d, mx.DaySummary(0, 0, 0, 0)) for d in covered]
        want = tuple(
            sum(getattr(s, f) for s in summaries)
            for f in ("acks_on_time", "acks_late", "fines", "fines_fen")
        )
        six = as_of(month.plan, month.expected, day, datetime.combine(day, time(18), tzinfo=SH))
        got = (len(six.on_time), len(six.late), six.fines, six.fines_fen)
        assert got == want, day
        eleven = as_of(month.plan, month.expected, day, datetime.combine(day, time(11), tzinfo=SH))
        differs += (len(eleven.on_time), len(eleven.late), eleven.fines) != got[:3]
    assert differs >= 5
    # and on some days only some members owe something at 18:00: the item check discriminates
    roster = {m["user_id"] for m in month.plan["roster"]}
    partial = 0
    for day in NOVEMBER:
        six = as_of(month.plan, month.expected, day, datetime.combine(day, time(18), tzinfo=SH))
        partial += 0 < len({uid for _, uid, _ in six.items}) < len(roster)
    assert partial >= 5
    # the month has days with late acks, days with fines, and quiet weekend days with fines
    assert sum(1 for s in days.values() if s.acks_late) >= 5
    assert sum(1 for s in days.values() if s.fines) >= 5
    assert any(s.fines and not s.acks_on_time + s.acks_late for s in days.values())
