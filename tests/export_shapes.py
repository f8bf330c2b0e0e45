"""Telegram Desktop's shape of one exported message, for tests that write exports by hand, and
the config of the sales group those exports come from."""

from __future__ import annotations

SALES_GROUP_TOML = """
[defaults]
timezone = "Asia/Shanghai"
[[chats]]
id = -1001987654321
name = "销售部工作群"
leaders = [1001]
members = [
  { id = 1002, name = "销售部-张三", username = "zhangsan" },
  { id = 1003, name = "销售部-李四", username = "lisi" },
]
"""


def text_entities(text: object) -> list:
    """`text_entities` for `text`: a string (one plain entity, none when empty), or the list
    of strings and entity objects Telegram Desktop writes for formatted text."""
    if isinstance(text, list):
        return [{"type": "plain", "text": p} if isinstance(p, str) else p for p in text]
    return [{"type": "plain", "text": text}] if text else []


def message_entry(
    mid: int, who: int, name: str, text: object, local: str, unix: str, entities=None, **fields
) -> dict:
    """A `type: message` entry: `local` is the desktop's local time as written in `date`,
    `unix` the `date_unixtime` string; `entities` default to those of `text`."""
    return {
        "id": mid,
        "type": "message",
        "date": local,
        "date_unixtime": unix,
        "from": name,
        "from_id": f"user{who}",
        "text": text,
        "text_entities": text_entities(text) if entities is None else entities,
        **fields,
    }
