"""Value parsers for the TOML config. Each checker names the key path it was given when it fails.

`Invalid` carries the key path and what was wanted; `tracker.config` adds the file name and turns
it into a one-line `ConfigError`.
"""

from __future__ import annotations

import difflib
import json
import re
import zoneinfo
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import Any

from tracker.domain.money import fen_text, parse_fen

DURATION_LIKE = 'a duration like "30m", "2h" or "1h30m"'
AMOUNT_LIKE = 'an amount like "100.00"'

# Ranges every value is checked against, so nothing the config lets through can overflow a
# date, a 64-bit column or a loop later on.
MAX_DURATION = timedelta(days=366)  # windows, repeats and ages: a year at most
MAX_AMOUNT_FEN = 100_000_000  # one fine: 1,000,000.00 at most
MAX_COUNT = 100  # unresolved_max: repeated fines per deadline
# Telegram user ids have at most 52 significant bits (Bot API: "a 64-bit integer or a double is
# safe"); anything larger is not a user.
MAX_USER_ID = 2**52 - 1
MAX_SHOWN = 60  # characters of a wrong value quoted in a message

_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", re.ASCII)
_CURRENCY = re.compile(r"[A-Z]{3}", re.ASCII)
_USERNAME = re.compile(r"@?([A-Za-z0-9_]{3,32})", re.ASCII)
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)
_CONTROL = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")  # and lone surrogates (not UTF-8)
_UNITS = (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1))

Parser = Callable[[Any, str], Any]


class Invalid(Exception):
    """A wrong key or value at `path` (`chats[0].leaders`); the message says what is wanted."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")


def wrong(path: str, wanted: str, value: object, hint: str = "") -> Invalid:
    return Invalid(path, f"expected {wanted}, got {show(value)}{hint}")


def show(value: object) -> str:
    """A short one-line rendering of a TOML value, close to how it was written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list) and not value:
        return "an empty list"
    if isinstance(value, int) and abs(value) >= 10**MAX_SHOWN:
        # str() of a huge int is slow, and refused past 4,300 digits
        digits = int(abs(value).bit_length() * 0.30103) + 1
        return f"an integer of about {digits} digits"
    if isinstance(value, str) and len(value) > MAX_SHOWN:
        value = value[:MAX_SHOWN]  # json.dumps of a megabyte to show 60 characters
    if isinstance(value, str | list):
        try:
            text = json.dumps(value, ensure_ascii=False, default=str)
        except (RecursionError, ValueError):
            return "a deeply nested list"
    elif hasattr(value, "isoformat"):
        text = value.isoformat()
    else:
        text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def child(path: str, key: str) -> str:
    """`path.key`, quoting keys that TOML would have to quote (so the path stays one line)."""
    name = key if _BARE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=False)
    return f"{path}.{name}" if path else name


def check_keys(table: dict, allowed: Iterable[str], path: str) -> None:
    allowed = tuple(allowed)
    for key in table:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1) if len(key) <= 64 else []
            guess = f'did you mean "{close[0]}"? ' if close else ""
            raise Invalid(child(path, key), f"unknown key; {guess}allowed: {', '.join(allowed)}")


def require(table: dict, keys: tuple[str, ...], path: str, what: str) -> None:
    for key in keys:
        if key not in table:
            raise Invalid(child(path, key), f"missing; every {what} needs {', '.join(keys)}")


def parse_duration(text: str) -> timedelta:
    """'45s', '30m', '2h', '1d', '1h30m', '90m' -> timedelta; ValueError on anything else."""
    match = _DURATION.fullmatch(text) if isinstance(text, str) else None
    if match is None or not any(match.groups()):
        raise ValueError(f"not a duration: {text!r}")
    days, hours, minutes, seconds = (int(g or 0) for g in match.groups())
    try:
        return timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
    except OverflowError:
        raise ValueError(f"duration too long: {text!r}") from None


def format_duration(delta: timedelta) -> str:
    """The inverse of `parse_duration` for whole seconds: timedelta(minutes=90) -> '1h30m'."""
    left, parts = int(delta.total_seconds()), []
    for unit, size in _UNITS:
        count, left = divmod(left, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


def duration(value: Any, path: str) -> timedelta:
    try:
        result = parse_duration(value)
    except ValueError:
        raise wrong(path, DURATION_LIKE, value) from None
    if result <= timedelta(0):
        raise wrong(path, f"a positive duration ({DURATION_LIKE[2:]})", value)
    if result > MAX_DURATION:
        raise wrong(path, f"a duration of at most {format_duration(MAX_DURATION)}", value)
    return result


def steps(value: Any, path: str) -> tuple[timedelta, ...]:
    """One duration or a list of them, in increasing order."""
    if isinstance(value, str):
        return (duration(value, path),)
    items = expect_list(value, path, f'{DURATION_LIKE} or a list like ["10m", "20m"]')
    result = tuple(duration(item, f"{path}[{i}]") for i, item in enumerate(items))
    if any(later <= earlier for earlier, later in zip(result, result[1:], strict=False)):
        raise wrong(path, "durations in increasing order", value)
    return result


def amount_fen(value: Any, path: str) -> int:
    """'100.00', '100', '0.5' or 100 -> integer fen (10000, 10000, 50, 10000). Never a float."""
    if isinstance(value, float):
        raise wrong(path, AMOUNT_LIKE, value, f'; quote it ("{value!r}") so it is not a float')
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        fen = value * 100
    elif isinstance(value, str) and not value.startswith("-"):
        try:
            fen = parse_fen(value)
        except ValueError:
            raise wrong(path, AMOUNT_LIKE, value) from None
    else:
        raise wrong(path, AMOUNT_LIKE, value)
    if fen > MAX_AMOUNT_FEN:
        most = fen_text(MAX_AMOUNT_FEN)
        raise wrong(path, f'an amount of at most "{most}"', value)
    return fen


def currency(value: Any, path: str) -> str:
    if isinstance(value, str) and _CURRENCY.fullmatch(value):
        return value
    raise wrong(path, 'a currency code like "CNY"', value)


def zone(value: Any, path: str) -> zoneinfo.ZoneInfo:
    name = text(value, path, 'a time zone like "Asia/Shanghai"')
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        zones = sorted(zoneinfo.available_timezones()) if len(name) <= 64 else []
        close = difflib.get_close_matches(name, zones, n=1)
        guess = f'; did you mean "{close[0]}"?' if close else ""
        raise wrong(path, 'a known time zone like "Asia/Shanghai"', value, guess) from None


def username(value: Any, path: str) -> str:
    """'zhangsan' or '@zhangsan' -> 'zhangsan'."""
    match = _USERNAME.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise wrong(path, 'a Telegram username like "zhangsan" (letters, digits, _)', value)
    return match.group(1)


def text(value: Any, path: str, wanted: str = "a non-empty string") -> str:
    if not isinstance(value, str) or not value.strip():
        raise wrong(path, wanted, value)
    if _CONTROL.search(value):  # a NUL cannot be stored (PostgreSQL), a newline splits lines
        raise wrong(path, f"{wanted} without control characters", value)
    return value.strip()


def words(value: Any, path: str) -> tuple[str, ...]:
    items = expect_list(value, path, 'a list of phrases like ["@all", "全体"]')
    return tuple(text(item, f"{path}[{i}]") for i, item in enumerate(items))


def integer(
    value: Any, path: str, wanted: str, minimum: int | None = None, maximum: int | None = None
) -> int:
    """An int that is not a bool (TOML `true` is no user id), within [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise wrong(path, wanted, value)
    if minimum is not None and value < minimum:
        raise wrong(path, wanted, value)
    if maximum is not None and value > maximum:
        raise wrong(path, wanted, value)
    return value


def user_id(value: Any, path: str) -> int:
    wanted = f"a Telegram user id (an integer from 1 to {MAX_USER_ID})"
    return integer(value, path, wanted, minimum=1, maximum=MAX_USER_ID)


def count(value: Any, path: str) -> int:
    return integer(value, path, f"a whole number from 0 to {MAX_COUNT}", 0, MAX_COUNT)


def flag(value: Any, path: str) -> bool:
    if isinstance(value, bool):
        return value
    raise wrong(path, "true or false", value)


def pattern(value: Any, path: str) -> str:
    """A regular expression with a named group "dept"."""
    text_value = text(value, path, 'a regular expression like "^(?P<dept>[^-]+)-"')
    try:
        compiled = re.compile(text_value)
    except re.error as error:
        raise wrong(path, "a valid regular expression", value, f" ({error})") from None
    except (OverflowError, RecursionError) as error:  # a{4294967296}; ((((...)))) 1,000 deep
        detail = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise wrong(path, "a valid regular expression", value, f" ({detail})") from None
    if "dept" not in compiled.groupindex:
        raise wrong(path, "a regular expression with a group (?P<dept>...)", value)
    return text_value


def expect_table(value: Any, path: str, wanted: str = "a table") -> dict:
    if isinstance(value, dict):
        return value
    raise wrong(path, wanted, value)


def expect_list(value: Any, path: str, wanted: str) -> list:
    if isinstance(value, list):
        return value
    raise wrong(path, wanted, value)
