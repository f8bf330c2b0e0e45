"""Pieces every Chinese text shares: amounts, lists of names, previews, times, statuses."""

from __future__ import annotations

from datetime import datetime, timedelta

from tracker.domain.money import fen_text

PREVIEW = 24


def money(fen: int, currency: str = "CNY") -> str:
    """10000 -> "100.00元"; another currency by its code ("100.00 USD")."""
    unit = "元" if currency == "CNY" else f" {currency}"
    return f"{fen_text(fen)}{unit}"


MAX_NAMES = 20  # Telegram refuses messages over 4,096 characters; a notice may name 200 people


def people(names: list[str]) -> str:
    """ "张三、李四" or, for a long list, "张三、李四…等 45 人"."""
    if len(names) <= MAX_NAMES:
        return "、".join(names)
    return "、".join(names[:MAX_NAMES]) + f"…等 {len(names)} 人"


def preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW else flat[: PREVIEW - 1] + "…"


def minutes(delta: timedelta) -> str:
    total = int(delta.total_seconds())
    if total < 60:
        return f"{total} 秒"
    if total % 3600 == 0:
        return f"{total // 3600} 小时"
    return f"{total // 60} 分钟"


def local_time(at: datetime, zone) -> str:
    local = at.astimezone(zone)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


STATUS_CN = {
    "pending": "待确认",
    "acked": "已确认",
    "late": "迟确认",
    "overdue": "逾期",
    "done": "已完成",
    "cancelled": "已取消",
    "left": "已退群",
    "away": "请假",
}


MAX_LINES = 25


def listing(lines: list[str]) -> str:
    """At most MAX_LINES lines, the newest last; older ones are counted, not shown."""
    if len(lines) <= MAX_LINES:
        return "\n".join(lines)
    return f"（较早的 {len(lines) - MAX_LINES} 条未列出）\n" + "\n".join(lines[-MAX_LINES:])


RULE_CN = {
    "no_ack": "超时未确认",
    "unresolved": "逾期未完成",
    "reversal": "冲销",
    "flood": "刷屏",
    "rate": "刷屏",
    "ad": "发广告",
    "link": "发链接",
    "blocklist": "违禁内容",
    "hours": "非发言时段发言",
    "manual": "违反群规",
}
RESPONSE_RULES = ("no_ack", "unresolved", "reversal")  # fines tied to a directive
