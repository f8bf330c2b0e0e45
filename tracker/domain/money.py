"""Money as integer fen, and its one text form: exact decimal yuan with two places ("100.00",
"-50.50"). Every amount the product reads (config, the replay's report) or writes (chat
messages, the replay's JSON, CSV and XLSX cells) goes through here; no float is ever involved."""

from __future__ import annotations

import re

_DECIMAL = re.compile(r"(-?)(\d{1,16})(?:\.(\d{1,2}))?", re.ASCII)
_CENTS = tuple(f".{fen:02d}" for fen in range(100))  # a lookup is cheaper than a format spec


def fen_text(fen: int) -> str:
    """10000 -> "100.00", -5050 -> "-50.50"."""
    if fen < 0:
        yuan, cents = divmod(-fen, 100)
        return f"-{yuan}{_CENTS[cents]}"
    yuan, cents = divmod(fen, 100)
    return f"{yuan}{_CENTS[cents]}"


def parse_fen(text: str) -> int:
    """ "100.00", "100", "0.5", "-50.50" -> fen (10000, 10000, 50, -5050); anything else is a
    ValueError. At most two decimal places: a fen is the smallest amount."""
    found = _DECIMAL.fullmatch(text)
    if found is None:
        raise ValueError(f"expected an amount like 100.00, got {text!r}")
    sign, yuan, cents = found.groups()
    fen = int(yuan) * 100 + int((cents or "0").ljust(2, "0"))
    return -fen if sign else fen
