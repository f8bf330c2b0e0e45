"""The streaming XLSX as finance prints and clicks it: page setup on every sheet, the header row
repeated on printed pages, the real <dimension>, clickable links; and a package whose sheets keep
the element order of CT_Worksheet, which Excel insists on."""

from __future__ import annotations

import io
import tempfile
import zipfile
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from tracker.adapters.files import fine_export
from tracker.adapters.files import xlsx_sheet as sheet_module
from tracker.adapters.files.xlsx_stream import Column, XlsxWriter
from tracker.adapters.files.xlsx_text import column_letter
from tracker.texts.export import FINE_STATUS

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
AT = datetime(2026, 11, 23, 9, 30, 15)
COLUMNS = [
    Column("记账时间", "datetime", width=17),
    Column("成员", "text", width=14),
    Column("指令链接", "link", width=34),
    Column("金额（元）", "money", width=11),
]
LINK = "https://t.me/c/1555000111/{}"

# The children of <worksheet>, in the order of CT_Worksheet's xsd:sequence (ECMA-376 part 1,
# transitional sml.xsd): each may be absent, none may come before one listed above it.
CT_WORKSHEET = (
    "sheetPr",
    "dimension",
    "sheetViews",
    "sheetFormatPr",
    "cols",
    "sheetData",
    "sheetCalcPr",
    "sheetProtection",
    "protectedRanges",
    "scenarios",
    "autoFilter",
    "sortState",
    "dataConsolidate",
    "customSheetViews",
    "mergeCells",
    "phoneticPr",
    "conditionalFormatting",
    "dataValidations",
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)
REPEATABLE = {"cols", "conditionalFormatting"}  # maxOccurs="unbounded"


def schema_order_errors(sheet: ElementTree.Element) -> list[str]:
    """What breaks CT_Worksheet's sequence: unknown, repeated or out-of-order children."""
    errors, last = [], -1
    for child in sheet:
        tag = child.tag.split("}")[1]
        if tag not in CT_WORKSHEET:
            errors.append(f"unknown element {tag}")
            continue
        at = CT_WORKSHEET.index(tag)
        if at < last or (at == last and tag not in REPEATABLE):
            errors.append(f"{tag} after {CT_WORKSHEET[last]}")
        last = max(last, at)
    if sheet.find("m:sheetData", NS) is None:
        errors.append("no sheetData")
    return errors


def test_the_order_check_catches_what_excel_refuses():
    def sheet(*tags: str) -> ElementTree.Element:
        root = ElementTree.Element(f"{{{NS['m']}}}worksheet")
        for tag in tags:
            ElementTree.SubElement(root, f"{{{NS['m']}}}{tag}")
        return root

    assert schema_order_errors(sheet("sheetPr", "dimension", "sheetData", "pageSetup")) == []
    assert schema_order_errors(sheet("dimension", "sheetPr", "sheetData")) == [
        "sheetPr after dimension"
    ]
    assert schema_order_errors(sheet("sheetData", "pageSetup", "pageMargins")) == [
        "pageMargins after pageSetup"
    ]
    assert schema_order_errors(sheet("sheetData", "sheetData", "bogus")) == [
        "sheetData after sheetData",
        "unknown element bogus",
    ]


def write(target, rows, columns=COLUMNS, name="罚款明细", **options):
    with XlsxWriter(target, **options) as book:
        sheet = book.sheet(name, columns)
        for values in rows:
            sheet.row(values)
    return target


def fines(n: int) -> list[list]:
    """Three fined members per directive, so a link repeats on consecutive rows."""
    return [[AT, f"成员{i}", LINK.format(100 + i // 3), 5000 + i] for i in range(n)]


def parts_of(path) -> dict[str, ElementTree.Element]:
    """Every part parsed (so every part is well-formed), after the zip's own CRC check."""
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        return {n: ElementTree.fromstring(z.read(n)) for n in z.namelist() if n.endswith("ml")}


def sheets_of(roots: dict) -> list[ElementTree.Element]:
    count = len(roots["xl/workbook.xml"].find("m:sheets", NS))
    return [roots[f"xl/worksheets/sheet{i}.xml"] for i in range(1, count + 1)]


def assert_prints_well(path, sheet_count: int) -> None:
    """Every sheet: landscape A4, one page wide, header row on every page, page numbers."""
    roots = parts_of(path)
    sheets = sheets_of(roots)
    assert len(sheets) == sheet_count
    for sheet in sheets:
        assert schema_order_errors(sheet) == []
    book = load_workbook(path)
    for index, ws in enumerate(book.worksheets):
        setup = ws.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9), ws.title
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.print_options.gridLines, ws.title
        margins = ws.page_margins
        assert 0 < margins.left <= 0.75 and 0 < margins.right <= 0.75, ws.title
        assert margins.bottom > margins.footer > 0, ws.title  # room for the footer
        assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
        assert ws.oddFooter.left.text == "&A"  # the sheet's name
        quoted = "'" + ws.title.replace("'", "''") + "'"
        titles = [
            d
            for d in roots["xl/workbook.xml"].find("m:definedNames", NS)
            if d.get("name") == "_xlnm.Print_Titles" and d.get("localSheetId") == str(index)
        ]
        assert [d.text for d in titles] == [f"{quoted}!$1:$1"]


def dimension(sheet: ElementTree.Element) -> str:
    return sheet.find("m:dimension", NS).get("ref")


# -- page setup ----------------------------------------------------------------------------------
def test_every_sheet_prints_landscape_one_page_wide_with_titles_and_page_numbers(tmp_path):
    path = tmp_path / "p.xlsx"
    with XlsxWriter(path, max_rows=4) as book:
        sheet = book.sheet("罚款明细", COLUMNS)
        for values in fines(5):
            sheet.row(values)
        book.sheet("A&B's 汇总", [Column("成员"), Column("合计", "money")]).row(["张三", 100])
    assert load_workbook(path).sheetnames == ["罚款明细", "罚款明细 (2)", "A&B's 汇总"]
    assert_prints_well(path, 3)


def test_page_setup_is_written_as_excel_expects(tmp_path):
    sheet = sheets_of(parts_of(write(tmp_path / "s.xlsx", fines(2))))[0]
    assert sheet.find("m:sheetPr/m:pageSetUpPr", NS).get("fitToPage") == "1"
    setup = sheet.find("m:pageSetup", NS).attrib
    assert setup == {
        "paperSize": "9",
        "orientation": "landscape",
        "fitToWidth": "1",
        "fitToHeight": "0",
    }
    margins = sheet.find("m:pageMargins", NS).attrib
    assert set(margins) == {"left", "right", "top", "bottom", "header", "footer"}
    assert sheet.find("m:headerFooter/m:oddFooter", NS).text == "&L&A&C第 &P 页，共 &N 页"


# -- dimension -----------------------------------------------------------------------------------
@pytest.mark.parametrize("rows", [0, 1, 7, 4_001, 12_345])
def test_the_dimension_is_the_real_extent_of_the_sheet(tmp_path, rows):
    path = write(tmp_path / "d.xlsx", fines(rows))
    (sheet,) = sheets_of(parts_of(path))
    assert dimension(sheet) == f"A1:D{rows + 1}"
    last = sheet.find("m:sheetData", NS)[-1]
    assert last.get("r") == str(rows + 1) and last[-1].get("r").startswith("D")
    # openpyxl's read-only mode trusts the dimension: every row is read, no more.
    ro = load_workbook(path, read_only=True).active
    extent = (ro.calculate_dimension(), ro.max_row, ro.max_column)
    assert extent == (f"A1:D{rows + 1}", rows + 1, 4)
    assert len(list(ro.iter_rows(values_only=True))) == rows + 1
    if rows <= 7:
        assert load_workbook(path).active.calculate_dimension() == f"A1:D{rows + 1}"


def test_each_part_of_a_split_sheet_has_its_own_dimension(tmp_path):
    path = tmp_path / "o.xlsx"
    with XlsxWriter(path, max_rows=3) as book:
        sheet = book.sheet("罚款明细", COLUMNS)
        for values in fines(5):
            sheet.row(values)
        book.sheet("汇总", [Column("成员")])
    refs = [dimension(s) for s in sheets_of(parts_of(path))]
    assert refs == ["A1:D3", "A1:D3", "A1:D2", "A1:A1"]


def test_a_sheet_spooled_to_disk_reads_back_whole_and_leaves_no_temporary_file(
    tmp_path, monkeypatch
):
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    monkeypatch.setattr(sheet_module, "_SPOOL_IN_MEMORY", 4_096)  # to disk after a few rows
    monkeypatch.setattr(sheet_module, "_CHUNK", 1_000)
    monkeypatch.setattr(sheet_module, "_CHUNK_XML", 5_000)
    rows = fines(9_000)
    path = write(tmp_path / "big.xlsx", rows, shared_strings_limit=50)
    read = list(load_workbook(path, read_only=True).active.iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[3]) for r in read] == [(AT, r[1], (r[3]) / 100) for r in rows]
    assert list(spool.iterdir()) == []

    with pytest.raises(RuntimeError), XlsxWriter(tmp_path / "gone.xlsx") as book:
        sheet = book.sheet("罚款明细", COLUMNS)
        for values in rows:
            sheet.row(values)
        raise RuntimeError("database went away")
    assert list(spool.iterdir()) == [] and not (tmp_path / "gone.xlsx").exists()


# -- links ---------------------------------------------------------------------------------------
def test_links_are_hyperlink_formulas_with_the_address_cached_and_styled_as_links(tmp_path):
    links = [LINK.format(7), "https://example.com/a?b=1&c=<2>", "HTTP://EXAMPLE.COM/", None]
    path = write(tmp_path / "l.xlsx", [[AT, "张三", link, 1] for link in links])
    formulas = [c.value for c in load_workbook(path).active["C"][1:]]
    assert formulas == [f'=HYPERLINK("{link}")' for link in links[:3]] + [None]
    cached = [c.value for c in load_workbook(path, data_only=True).active["C"][1:]]
    assert cached == links
    ws = load_workbook(path).active
    for cell in ws["C"][1:4]:
        assert cell.font.u == "single" and cell.font.color.rgb == "FF0563C1", cell.coordinate
        assert cell.style == "Hyperlink", cell.coordinate
    assert ws["C1"].font.b and not ws["C1"].font.u  # the header is bold text, not a link
    sheet = sheets_of(parts_of(path))[0]
    cell = sheet.find("m:sheetData/m:row[2]/m:c[3]", NS)
    assert (cell.get("t"), cell.find("m:f", NS).text, cell.find("m:v", NS).text) == (
        "str",
        f'HYPERLINK("{links[0]}")',
        links[0],
    )


def test_a_bold_row_keeps_its_link_clickable(tmp_path):
    with XlsxWriter(tmp_path / "b.xlsx") as book:
        book.sheet("罚款明细", COLUMNS).row([AT, "小计", LINK.format(1), 1], bold=True)
    cell = load_workbook(tmp_path / "b.xlsx").active["C2"]
    assert cell.value == f'=HYPERLINK("{LINK.format(1)}")'
    assert cell.font.b and cell.font.u == "single"


@pytest.mark.parametrize(
    "text",
    [
        "not a link",
        "t.me/c/1/2",
        "javascript:alert(1)",
        'https://example.com/"quoted"',
        "https://example.com/a b",
        "https://example.com/_x0041_",
        "https://example.com/" + "x" * 236,  # 256 characters: too long for HYPERLINK
    ],
)
def test_anything_but_a_web_address_is_written_as_plain_text(tmp_path, text):
    path = write(tmp_path / "t.xlsx", [[AT, "张三", text, 1]])
    cell = load_workbook(path).active["C2"]
    assert cell.value == text and cell.data_type == "s"
    assert not cell.font.u and cell.style == "Normal"


@pytest.mark.parametrize(
    "link",
    [
        "https://example.com/" + "x" * 235,  # 255 characters: the longest Excel takes
        "https://example.com/a_xyz_b",
        "https://例子.中国/路径?q=收到#1",
    ],
)
def test_any_web_address_excel_takes_is_a_link(tmp_path, link):
    path = write(tmp_path / "t.xlsx", [[AT, "张三", link, 1]])
    assert load_workbook(path).active["C2"].value == f'=HYPERLINK("{link}")'
    assert load_workbook(path, data_only=True).active["C2"].value == link


def test_a_link_that_is_not_text_is_refused_with_its_cell(tmp_path):
    with XlsxWriter(tmp_path / "bad.xlsx") as book:
        sheet = book.sheet("罚款明细", COLUMNS)
        with pytest.raises(ValueError, match="row 2 column '指令链接': expected text, got int"):
            sheet.row([AT, "张三", 42, 1])


# -- the finance export --------------------------------------------------------------------------
def export_rows(n: int) -> list[tuple]:
    """Rows in the shape `fine_export.fine_rows` yields (the last item is the status key)."""
    rows = []
    for i in range(n):
        link = LINK.format(500 + i // 2) if i % 5 else ""  # a basic group's fine has no link
        status = ("booked", "paid", "waived")[i % 3]
        rows.append(
            (
                AT,
                "2026-11",
                "销售部工作群",
                f"销售部-员工{i % 4}",
                "销售部",
                "超时未确认",
                f"@员工{i % 4} 请今天下班前提交周报 {i}",
                link,
                5000,
                FINE_STATUS[status],
                "请假" if status == "waived" else None,
                "申诉通过" if status == "waived" else "",
                "",
                1000 + i,
                2000 + i % 4,
                status,
            )
        )
    return rows


def test_the_finance_export_prints_well_and_its_links_are_clickable():
    rows = export_rows(20)
    buffer = io.BytesIO()
    result = fine_export._xlsx(iter(rows), buffer)
    assert result.fines == 20
    assert_prints_well(buffer, 2)
    book = load_workbook(buffer)
    detail, totals = book["罚款明细"], book["汇总"]
    column = [c.title for c in fine_export.FINE_COLUMNS].index("指令链接") + 1
    cells = [row[column - 1] for row in detail.iter_rows(min_row=2)]
    for row, cell in zip(rows, cells, strict=True):
        if row[7]:
            assert cell.value == f'=HYPERLINK("{row[7]}")' and cell.font.u == "single"
        else:
            assert cell.value is None
    cached = load_workbook(buffer, data_only=True)["罚款明细"]
    assert [r[column - 1] for r in cached.iter_rows(min_row=2, values_only=True)] == [
        r[7] or None for r in rows
    ]
    roots = parts_of(buffer)
    last = column_letter(len(fine_export.FINE_COLUMNS) - 1)
    sheets = sheets_of(roots)
    assert dimension(sheets[0]) == f"A1:{last}21"
    assert dimension(sheets[1]) == f"A1:H{totals.max_row}"


def test_the_csv_export_is_unchanged_by_link_cells():
    buffer = io.BytesIO()
    fine_export._csv(iter(export_rows(2)), buffer)
    lines = buffer.getvalue().decode("utf-8-sig").splitlines()
    assert lines[2].split(",")[7] == LINK.format(500)


def test_a_path_target_gets_the_same_workbook(tmp_path):
    path = write(Path(tmp_path / "f.xlsx"), fines(3))
    buffer = write(io.BytesIO(), fines(3))
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(buffer) as b:
        assert {n: a.read(n) for n in a.namelist()} == {n: b.read(n) for n in b.namelist()}
