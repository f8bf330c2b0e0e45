"""The export file itself: its size, its bytes, its JSON, and the one line that says what it is
when it is not a Telegram Desktop JSON export (a folder, an HTML export, UTF-16, bad JSON)."""

from __future__ import annotations

from pathlib import Path

import orjson

from tracker.adapters.telegram import export_layout
from tracker.errors import ExportFormatError

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # UTF-32's little-endian one starts the same
_HTML = (
    'Telegram Desktop\'s HTML export: export the chat again with Format "Machine-readable JSON" '
    "(the chat's ⋮ menu → Export chat history, or Settings → Advanced → Export Telegram data) "
    "and give its result.json"
)


def size_of(path: Path) -> int:
    if path.is_dir():
        if (path / "result.json").is_file():
            hint = " (did you mean result.json inside it?)"
        elif (path / "messages.html").is_file():
            raise ExportFormatError(f"{path}: {_HTML}")
        else:
            hint = ""
        raise ExportFormatError(f"{path}: is a directory, expected an export file{hint}")
    try:
        return path.stat().st_size
    except FileNotFoundError:
        raise ExportFormatError(f"{path}: no such file") from None
    except OSError as exc:
        raise ExportFormatError(f"{path}: cannot read: {exc.strerror or exc}") from None


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes().removeprefix(export_layout.BOM)
    except FileNotFoundError:
        raise ExportFormatError(f"{path}: no such file") from None
    except OSError as exc:
        raise ExportFormatError(f"{path}: cannot read: {exc.strerror or exc}") from None


def parse(path: Path, data: bytes) -> object:
    if data.lstrip()[:1] == b"<":
        raise ExportFormatError(f"{path}: {_HTML}")
    if data.startswith(_UTF16_BOMS):
        raise ExportFormatError(
            f"{path}: the file is UTF-16 (re-saved by an editor?): Telegram Desktop writes "
            "UTF-8; export again, or save it as UTF-8"
        )
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}"
        raise ExportFormatError(f"{path}: not valid JSON: {exc.msg} at {where}") from None
