"""Text as XLSX needs it: XML escaping, what a cell can hold (Excel's limits, counted in
UTF-16 units as Excel counts them), legal sheet names, column letters."""

from __future__ import annotations

import re

MAX_CELL_CHARS = 32_767  # Excel's limit, counted in UTF-16 units like Excel does
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Excel reads "_x0041_" in text as an escaped "A"; its own escape for a literal "_" is "_x005F_".
_ESCAPE_LOOKALIKE = re.compile("_(x[0-9A-Fa-f]{4}_)")
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def escape(text: str) -> str:
    """Element text: `&`, `<`, `>`; a carriage return as a reference, or XML turns it into \\n."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\r", "&#13;") if "\r" in text else text


def escape_attr(text: str) -> str:
    return escape(text).replace('"', "&quot;")


def clean_text(value: str) -> str:
    """What a cell can hold: XML-illegal characters dropped, cut to Excel's cell limit."""
    return truncate_utf16(_ILLEGAL_XML.sub("", value), MAX_CELL_CHARS)


def text_element(value: str) -> str:
    """The <t> element for a cleaned string, with xml:space="preserve" when an edge is blank
    (else readers drop that whitespace)."""
    body = escape(value)
    if "_x" in body:
        body = _ESCAPE_LOOKALIKE.sub(r"_x005F_\1", body)
    if value and (value[0].isspace() or value[-1].isspace()):
        return f'<t xml:space="preserve">{body}</t>'
    return f"<t>{body}</t>"


def truncate_utf16(value: str, limit: int) -> str:
    """Excel counts UTF-16 units, so an emoji is two; never split a surrogate pair."""
    if len(value) <= limit // 2:
        return value
    units = value.encode("utf-16-le")
    if len(units) <= 2 * limit:
        return value
    return units[: 2 * limit].decode("utf-16-le", errors="ignore")


def sheet_name(wanted: str, taken: set[str], suffix: str = "") -> str:
    """A legal, unique sheet name: no []:*?/\\, not blank, no edge apostrophes, at most 31
    characters including `suffix`; Excel compares names case-insensitively."""
    base = _SHEET_NAME_BAD.sub("_", _ILLEGAL_XML.sub("", wanted)).strip().strip("'") or "Sheet"
    if base.lower() == "history":  # reserved by Excel for change tracking
        base += "_"
    name, n = _fit(base, suffix), 1
    while name.lower() in taken:
        n += 1
        name = _fit(base, f"{suffix} ({n})")
    taken.add(name.lower())
    return name


def _fit(base: str, tail: str) -> str:
    return truncate_utf16(base, 31 - len(tail)).rstrip("'") + tail


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"
