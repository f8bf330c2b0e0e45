"""TOML config -> frozen, validated `Config`. Every mistake is one `ConfigError` line naming the
file, the key path and what is wanted, e.g.
`config/tracker.toml: chats[0].leaders: expected a list of user ids (integers), got "abc"`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tracker.config import calendar as cal
from tracker.config import values as v
from tracker.config.values import Invalid, format_duration, parse_duration
from tracker.domain.rules import ChatRules, ChatSettings, Member
from tracker.errors import ConfigError

__all__ = [
    "Config",
    "export_id",
    "format_duration",
    "load_config",
    "parse_config",
    "parse_duration",
]

# TOML key -> (ChatRules field, parser). Every key may sit in [defaults] or in a [[chats]] entry.
RULE_FIELDS: dict[str, tuple[str, v.Parser]] = {
    "timezone": ("timezone", v.zone),
    "ack_window": ("ack_window", v.duration),
    "remind_at": ("remind_at", v.steps),
    "tell_leader_at": ("tell_leader_at", v.steps),
    "unresolved_repeat": ("unresolved_repeat", v.duration),
    "unresolved_max": ("unresolved_max", v.count),
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
}
FINE_FIELDS: dict[str, tuple[str, v.Parser]] = {
    "no_ack": ("fine_no_ack_fen", v.amount_fen),
    "unresolved": ("fine_unresolved_fen", v.amount_fen),
    "currency": ("currency", v.currency),
}
RULE_KEYS = (*RULE_FIELDS, "fines")
TOP_KEYS = ("database_url", "calendar", "defaults", "chats")
CHAT_KEYS = ("id", "name", "leaders", "members", *RULE_KEYS)
MEMBER_KEYS = ("id", "name", "username")
STEP_KEYS = ("remind_at", "tell_leader_at")

_SUPERGROUP = 10**12  # Bot API supergroup id = -(10**12 + export id)
# Telegram's ranges (TDLib): a basic group is -N with N < 10**12; a supergroup (or channel)
# -(10**12 + N) with N up to 10**12 - 2**31.
_MAX_BASIC = 10**12 - 1
_MAX_SUPERGROUP = 10**12 - 2**31
# -1, -100 (the supergroup prefix alone) and other numbers this short are placeholders or typos:
# no group a bot joins today has one.
_MIN_BASIC = 1_000
CHAT_ID_LIKE = (
    "a Telegram group id (a supergroup's -100…, like -1001987654321, or a basic group's)"
)


def export_id(chat_id: int) -> int:
    """The Telegram Desktop export id N of a chat: -100N (supergroup), -N (basic group), N -> N."""
    if chat_id < -_SUPERGROUP:
        return -chat_id - _SUPERGROUP
    return abs(chat_id)


def group_id(value: Any, path: str) -> int:
    """A Bot API group id: -(10**12 + N) for a supergroup, -N for a basic group."""
    chat_id = v.integer(value, path, CHAT_ID_LIKE)
    if -_SUPERGROUP - _MAX_SUPERGROUP <= chat_id < -_SUPERGROUP:
        return chat_id
    if -_MAX_BASIC <= chat_id <= -_MIN_BASIC:
        return chat_id
    if 0 < chat_id <= _MAX_BASIC:  # an export's "id", or a user's private chat
        super_id = -_SUPERGROUP - chat_id
        hint = f"; a chat exported with id {chat_id} is {super_id} (or -{chat_id}, a basic group)"
        raise v.wrong(path, "a group id (negative, like -1001987654321)", value, hint)
    raise v.wrong(path, CHAT_ID_LIKE, value, "; that is not a group")


@dataclass(frozen=True)
class Config:
    source: str
    defaults: ChatRules
    chats: tuple[ChatSettings, ...]
    database_url: str | None = None
    _by_id: dict[int, ChatSettings] = field(init=False, repr=False, compare=False)
    _by_export_id: dict[int, ChatSettings] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {chat.chat_id: chat for chat in self.chats})
        by_export: dict[int, list[ChatSettings]] = {}
        for chat in self.chats:
            by_export.setdefault(export_id(chat.chat_id), []).append(chat)
        # a basic group -N and a supergroup -100N share the export id N: it names neither
        unique = {n: chats[0] for n, chats in by_export.items() if len(chats) == 1}
        object.__setattr__(self, "_by_export_id", unique)

    def find_chat(self, chat_id: int) -> ChatSettings | None:
        """The configured chat with exactly this Bot API id. Live updates are looked up here
        only: a basic group -N is never the supergroup -100N, whose export id is N."""
        return self._by_id.get(chat_id)

    def find_export_chat(self, chat_id: int) -> ChatSettings | None:
        """The chat an export or an operator names: by its Bot API id (-100N, -N), or by a bare
        Telegram Desktop export id N (positive) when exactly one configured chat has it. For
        reading exports and the command line only, never for a live update."""
        found = self._by_id.get(chat_id)
        if found is None and chat_id > 0:
            found = self._by_export_id.get(chat_id)
        return found


def load_config(path: str | Path) -> Config:
    source, path = str(path), Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            f"{source}: file not found: `tracker init` writes one from the example "
            "(or pass --config FILE)"
        ) from None
    except OSError as error:
        if isinstance(error, IsADirectoryError) or path.is_dir():
            raise ConfigError(f"{source}: expected a TOML file, got a directory") from None
        raise ConfigError(f"{source}: cannot read the file: {error.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        bad = raw[error.start]
        message = f"line {line}: expected UTF-8 text, got byte 0x{bad:02x}; save the file as UTF-8"
        raise ConfigError(f"{source}: {message}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{source}: invalid TOML: {' '.join(str(error).split())}") from None
    except RecursionError:  # arrays or inline tables nested hundreds deep
        raise ConfigError(f"{source}: invalid TOML: values nested too deeply") from None
    except ValueError as error:  # an integer of more than 4,300 digits
        raise ConfigError(f"{source}: invalid TOML: {str(error).split(';')[0]}") from None
    return parse_config(data, source)


def parse_config(data: dict, source: str) -> Config:
    """Validate a parsed TOML document; `source` names the file in error messages."""
    try:
        return _parse(data, source)
    except Invalid as error:
        raise ConfigError(f"{source}: {error}") from None
    except RecursionError:
        raise ConfigError(f"{source}: values nested too deeply") from None


def _parse(data: dict, source: str) -> Config:
    for key in data:
        if key in RULE_KEYS:
            raise Invalid(key, "expected under [defaults] or in a [[chats]] entry, not at the top")
    v.check_keys(data, TOP_KEYS, "")
    url = data.get("database_url")
    if url is not None:
        url = v.text(url, "database_url", 'a database URL like "sqlite:///tracker.db"')
    table = v.expect_table(data.get("defaults", {}), "defaults", "a table [defaults]")
    v.check_keys(table, RULE_KEYS, "defaults")
    calendar = cal.calendar(data.get("calendar", {}))
    defaults = _rules(ChatRules(calendar=calendar), table, "defaults")
    entries = v.expect_list(data.get("chats", []), "chats", "an array of tables [[chats]]")
    chats: list[ChatSettings] = []
    first_seen: dict[int, int] = {}
    for i, entry in enumerate(entries):
        chat = _chat(entry, f"chats[{i}]", defaults)
        j = first_seen.setdefault(chat.chat_id, i)
        if j != i:
            also = f" (the same chat as chats[{j}].id = {chats[j].chat_id})"
            raise v.wrong(f"chats[{i}].id", "a chat not configured above", chat.chat_id, also)
        chats.append(chat)
    return Config(source=source, defaults=defaults, chats=tuple(chats), database_url=url)


def _fields(table: dict, fields: dict[str, tuple[str, v.Parser]], path: str) -> dict[str, Any]:
    """ChatRules field -> parsed value, for the keys present in `table` (already checked)."""
    changes: dict[str, Any] = {}
    for key, value in table.items():
        if key == "fines":
            fines = v.expect_table(value, f"{path}.fines", 'a table like { no_ack = "100.00" }')
            v.check_keys(fines, FINE_FIELDS, f"{path}.fines")
            changes |= _fields(fines, FINE_FIELDS, f"{path}.fines")
        else:
            name, parse = fields[key]
            changes[name] = parse(value, f"{path}.{key}")
    return changes


def _rules(base: ChatRules, table: dict, path: str) -> ChatRules:
    """`base` overridden by the rule keys in `table`; fines merge key by key."""
    changes = _fields(table, RULE_FIELDS, path)
    if "deadline_conventions" in changes:
        changes["deadline_conventions"] = replace(
            base.deadline_conventions, **changes["deadline_conventions"]
        )
    if "calendar" in changes:  # `workdays`: the chat's working week, same holidays
        changes["calendar"] = replace(base.calendar, weekdays=changes["calendar"])
    rules = replace(base, **changes)
    for key in STEP_KEYS:
        late = [step for step in getattr(rules, key) if step >= rules.ack_window]
        if late:
            inherited = "" if key in table else f" (inherited; set {key} here too)"
            window = format_duration(rules.ack_window)
            wanted = f"steps before ack_window ({window})"
            raise v.wrong(f"{path}.{key}", wanted, format_duration(late[0]), inherited)
    return rules


def _chat(entry: Any, path: str, defaults: ChatRules) -> ChatSettings:
    table = v.expect_table(entry, path, "a [[chats]] table")
    v.check_keys(table, CHAT_KEYS, path)
    v.require(table, ("id", "name", "leaders"), path, "chat")
    chat_id = group_id(table["id"], f"{path}.id")
    wanted = "a list of user ids (integers)"
    leaders = v.expect_list(table["leaders"], f"{path}.leaders", wanted)
    if not leaders:
        raise v.wrong(f"{path}.leaders", "at least one leader user id", leaders)
    return ChatSettings(
        chat_id=chat_id,
        name=v.text(table["name"], f"{path}.name", "a chat name (non-empty string)"),
        leaders=frozenset(v.user_id(x, f"{path}.leaders[{i}]") for i, x in enumerate(leaders)),
        members=_members(table.get("members", []), f"{path}.members"),
        rules=_rules(defaults, {k: x for k, x in table.items() if k in RULE_KEYS}, path),
    )


def _members(value: Any, path: str) -> tuple[Member, ...]:
    entries = v.expect_list(value, path, 'a list of members like { id = 1002, name = "张三" }')
    members: list[Member] = []
    seen: dict[object, str] = {}
    for i, entry in enumerate(entries):
        where = f"{path}[{i}]"
        table = v.expect_table(entry, where, 'a member like { id = 1002, name = "张三" }')
        v.check_keys(table, MEMBER_KEYS, where)
        v.require(table, ("id", "name"), where, "member")
        handle = table.get("username")
        member = Member(
            user_id=v.user_id(table["id"], f"{where}.id"),
            name=v.text(table["name"], f"{where}.name", "a member name (non-empty string)"),
            username=None if handle is None else v.username(handle, f"{where}.username"),
        )
        keys = [("id", "a member id", member.user_id, member.user_id)]
        if member.username is not None:
            keys.append(("username", "a username", member.username.lower(), member.username))
        for key, wanted, seen_key, shown in keys:
            if (key, seen_key) in seen:
                also = f" (already at {seen[key, seen_key]})"
                raise v.wrong(f"{where}.{key}", f"{wanted} not listed before", shown, also)
            seen[key, seen_key] = f"{where}.{key}"
        members.append(member)
    return tuple(members)
