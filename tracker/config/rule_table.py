"""The rule keys a `[defaults]` table or a `[[chats]]` entry may hold: each TOML key, the
`ChatRules` field it sets and its parser; a chat's keys override the defaults, its fines merge
key by key, and reminder steps must fall inside the ack window."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from tracker.config import calendar as cal
from tracker.config import conduct
from tracker.config import values as v
from tracker.config.values import format_duration
from tracker.domain.rules import ChatRules

# TOML key -> (ChatRules field, parser). Every key may sit in [defaults] or in a [[chats]] entry.
RULE_FIELDS: dict[str, tuple[str, v.Parser]] = {
    "timezone": ("timezone", v.zone),
    "ack_window": ("ack_window", v.duration),
    "remind_at": ("remind_at", v.steps),
    "tell_leader_at": ("tell_leader_at", v.steps),
    "unresolved_repeat": ("unresolved_repeat", v.duration),
    "unresolved_max": ("unresolved_max", v.count),
    "done_remind_before": ("done_remind_before", v.steps),
    "default_done": ("default_done", cal.default_done),
    "leave_approval": ("leave_approval", v.flag),
    "leave_by_reply": ("leave_by_reply", v.flag),
    "absent": ("absent", cal.absent_mode),
    "appeal_window": ("appeal_window", v.duration),
    "anonymous_admins_lead": ("anonymous_admins_lead", v.flag),
    "detect_mentions": ("detect_mentions", v.flag),
    "notice_completion": ("notice_completion", v.flag),
    "notice_words": ("notice_words", v.words),
    "ack_words": ("extra_ack_words", v.words),
    "not_ack_words": ("not_ack_words", v.words),
    "clock": ("clock", cal.clock_mode),
    "working_hours": ("working_hours", cal.working_hours),
    "quiet_hours": ("quiet_hours", cal.time_range),
    "deadline_times": ("deadline_conventions", cal.deadline_times),
    "digest": ("digest", v.flag),
    "digest_time": ("digest_time", cal.time_of_day),
    "digest_leaders": ("digest_to_leaders", v.flag),
    "digest_max_age": ("digest_max_age", v.duration),
    "workdays": ("calendar", cal.weekdays),
    "department_pattern": ("department_pattern", v.pattern),
    "name_format": ("name_format", conduct.name_format),
}
FINE_FIELDS: dict[str, tuple[str, v.Parser]] = {
    "no_ack": ("fine_no_ack_fen", v.amount_fen),
    "unresolved": ("fine_unresolved_fen", v.amount_fen),
    "currency": ("currency", v.currency),
}
RULE_KEYS = (*RULE_FIELDS, "fines", "conduct")
STEP_KEYS = ("remind_at", "tell_leader_at")


def rule_keys(table: dict) -> dict:
    """The rule keys of a [[chats]] entry, without its id, name and people."""
    return {key: value for key, value in table.items() if key in RULE_KEYS}


def _fields(table: dict, fields: dict[str, tuple[str, v.Parser]], path: str) -> dict[str, Any]:
    """ChatRules field -> parsed value, for the keys present in `table` (already checked)."""
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key == "fines":
            fines = v.expect_table(value, f"{path}.fines", 'a table like { no_ack = "100.00" }')
            v.check_keys(fines, FINE_FIELDS, f"{path}.fines")
            changes |= _fields(fines, FINE_FIELDS, f"{path}.fines")
        elif key == "conduct":
            continue  # merged onto the base's in `rules`
        else:
            name, parse = fields[key]
            changes[name] = parse(value, f"{path}.{key}")
    return changes


def rules(base: ChatRules, table: dict, path: str) -> ChatRules:
    """`base` overridden by the rule keys in `table`; fines merge key by key."""
    changes = _fields(table, RULE_FIELDS, path)
    if "deadline_conventions" in changes:
        changes["deadline_conventions"] = replace(
            base.deadline_conventions, **changes["deadline_conventions"]
        )
    if "calendar" in changes:  # `workdays`: the chat's working week, same holidays
        changes["calendar"] = replace(base.calendar, weekdays=changes["calendar"])
    if "conduct" in table:
        changes["conduct"] = conduct.conduct(base.conduct, table["conduct"], f"{path}.conduct")
    rules = replace(base, **changes)
    for key in STEP_KEYS:
        late = [step for step in getattr(rules, key) if step >= rules.ack_window]
        if late:
            inherited = "" if key in table else f" (inherited; set {key} here too)"
            window = format_duration(rules.ack_window)
            wanted = f"steps before ack_window ({window})"
            raise v.wrong(f"{path}.{key}", wanted, format_duration(late[0]), inherited)
    return rules
