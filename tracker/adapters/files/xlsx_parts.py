"""The fixed parts of an XLSX package.

Everything here is pure: strings in, XML text out. The package is the minimal one that Excel,
LibreOffice and openpyxl open without a repair prompt: content types, relationships, document
properties, workbook, styles, shared strings and the sheets themselves (written by the stream).

Every sheet is set up to print as finance expects: landscape A4 (paper size 9, the default in
China), one page wide and as many pages long as it takes, narrow margins, print gridlines (the
cells have no borders), the header row repeated on every page, "sheet name" and "page P of N"
in the footer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tracker.adapters.files.xlsx_text import escape, escape_attr, quote_sheet
from tracker.texts.export import PAGE_FOOTER

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Cell styles, as indexes into <cellXfs> below.
DATE, MONEY, BOLD, BOLD_DATE, BOLD_MONEY, LINK, BOLD_LINK = 1, 2, 3, 4, 5, 6, 7
LINK_COLOR = "FF0563C1"  # Excel's hyperlink blue (Office theme, hlink)


@dataclass(frozen=True)
class SheetEntry:
    """A finished sheet as the workbook lists it; `last_row` bounds its autofilter."""

    name: str
    last_row: int
    last_column: str


def content_types(sheet_count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, sheet_count + 1)
    )
    office = "application/vnd.openxmlformats-officedocument"
    return (
        f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{office}.spreadsheetml.sheet.'
        'main+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{office}.spreadsheetml.styles+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{office}.spreadsheetml.'
        'sharedStrings+xml"/>'
        f"{sheets}"
        '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
        'package.core-properties+xml"/>'
        f'<Override PartName="/docProps/app.xml" ContentType="{office}.extended-properties+xml"/>'
        "</Types>"
    )


def root_rels() -> str:
    kinds = "http://schemas.openxmlformats.org"
    return (
        f'{HEAD}<Relationships xmlns="{kinds}/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
        f'<Relationship Id="rId2" Type="{kinds}/package/2006/relationships/metadata/'
        'core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{REL_NS}/extended-properties" Target="docProps/app.xml"/>'
        "</Relationships>"
    )


def app_props() -> str:
    return (
        f'{HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'extended-properties"><Application>tracker</Application><DocSecurity>0</DocSecurity>'
        "</Properties>"
    )


def core_props() -> str:
    """No dcterms:created: that would read the wall clock, which only bootstrap does."""
    return (
        f'{HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:creator>tracker</dc:creator></cp:coreProperties>"
    )


def workbook(sheets: Sequence[SheetEntry]) -> str:
    """Sheets in order; the hidden _FilterDatabase name Excel keeps for each autofilter, and
    _xlnm.Print_Titles repeating each sheet's header row on every printed page. Built-in names
    are local to their sheet (localSheetId: its 0-based position), listed sorted by name."""
    listed = "".join(
        f'<sheet name="{escape_attr(s.name)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, s in enumerate(sheets, start=1)
    )
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(quote_sheet(s.name))}!$A$1:${s.last_column}${s.last_row}</definedName>"
        for i, s in enumerate(sheets)
    )
    titles = "".join(
        f'<definedName name="_xlnm.Print_Titles" localSheetId="{i}">'
        f"{escape(quote_sheet(s.name))}!$1:$1</definedName>"
        for i, s in enumerate(sheets)
    )
    names = filters + titles
    return (
        f'{HEAD}<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        '<bookViews><workbookView activeTab="0"/></bookViews>'
        f"<sheets>{listed}</sheets><definedNames>{names}</definedNames></workbook>"
    )


def workbook_rels(sheet_count: int) -> str:
    sheets = "".join(
        f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, sheet_count + 1)
    )
    n = sheet_count
    return (
        f'{HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships">{sheets}'
        f'<Relationship Id="rId{n + 1}" Type="{REL_NS}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId{n + 2}" Type="{REL_NS}/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>'
    )


def styles() -> str:
    """Fonts regular, bold, link (blue, underlined) and bold link; both mandatory fills (none,
    gray125); cellXfs in the order of the DATE..BOLD_LINK constants. Money uses built-in format 2
    ("0.00"), dates custom 164. Link cells use Excel's built-in "Hyperlink" cell style
    (builtinId 8), as Excel itself does for the cells it links."""
    font = '<sz val="11"/>{}<name val="Calibri"/><family val="2"/>'
    plain, blue = font.format(""), font.format(f'<color rgb="{LINK_COLOR}"/>')
    fonts = [plain, f"<b/>{plain}", f"<u/>{blue}", f"<b/><u/>{blue}"]
    xf = '<xf numFmtId="{}" fontId="{}" fillId="0" borderId="0" xfId="{}"{}/>'
    num, font_ = ' applyNumberFormat="1"', ' applyFont="1"'
    cell_xfs = [
        xf.format(0, 0, 0, ""),
        xf.format(164, 0, 0, num),
        xf.format(2, 0, 0, num),
        xf.format(0, 1, 0, font_),
        xf.format(164, 1, 0, font_ + num),
        xf.format(2, 1, 0, font_ + num),
        xf.format(0, 2, 1, font_),
        xf.format(0, 3, 1, font_),
    ]
    return (
        f'{HEAD}<styleSheet xmlns="{MAIN_NS}">'
        '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
        f'<fonts count="{len(fonts)}">{"".join(f"<font>{f}</font>" for f in fonts)}</fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '<xf numFmtId="0" fontId="2" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(cell_xfs)}">{"".join(cell_xfs)}</cellXfs>'
        '<cellStyles count="2"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        '<cellStyle name="Hyperlink" xfId="1" builtinId="8"/></cellStyles>'
        '<dxfs count="0"/><tableStyles count="0"/></styleSheet>'
    )


# sheet_head and sheet_tail write the children of <worksheet> in the order CT_Worksheet
# (ECMA-376 part 1, 18.3.1.99) requires: sheetPr, dimension, sheetViews, sheetFormatPr, cols,
# sheetData, autoFilter, printOptions, pageMargins, pageSetup, headerFooter. Excel refuses a sheet
# whose elements are out of order (the tests check it against the full sequence).
# Excel's "Narrow" margins, in inches: a wide table keeps more of the page.
PAGE_MARGINS = (
    '<pageMargins left="0.25" right="0.25" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
)
PAPER_A4 = 9
# Footer: sheet name on the left, "第 P 页，共 N 页" (page P of N) in the centre.


def sheet_head(
    widths: Sequence[float | None], selected: bool, last_column: str, last_row: int
) -> str:
    """Everything before the rows. <dimension> must precede <sheetData>, so the stream writes
    the head only once the sheet's rows are all known (see `xlsx_sheet.Sheet`); a wrong one would
    be worse than none, since openpyxl's read-only mode trusts it and reads just that range.
    <pageSetUpPr fitToPage> makes <pageSetup>'s fitToWidth/fitToHeight count."""
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
        for i, w in enumerate(widths, start=1)
        if w is not None
    )
    tab = ' tabSelected="1"' if selected else ""
    return (
        f'{HEAD}<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="A1:{last_column}{last_row}"/>'
        f'<sheetViews><sheetView workbookViewId="0"{tab}>'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        f"{f'<cols>{cols}</cols>' if cols else ''}<sheetData>"
    )


def sheet_tail(last_column: str, last_row: int) -> str:
    """After the rows: the autofilter, then print setup. Landscape, fit to one page wide
    (fitToHeight 0: as many pages long as needed), A4, gridlines printed."""
    return (
        f'</sheetData><autoFilter ref="A1:{last_column}{last_row}"/>'
        f'<printOptions gridLines="1"/>{PAGE_MARGINS}'
        f'<pageSetup paperSize="{PAPER_A4}" orientation="landscape" fitToWidth="1" '
        'fitToHeight="0"/>'
        f"<headerFooter><oddFooter>{escape(PAGE_FOOTER)}</oddFooter></headerFooter></worksheet>"
    )


def shared_strings_head(count: int, unique: int) -> str:
    """`count` is every cell that refers to the table, `unique` the number of <si> items."""
    return f'{HEAD}<sst xmlns="{MAIN_NS}" count="{count}" uniqueCount="{unique}">'
