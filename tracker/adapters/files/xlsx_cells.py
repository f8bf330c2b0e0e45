"""Cell encoders for `files.xlsx_stream`: one value -> one <c> element of SpreadsheetML.

Each encoder takes (value, cell reference like "B7", style attribute) and returns the XML, or
"" for an empty cell (None or ""). They run ten million times for a big export, so the common
type is tested first and everything else takes the slow path. A value that does not fit raises
`BadValue`; the sheet adds which sheet, row and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import IO, Any

from tracker.adapters.files import xlsx_parts as parts
from tracker.adapters.files import xlsx_text
from tracker.domain.money import fen_text

_EPOCH = datetime(1899, 12, 30)  # Excel's day 0 in the 1900 date system
_FIRST_DAY = datetime(1900, 3, 1)  # earlier serials hit Excel's phantom 1900-02-29
_DAY = timedelta(days=1)
SHARED_CHARS = 10_000_000  # bounds the table's memory (~40 MB of CJK text) whatever the count

STYLES = {  # kind -> (plain, bold) style attribute; indexes into styles.xml's cellXfs
    "text": ("", f' s="{parts.BOLD}"'),
    "int": ("", f' s="{parts.BOLD}"'),
    "money": (f' s="{parts.MONEY}"', f' s="{parts.BOLD_MONEY}"'),
    "datetime": (f' s="{parts.DATE}"', f' s="{parts.BOLD_DATE}"'),
    "link": (f' s="{parts.LINK}"', f' s="{parts.BOLD_LINK}"'),
}
# Excel caps a text constant in a formula, and so HYPERLINK's target, at 255 characters.
MAX_LINK_CHARS = 255
# What a link cell makes clickable: a web address with nothing a formula's "..." or XML text
# would have to escape beyond &, < and > (no quote, blank or control character).
_URL = re.compile(r'https?://[^\s"\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]+', re.IGNORECASE)
_LOOKALIKE = re.compile("_x[0-9A-Fa-f]{4}_")  # Excel would read "_x0041_" as an escaped "A"


class BadValue(Exception):
    """A value that does not fit its column kind."""


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value)


def _whole(value: Any, what: str) -> int:
    """An int, but not a bool (an int subclass) and never a float (inexact for money)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    raise BadValue(f"expected {what}, got {type(value).__name__} {value!r}")


def money(value: Any, ref: str, style: str) -> str:
    """Int fen as exact decimal text ("-50.50", `domain.money.fen_text`); no float is ever
    involved. Excel shows two decimals through number format "0.00"."""
    if value.__class__ is not int:
        if _empty(value):
            return ""
        value = _whole(value, "an int number of fen")
    return f'<c r="{ref}"{style}><v>{fen_text(value)}</v></c>'


def integer(value: Any, ref: str, style: str) -> str:
    if value.__class__ is not int:
        if _empty(value):
            return ""
        value = _whole(value, "an int")
    return f'<c r="{ref}"{style}><v>{value}</v></c>'


def local_datetime(value: Any, ref: str, style: str) -> str:
    """A naive local datetime as Excel's serial day number. timedelta / timedelta divides the
    integer microseconds once, so the float is the closest one to the exact value, and its repr
    round-trips. Aware datetimes are refused: the caller converts to the chat's zone first."""
    if value.__class__ is not datetime:
        if _empty(value):
            return ""
        if not isinstance(value, datetime):
            raise BadValue(f"expected a datetime, got {type(value).__name__} {value!r}")
    if value.tzinfo is not None:
        raise BadValue(f"expected a naive local datetime, got aware {value.isoformat()}")
    if value < _FIRST_DAY:
        raise BadValue(f"Excel cannot show dates before 1900-03-01, got {value}")
    return f'<c r="{ref}"{style}><v>{(value - _EPOCH) / _DAY!r}</v></c>'


class Links:
    """Link cells: a web address becomes =HYPERLINK("address") with the address as the cached
    value, in the blue underlined "Hyperlink" style; anything else is written as plain text.

    Why the formula and not <hyperlinks> (a relationship per link in sheetN.xml.rels): Excel
    allows at most 65,530 of those per worksheet, and a file with more makes it "repair" the
    workbook, dropping every link; a month's export holds up to a million. The formula has no
    such limit, needs no relationship (~190 bytes more per link, in a part Excel and openpyxl
    load whole) and nothing held until the sheet ends, as <hyperlinks> must follow <sheetData>.
    Excel and LibreOffice open it clickable (Ctrl+click in LibreOffice) showing the cached
    address (a recalculation gives the same); openpyxl reads the formula, or with data_only=True
    (as pandas does) the address itself.
    """

    def __init__(self, text: Callable[[Any, str, str], str]) -> None:
        self._text = text  # the shared-string encoder, for what is not a link
        self._as_text = dict(zip(STYLES["link"], STYLES["text"], strict=True))
        # Consecutive rows often share a link (one directive, several fined members).
        self._last: str | None = None
        self._body = ""

    def encode(self, value: Any, ref: str, style: str) -> str:
        if value.__class__ is not str or value != self._last:
            if not isinstance(value, str) or not value or not is_link(value):
                return self._text(value, ref, self._as_text.get(style, style))
            body = xlsx_text.escape(value)
            self._last, self._body = value, f'<f>HYPERLINK("{body}")</f><v>{body}</v>'
        return f'<c r="{ref}"{style} t="str">{self._body}</c>'


def is_link(value: str) -> bool:
    """A web address the link cell can make clickable as it is (see `Links`)."""
    if len(value) > MAX_LINK_CHARS or ("_x" in value and _LOOKALIKE.search(value)):
        return False
    if not value.isascii() and len(value.encode("utf-16-le")) > 2 * MAX_LINK_CHARS:
        return False
    return _URL.fullmatch(value) is not None


class SharedStrings:
    """The workbook's string table (sharedStrings.xml). Repeated text (names, rules, statuses)
    costs one small index per cell. Once the table holds `limit` strings, or SHARED_CHARS
    characters, new strings are written inline instead, so memory stays bounded."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.count = 0  # cells that refer to the table; sharedStrings.xml states it
        self._index: dict[str, int] = {}
        self._items: list[str] = []
        self._chars = 0

    def text(self, value: Any, ref: str, style: str) -> str:
        if value.__class__ is not str:
            if value is None:
                return ""
            if not isinstance(value, str):
                raise BadValue(f"expected text, got {type(value).__name__} {value!r}")
        index = self._index.get(value)
        if index is not None:
            self.count += 1
            return f'<c r="{ref}"{style} t="s"><v>{index}</v></c>'
        if not value:
            return ""
        return self._new(value, ref, style)

    def _new(self, value: str, ref: str, style: str) -> str:
        clean = xlsx_text.clean_text(value)
        if not clean:  # only characters XML cannot hold
            return ""
        element = xlsx_text.text_element(clean)
        # Only strings that are their own cleaned text are shared, so no two items are equal.
        if (
            clean == value
            and len(self._items) < self.limit
            and self._chars + len(value) <= SHARED_CHARS
        ):
            index = self._index[value] = len(self._items)
            self._items.append(f"<si>{element}</si>")
            self._chars += len(value)
            self.count += 1
            return f'<c r="{ref}"{style} t="s"><v>{index}</v></c>'
        return f'<c r="{ref}"{style} t="inlineStr"><is>{element}</is></c>'

    def write(self, out: IO[bytes]) -> None:
        items = self._items
        out.write(parts.shared_strings_head(self.count, len(items)).encode())
        for start in range(0, len(items), 10_000):
            out.write("".join(items[start : start + 10_000]).encode())
        out.write(b"</sst>")
