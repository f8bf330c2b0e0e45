"""The streaming XLSX writer: what openpyxl reads back, and a package every reader accepts."""

from __future__ import annotations

import io
import random
import re
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from tracker.adapters.files.xlsx_stream import Column, XlsxWriter

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
FINES = [
    Column("记账时间", "datetime", width=17),
    Column("成员", "text", width=14),
    Column("金额（元）", "money", width=11),
]
AT = datetime(2026, 11, 23, 9, 30, 15)


def write(path, rows, columns=FINES, name="罚款明细", **options) -> Path:
    with XlsxWriter(path, **options) as book:
        sheet = book.sheet(name, columns)
        for values in rows:
            sheet.row(values)
    return path


def texts(tmp_path, *values, **options) -> list:
    path = write(tmp_path / "t.xlsx", [[v] for v in values], [Column("文本")], **options)
    return [row[0] for row in load_workbook(path).active.iter_rows(min_row=2, values_only=True)]


def part(path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode()


def test_text_round_trips_emoji_chinese_and_xml_specials(tmp_path):
    values = ["plain", "收到 👍", "<&>\"'", "a & b < c", "tab\there", "line1\nline2", "_x0041_"]
    assert texts(tmp_path, *values) == values


def test_text_keeps_edge_whitespace_and_carriage_returns(tmp_path):
    values = ["  leading", "trailing  ", "\nnewline first", "a\r\nb"]
    assert texts(tmp_path, *values) == values


def test_text_drops_characters_illegal_in_xml(tmp_path):
    dirty = "a\x00b\x08c\x0bd\x0ce\x1ff\ufffeg\uffffh\ud800i"
    assert texts(tmp_path, dirty, "\x01\x02", "end") == ["abcdefghi", None, "end"]


def test_text_is_cut_to_excels_cell_limit(tmp_path):
    assert [len(t) for t in texts(tmp_path, "字" * 40_000, "x" * 32_767)] == [32_767, 32_767]
    # Excel counts UTF-16 units: an emoji is two, and a pair is never split.
    (emoji,) = texts(tmp_path, "👍" * 20_000)
    assert emoji == "👍" * 16_383


def test_none_and_empty_string_write_no_cell(tmp_path):
    path = write(tmp_path / "e.xlsx", [[None, "", None], ["", "张三", ""]])
    sheet = part(path, "xl/worksheets/sheet1.xml")
    assert '<row r="2"></row>' in sheet
    assert re.findall(r'<c r="([A-Z]+3)"', sheet) == ["B3"]


def test_money_is_exact_fen_shown_with_two_decimals(tmp_path):
    path = write(tmp_path / "m.xlsx", [[AT, "张三", fen] for fen in (10000, 1, -5050, 0, -1)])
    cells = [row[2] for row in load_workbook(path).active.iter_rows(min_row=2)]
    assert [c.value for c in cells] == [100.0, 0.01, -50.5, 0, -0.01]
    assert {c.number_format for c in cells} == {"0.00"}
    assert "<v>-50.50</v>" in part(path, "xl/worksheets/sheet1.xml")


def test_many_cents_add_up_to_the_exact_total(tmp_path):
    rng = random.Random(3)
    fens = [rng.randrange(-(10**9), 10**9) for _ in range(2_000)]
    path = write(tmp_path / "sum.xlsx", [[AT, "x", fen] for fen in fens])
    read = [row[2] for row in load_workbook(path).active.iter_rows(min_row=2, values_only=True)]
    back = sum(Decimal(repr(v)).quantize(Decimal("0.01")) for v in read)
    assert back == Decimal(sum(fens)) / 100


def test_datetimes_read_back_as_the_same_naive_local_time(tmp_path):
    times = [AT, datetime(2026, 1, 1), datetime(2026, 12, 31, 23, 59, 59), datetime(1900, 3, 1)]
    path = write(tmp_path / "d.xlsx", [[t, "x", 1] for t in times])
    cells = [row[0] for row in load_workbook(path).active.iter_rows(min_row=2)]
    assert [c.value for c in cells] == times
    assert all("yyyy-mm-dd" in c.number_format for c in cells)


def test_int_column_writes_plain_integers(tmp_path):
    path = write(tmp_path / "i.xlsx", [[3], [-7], [10**12]], [Column("次数", "int")])
    read = [row[0] for row in load_workbook(path).active.iter_rows(min_row=2, values_only=True)]
    assert read == [3, -7, 10**12]


def test_header_and_subtotals_are_bold_frozen_filtered_and_sized(tmp_path):
    with XlsxWriter(tmp_path / "b.xlsx") as book:
        sheet = book.sheet("罚款明细", FINES)
        sheet.row([AT, "张三", 10000])
        sheet.row([AT, "李四", 15050])
        sheet.row([AT, "小计", 25050], bold=True)
    ws = load_workbook(tmp_path / "b.xlsx").active
    assert [c.value for c in ws[1]] == ["记账时间", "成员", "金额（元）"]
    assert all(c.font.b for c in ws[1]) and all(c.font.b for c in ws[4])
    assert not any(c.font.b for c in ws[2])
    assert ws["C4"].number_format == "0.00" and "yyyy-mm-dd" in ws["A4"].number_format
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:C4"
    widths = [ws.column_dimensions[letter].width for letter in "ABC"]
    assert widths == [17, 14, 11]


def test_sheets_keep_their_order(tmp_path):
    with XlsxWriter(tmp_path / "two.xlsx") as book:
        book.sheet("罚款明细", FINES).row([AT, "张三", 100])
        book.sheet("汇总", [Column("成员"), Column("合计", "money")]).row(["张三", 100])
    wb = load_workbook(tmp_path / "two.xlsx")
    assert wb.sheetnames == ["罚款明细", "汇总"]
    assert wb["汇总"]["B2"].value == 1.0 and wb["罚款明细"]["B2"].value == "张三"


def test_sheet_names_are_sanitized_and_unique(tmp_path):
    wanted = ["a/b[c]:d*e?f\\g", "汇总", "汇总", "Summary", "SUMMARY", "'quoted'", "", "x" * 40]
    with XlsxWriter(tmp_path / "names.xlsx") as book:
        for name in wanted:
            book.sheet(name, [Column("c")])
    names = load_workbook(tmp_path / "names.xlsx").sheetnames
    assert names[:7] == [
        "a_b_c__d_e_f_g",
        "汇总",
        "汇总 (2)",
        "Summary",
        "SUMMARY (2)",
        "quoted",
        "Sheet",
    ]
    assert names[7] == "x" * 31 and len({n.lower() for n in names}) == len(names)


def test_a_full_sheet_continues_in_numbered_sheets_with_the_header(tmp_path):
    rows = [[AT, f"成员{i}", i] for i in range(5)]
    with XlsxWriter(tmp_path / "o.xlsx", max_rows=3) as book:
        sheet = book.sheet("罚款明细", FINES)
        for values in rows:
            sheet.row(values)
        book.sheet("汇总", [Column("成员")]).row(["x"])
    wb = load_workbook(tmp_path / "o.xlsx", read_only=True)
    assert wb.sheetnames == ["罚款明细", "罚款明细 (2)", "罚款明细 (3)", "汇总"]
    parts = [list(wb[name].iter_rows(values_only=True)) for name in wb.sheetnames[:3]]
    assert [len(p) for p in parts] == [3, 3, 2]
    assert all(p[0] == ("记账时间", "成员", "金额（元）") for p in parts)
    assert [r[1] for p in parts for r in p[1:]] == [f"成员{i}" for i in range(5)]
    filters = [load_workbook(tmp_path / "o.xlsx")[n].auto_filter.ref for n in wb.sheetnames]
    assert filters == ["A1:C3", "A1:C3", "A1:C2", "A1:A2"]


def test_strings_past_the_shared_limit_are_written_inline(tmp_path):
    values = [f"指令{i}" for i in range(10)] + ["指令0", "指令9"]
    assert texts(tmp_path, *values, shared_strings_limit=3) == values
    path = tmp_path / "t.xlsx"
    assert 'uniqueCount="3"' in part(path, "xl/sharedStrings.xml")
    assert 't="inlineStr"' in part(path, "xl/worksheets/sheet1.xml")


def test_shared_string_count_matches_the_cells_that_use_the_table(tmp_path):
    path = write(tmp_path / "c.xlsx", [[AT, "张三", 1], [AT, "张三", 2], [AT, "李四", 3]])
    sst = ElementTree.fromstring(part(path, "xl/sharedStrings.xml"))
    used = part(path, "xl/worksheets/sheet1.xml").count('t="s"')
    assert (sst.get("count"), sst.get("uniqueCount")) == (str(used), "5")


def test_a_big_sheet_reads_back_in_read_only_mode(tmp_path):
    rows = [[AT, f"成员{i % 500}", i] for i in range(20_000)]
    path = write(tmp_path / "big.xlsx", rows, shared_strings_limit=100)
    read = list(load_workbook(path, read_only=True).active.iter_rows(min_row=2, values_only=True))
    assert len(read) == 20_000 and read[-1] == (AT, "成员499", 199.99)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([AT, "张三"], "sheet '罚款明细' row 2: expected 3 values, got 2"),
        ([AT.replace(tzinfo=UTC), "张三", 1], "row 2 column '记账时间': expected a naive local"),
        ([AT, "张三", 1.5], "row 2 column '金额（元）': expected an int number of fen, got float"),
        ([AT, "张三", True], "column '金额（元）': expected an int number of fen, got bool"),
        ([AT, "张三", "100"], "column '金额（元）': expected an int number of fen, got str"),
        ([AT, 42, 1], "row 2 column '成员': expected text, got int 42"),
        (["2026-11-23", "张三", 1], "column '记账时间': expected a datetime, got str"),
        ([datetime(1899, 12, 31), "x", 1], "column '记账时间': Excel cannot show dates before"),
    ],
)
def test_a_bad_row_raises_one_line_naming_sheet_row_and_column(tmp_path, values, message):
    with XlsxWriter(tmp_path / "bad.xlsx") as book:
        sheet = book.sheet("罚款明细", FINES)
        with pytest.raises(ValueError) as caught:
            sheet.row(values)
        sheet.row([AT, "张三", 1])  # the bad row left nothing behind
    assert message in str(caught.value) and "\n" not in str(caught.value)
    ws = load_workbook(tmp_path / "bad.xlsx").active
    assert [c.value for c in ws[2]] == [AT, "张三", 0.01] and ws.max_row == 2


def test_a_bad_column_kind_is_refused():
    with pytest.raises(ValueError, match="kind must be one of"):
        Column("金额", "float")


def test_an_exception_inside_the_with_removes_the_partial_file(tmp_path):
    path = tmp_path / "partial.xlsx"
    with pytest.raises(RuntimeError), XlsxWriter(path) as book:
        book.sheet("罚款明细", FINES).row([AT, "张三", 1])
        raise RuntimeError("database went away")
    assert not path.exists()


def test_a_workbook_without_sheets_is_refused_and_removed(tmp_path):
    path = tmp_path / "empty.xlsx"
    with pytest.raises(ValueError, match="at least one sheet"), XlsxWriter(path):
        pass
    assert not path.exists()


def test_rows_for_a_finished_sheet_are_refused(tmp_path):
    with XlsxWriter(tmp_path / "f.xlsx") as book:
        first = book.sheet("罚款明细", FINES)
        book.sheet("汇总", FINES)
        with pytest.raises(ValueError, match="'罚款明细' is finished"):
            first.row([AT, "张三", 1])


def test_a_binary_file_object_works_as_the_target():
    buffer = io.BytesIO()
    write(buffer, [[AT, "张三", 10000]])
    buffer.seek(0)
    assert load_workbook(buffer).active["C2"].value == 100.0


def test_the_package_is_a_sound_zip_of_well_formed_parts(tmp_path):
    with XlsxWriter(tmp_path / "p.xlsx", max_rows=2) as book:
        sheet = book.sheet("A&B's <明细>", FINES)
        sheet.row([AT, "张三", 1])
        sheet.row([AT, "李四", 2])
    with zipfile.ZipFile(tmp_path / "p.xlsx") as z:
        assert z.testzip() is None
        names = z.namelist()
        roots = {n: ElementTree.fromstring(z.read(n)) for n in names}
    assert names[0] == "_rels/.rels" and "[Content_Types].xml" in names
    types = part(tmp_path / "p.xlsx", "[Content_Types].xml")
    for n in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/sharedStrings.xml"):
        assert n in names and f'PartName="/{n}"' in types
    sheet = roots["xl/worksheets/sheet1.xml"]
    order = [child.tag.split("}")[1] for child in sheet]
    assert order == [
        "sheetPr",
        "dimension",
        "sheetViews",
        "sheetFormatPr",
        "cols",
        "sheetData",
        "autoFilter",
        "printOptions",
        "pageMargins",
        "pageSetup",
        "headerFooter",
    ]
    pane = sheet.find("m:sheetViews/m:sheetView/m:pane", NS)
    assert [pane.get(a) for a in ("ySplit", "topLeftCell", "state")] == ["1", "A2", "frozen"]
    workbook = roots["xl/workbook.xml"]
    assert workbook.find("m:bookViews/m:workbookView", NS) is not None
    assert [s.get("name") for s in workbook.find("m:sheets", NS)] == [
        "A&B's <明细>",
        "A&B's <明细> (2)",
    ]
    names = workbook.findall("m:definedNames/m:definedName", NS)
    assert [(d.get("name"), d.get("localSheetId"), d.get("hidden"), d.text) for d in names] == [
        ("_xlnm._FilterDatabase", "0", "1", "'A&B''s <明细>'!$A$1:$C$2"),
        ("_xlnm._FilterDatabase", "1", "1", "'A&B''s <明细> (2)'!$A$1:$C$2"),
        ("_xlnm.Print_Titles", "0", None, "'A&B''s <明细>'!$1:$1"),
        ("_xlnm.Print_Titles", "1", None, "'A&B''s <明细> (2)'!$1:$1"),
    ]
    styles = roots["xl/styles.xml"]
    fills = [f[0].get("patternType") for f in styles.find("m:fills", NS)]
    assert fills == ["none", "gray125"]


class _Pipe(io.RawIOBase):
    """A write-only stream that cannot seek, like an upload body."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.data += b
        return len(b)


def test_an_unseekable_stream_works_as_the_target():
    pipe = _Pipe()
    write(pipe, [[AT, "张三", 10000]])
    with zipfile.ZipFile(io.BytesIO(bytes(pipe.data))) as z:
        assert z.testzip() is None
    assert load_workbook(io.BytesIO(bytes(pipe.data))).active["C2"].value == 100.0
