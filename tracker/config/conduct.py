"""The `conduct` table of `[defaults]` or a `[[chats]]` entry: what each conduct rule does and
its numbers. A chat's table overrides the defaults key by key. Naming the words, the allowed
domains or the posting hours turns their rule on (a warning) unless the same table says how."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

from tracker.config import calendar as cal
from tracker.config import values as v
from tracker.domain.conduct.settings import (
    ACTIONS,
    BLOCKLIST,
    HOURS,
    LINK,
    REMOVAL_MODES,
    WARN,
    ConductRules,
)
from tracker.domain.real_names import PRESETS


def action(value: Any, path: str) -> str:
    if value in ACTIONS:
        return value
    raise v.wrong(path, "one of " + ", ".join(f'"{a}"' for a in ACTIONS), value)


def removal_mode(value: Any, path: str) -> str:
    if value in REMOVAL_MODES:
        return value
    raise v.wrong(path, " or ".join(f'"{m}"' for m in REMOVAL_MODES), value)


def confirmations(value: Any, path: str) -> int:
    return v.integer(value, path, "a whole number from 1 to 10", 1, 10)


def repeat(value: Any, path: str) -> int:
    return v.integer(value, path, "a whole number from 2 to 100", 2, 100)


def limit(value: Any, path: str) -> int:
    return v.integer(value, path, "a whole number from 1 to 100", 1, 100)


def expiry(value: Any, path: str) -> timedelta | None:
    """How long a warning counts: a duration, or "never"."""
    return None if value == "never" else v.duration(value, path)


def domains(value: Any, path: str) -> tuple[str, ...]:
    return tuple(d.lower().removeprefix("www.").strip(".") for d in v.words(value, path))


FIELDS: dict[str, v.Parser] = {
    "flood": action,
    "flood_repeat": repeat,
    "flood_window": v.duration,
    "rate": action,
    "rate_messages": repeat,
    "rate_window": v.duration,
    "ad": action,
    "ad_words": v.words,
    "link": action,
    "link_allow": domains,
    "blocklist": action,
    "blocked_words": v.words,
    "hours": action,
    "open_hours": cal.time_range,
    "leaders_exempt": v.flag,
    "mute_for": v.duration,
    "fine": v.amount_fen,  # the amount of a rule's "fine" action, "50.00"
    "warn_limit": limit,
    "remove_at_limit": removal_mode,
    "remove_confirmations": confirmations,
    "remove_timeout": v.duration,
    "warn_expiry": expiry,
}
# Configuring what a rule looks for turns it on, unless its action is given beside it.
TURNS_ON = {"blocked_words": BLOCKLIST, "link_allow": LINK, "open_hours": HOURS}


def conduct(base: ConductRules, value: Any, path: str) -> ConductRules:
    table = v.expect_table(value, path, 'a table like { flood = "warn", flood_repeat = 3 }')
    v.check_keys(table, FIELDS, path)
    changes = {key: FIELDS[key](item, f"{path}.{key}") for key, item in table.items()}
    if "fine" in changes:
        changes["fine_fen"] = changes.pop("fine")
    for key, rule in TURNS_ON.items():
        if key in changes and rule not in changes:
            changes[rule] = WARN
    return replace(base, **changes)


def name_format(value: Any, path: str) -> str:
    """A preset of `real_names.PRESETS` or a regular expression."""
    text = v.text(value, path)
    if text in PRESETS:
        return text
    try:
        re.compile(text)
    except re.error as exc:
        presets = "、".join(PRESETS)
        raise v.wrong(path, f"one of {presets} or a regular expression ({exc})", text) from None
    return text
