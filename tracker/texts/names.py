"""What the bot says about real names (群名片): registered, the wrong format, the usage."""

from __future__ import annotations


def _like(name_format: str, example: str | None) -> str:
    return f"「{name_format}」（例如 {example}）" if example else f"「{name_format}」"


def usage(name_format: str, example: str | None) -> str:
    return (
        f"用法：/name 你的群名片，格式为{_like(name_format, example)}；"
        "负责人可回复成员的消息或 /name @成员 名片 为他登记。"
    )


def wrong_format(name: str, name_format: str, example: str | None) -> str:
    shown = f"「{name}」" if name else "（空）"
    return f"名片{shown}不符合本群格式{_like(name_format, example)}，请重新发送 /name 名片。"


def registered(name: str, previous: str | None) -> str:
    if previous is None:
        return f"✅ 已登记群名片：{name}。此后提醒、日报和罚款明细都用这个名字。"
    return f"✅ 已将 {previous} 的群名片登记为：{name}。"


def only_own() -> str:
    return "只有负责人可以为他人登记群名片；请发送 /name 你的名片 登记自己的。"
