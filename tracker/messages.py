"""Every Chinese sentence the bot sends or prints, as small functions. Code stays in English."""

from __future__ import annotations

from datetime import datetime, timedelta

PREVIEW = 24


def money(fen: int, currency: str = "CNY") -> str:
    yuan, cents = divmod(abs(fen), 100)
    sign = "-" if fen < 0 else ""
    unit = "元" if currency == "CNY" else f" {currency}"
    return f"{sign}{yuan}.{cents:02d}{unit}"


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


def chat_reminder(names: list[str], left: timedelta) -> str:
    who = "、".join(names)
    return f"⏰ 提醒：{who}，请回复「收到」确认这条任务，还剩 {minutes(left)}，超时将按群规处理。"


def leader_notice(chat_title: str, text: str, names: list[str], waited: timedelta) -> str:
    who = "、".join(names)
    return (
        f"【未确认提醒】「{chat_title}」中的任务「{preview(text)}」已发布 {minutes(waited)}，"
        f"以下成员仍未回复：{who}。"
    )


def no_ack_fines(names: list[str], window: timedelta, amount_fen: int, currency: str) -> str:
    who = "、".join(names)
    return (
        f"💰 按群规：{who} 超过 {minutes(window)} 未回复确认这条任务，"
        f"各记罚款 {money(amount_fen, currency)}。"
    )


def unresolved_fines(names: list[str], sequence: int, amount_fen: int, currency: str) -> str:
    who = "、".join(names)
    times = f"（第 {sequence + 1} 次）" if sequence else ""
    return (
        f"💰 按群规：{who} 未在截止时间前完成这条任务，"
        f"各记罚款 {money(amount_fen, currency)}{times}。完成后请回复「已完成」。"
    )


def unresolved_mentions(mentions: list[str]) -> str:
    who = "、".join(mentions)
    return f"⚠️ 无法识别 {who}：不在本群名单中，这条任务不会为其计时。请管理员核对成员名单。"


def deadline_read(phrase: str, at: datetime, zone) -> str:
    return f"{phrase} → {local_time(at, zone)}"
