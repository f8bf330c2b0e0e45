"""TOML config -> frozen, validated `Config`. Every mistake is one `ConfigError` line naming the
file, the key path and what is wanted, e.g.
`config/tracker.toml: chats[0].leaders: expected a list of user ids (integers), got "abc"`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracker.config import calendar as cal
from tracker.config import rule_table
from tracker.config import values as v
from tracker.config.values import Invalid, format_duration, parse_duration
from tracker.domain.chat_ids import (
    MAX_BASIC_GROUP,
    MIN_GROUP_CHAT_ID,
    export_id,
    is_supergroup,
    supergroup_id,
)
from tracker.domain.rules import ChatRules, ChatSettings, Member
from tracker.errors import ConfigError

__all__ = [
    "Config",
    "format_duration",
    "load_config",
    "parse_config",
    "parse_duration",
]

TOP_KEYS = ("database_url", "calendar", "defaults", "chats")
CHAT_KEYS = ("id", "name", "leaders", "members", *rule_table.RULE_KEYS)
MEMBER_KEYS = ("id", "name", "username")

# -1, -100 (the supergroup prefix alone) and other numbers this short are placeholders or typos:
# no group a bot joins today has one.
_MIN_BASIC = 1_000
CHAT_ID_LIKE = (
    "a Telegram group id (a supergroup's -100…, like -1001987654321, or a basic group's)"
)


def group_id(value: Any, path: str) -> int:
    """A Bot API group id (see `domain.chat_ids`)."""
    chat_id = v.integer(value, path, CHAT_ID_LIKE)
    if chat_id >= MIN_GROUP_CHAT_ID and is_supergroup(chat_id):
        return chat_id
    if -MAX_BASIC_GROUP <= chat_id <= -_MIN_BASIC:
        return chat_id
    if 0 < chat_id <= MAX_BASIC_GROUP:  # an export's "id", or a user's private chat
        super_id = supergroup_id(chat_id)
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
        if key in rule_table.RULE_KEYS:
            raise Invalid(key, "expected under [defaults] or in a [[chats]] entry, not at the top")
    v.check_keys(data, TOP_KEYS, "")
    url = data.get("database_url")
    if url is not None:
        url = v.text(url, "database_url", 'a database URL like "sqlite:///tracker.db"')
    table = v.expect_table(data.get("defaults", {}), "defaults", "a table [defaults]")
    v.check_keys(table, rule_table.RULE_KEYS, "defaults")
    calendar = cal.calendar(data.get("calendar", {}))
    defaults = rule_table.rules(ChatRules(calendar=calendar), table, "defaults")
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
        rules=rule_table.rules(
            defaults, {k: x for k, x in table.items() if k in rule_table.RULE_KEYS}, path
        ),
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
