"""What the bot posts unasked: status boards, reminders, notices to leaders, fines,
waivers and payments, welcome and offline notes."""

from __future__ import annotations

from datetime import datetime, timedelta

from tracker.domain.periods import month_cn
from tracker.texts.common import MAX_NAMES, STATUS_CN, local_time, minutes, money, people, preview


def chat_reminder(names: list[str], left: timedelta) -> str:
    who = people(names)
    return f"⏰ 提醒：{who}，请回复「收到」确认这条任务，还剩 {minutes(left)}，超时将按群规处理。"


def leader_notice(chat_title: str, text: str, names: list[str], waited: timedelta) -> str:
    who = people(names)
    return (
        f"【未确认提醒】「{chat_title}」中的任务「{preview(text)}」已发布 {minutes(waited)}，"
        f"以下成员仍未回复：{who}。"
    )


def member_left(chat_title: str, name: str, tasks: list[str]) -> str:
    lines = [
        f"【成员退群】{name} 已退出「{chat_title}」，以下 {len(tasks)} 项任务中对其的要求随之关闭"
        "（不再提醒、不再罚款；已记的罚款保留）："
    ]
    lines += [f"• {preview(text)}" for text in tasks]
    return "\n".join(lines)


def no_ack_fines(names: list[str], window: timedelta, amount_fen: int, currency: str) -> str:
    who = people(names)
    return (
        f"💰 按群规：{who} 超过 {minutes(window)} 未回复确认这条任务，"
        f"各记罚款 {money(amount_fen, currency)}。"
    )


def unresolved_fines(
    names: list[str],
    sequence: int,
    amount_fen: int,
    currency: str,
    deadline: datetime,
    next_at: datetime | None,
    zone,
) -> str:
    """The fine at (or after) a completion deadline: what each owes for this task so far, and
    when the next one comes (`next_at` None: this was the last)."""
    who = people(names)
    times = f"（第 {sequence + 1} 次，本任务累计 {money(amount_fen * (sequence + 1), currency)}）"
    text = (
        f"💰 按群规：{who} 未在截止时间 {local_time(deadline, zone)} 前完成这条任务，"
        f"各记罚款 {money(amount_fen, currency)}{times if sequence else ''}。"
    )
    if next_at is None:
        return text + "这是本任务的最后一次罚款，完成后请回复「已完成」。"
    return (
        text + f"完成后请回复「已完成」；{local_time(next_at, zone)} 前仍未完成的，"
        f"再记 {money(amount_fen, currency)}。"
    )


def done_reminder(names: list[str], deadline: datetime, zone) -> str:
    return (
        f"⏰ 完成提醒：这条任务将于 {local_time(deadline, zone)} 截止，"
        f"{people(names)} 尚未报告完成。完成后请回复「已完成」，逾期按群规记罚款。"
    )


def unresolved_mentions(mentions: list[str]) -> str:
    who = people(mentions)
    return f"⚠️ 无法识别 {who}：不在本群名单中，这条任务不会为其计时。请管理员核对成员名单。"


def deadline_read(phrase: str | None, at: datetime, zone) -> str:
    """The deadline's own words and the instant read from them; no words: the chat's rule."""
    if not phrase:
        return f"{local_time(at, zone)}（群规：未写期限的任务当天完成）"
    return f"{phrase} → {local_time(at, zone)}"


def welcome(sees_all: bool) -> str:
    text = (
        "👋 大家好，我是群任务跟踪机器人。领导发布的任务（#任务）和通知（#通知）需要在规定时间内"
        "回复「收到」确认；超时我会先提醒，再按群规记录罚款。完成任务后请回复「已完成」。"
        "发送 /help 查看用法。"
    )
    if not sees_all:
        text += (
            "\n⚠️ 我现在看不到群里的普通消息，无法识别「收到」。请把我设为管理员，"
            "或在 BotFather 中关闭隐私模式（/setprivacy → Disable）。"
        )
    return text


def offline(since: datetime, until: datetime, zone) -> str:
    return (
        f"⚠️ 机器人在 {local_time(since, zone)} 至 {local_time(until, zone)} 期间离线。"
        "这段时间到期的提醒和罚款已按规则补记，下面一并发出。"
    )


STATUS_ICON = {
    "pending": "⏳",
    "acked": "✅",
    "late": "⚠️",
    "overdue": "❌",
    "done": "🏁",
    "cancelled": "➖",
    "left": "🚪",
    "away": "🏖",
}


def status_board(directive, zone) -> str:
    """The live status message under a directive, edited in place as members answer."""
    if directive.cancelled:
        head = "📋 任务已取消。"
    else:
        due = local_time(directive.ack_due_at, zone)
        head = f"📋 任务跟踪：请在 {due} 前回复「收到」或点下方按钮。"
    lines = [head]
    everyone = list(directive.assignments.values())
    if len(everyone) <= MAX_NAMES:
        for a in everyone:
            if a.ack_review == "pending" and a.open:
                lines.append(f"❓ {a.name}：‘{preview(a.ack_text or '')}’（待确认，请负责人判定）")
                continue
            if a.ack_until is not None and a.awaiting_ack:
                lines.append(f"🏖 {a.name} 请假，确认期限顺延至 {local_time(a.ack_until, zone)}")
                continue
            when = f" {local_time(a.acked_at, zone)}" if a.acked_at else ""
            lines.append(
                f"{STATUS_ICON[a.status.value]} {a.name} {STATUS_CN[a.status.value]}{when}"
            )
    else:  # a notice to a big group: counts, and the names of those still owing an answer
        for status in STATUS_ICON:
            names = [a.name for a in everyone if a.status.value == status]
            if names and status in ("pending", "overdue"):
                lines.append(
                    f"{STATUS_ICON[status]} {STATUS_CN[status]} {len(names)} 人：{people(names)}"
                )
            elif names:
                lines.append(f"{STATUS_ICON[status]} {STATUS_CN[status]} {len(names)} 人")
    if directive.done_due_at is not None:
        phrase = directive.deadline_phrase
        lines.append(f"完成期限：{deadline_read(phrase, directive.done_due_at, zone)}")
    for a in everyone[:MAX_NAMES]:
        if a.done_due_at is not None and a.open:
            lines.append(f"{a.name} 承诺 {local_time(a.done_due_at, zone)} 前完成")
    if directive.unresolved_mentions:
        lines.append(f"未识别：{'、'.join(directive.unresolved_mentions)}")
    return "\n".join(lines)


def directive_edited(added: list, deadline: tuple | None, zone) -> str:
    """A leader edited the directive: who it now also names (each to answer by their own
    time), and the new completion deadline."""
    lines = ["✏️ 任务已修改。"]
    for name, until in added:
        lines.append(f"新增 {name}：请在 {local_time(until, zone)} 前回复「收到」。")
    if deadline is not None:
        phrase, due = deadline
        lines.append(f"完成期限改为：{deadline_read(phrase, due, zone)}")
    return "\n".join(lines)


BUTTON_ACK = "收到"


REVIEW_NAME = 6  # characters of a name on a review button


def review_buttons(name: str) -> tuple[str, str]:
    """The leader's two buttons under a board for a reply marked 待确认."""
    short = name if len(name) <= REVIEW_NAME else name[: REVIEW_NAME - 1] + "…"
    return f"算作收到·{short}", f"不算·{short}"


def ack_rejected(name: str, reply: str, leader: str, due, zone) -> str:
    """不算 inside the window: the member still has to acknowledge."""
    return (
        f"❌ {leader} 判定 {name} 的回复‘{preview(reply)}’不算收到，"
        f"请在 {local_time(due, zone)} 前回复「收到」。"
    )


def ack_rejected_fine(name: str, reply: str, leader: str, amount_fen: int, currency: str) -> str:
    """不算 after the window: the no_ack fine, booked now."""
    return (
        f"💰 {leader} 判定 {name} 的回复‘{preview(reply)}’不算收到；"
        f"按群规超时未确认，记罚款 {money(amount_fen, currency)}。"
    )


def waived(items: list[tuple[str, int, str, bool]], reason: str) -> str:
    """(name, fen, currency, reversed): a closed month's fine is reversed in an open month."""
    who = "、".join(
        f"{name} {money(fen, currency)}" + ("（原月份已结账，本月冲销）" if rev else "")
        for name, fen, currency, rev in items
    )
    return f"✅ 已免除罚款：{who}。原因：{reason}"


def paid(name: str, month: str, count: int, fen: int) -> str:
    if not count:
        return f"{name} 在{month_cn(month)}没有待缴的罚款。"
    return f"💴 已登记缴纳：{name} {month_cn(month)}罚款 {count} 笔，共 {money(fen)}。"


def chat_reminders(items: list[tuple[str, list[str], timedelta]]) -> str:
    """Several directives' reminders falling due together in one chat: one message."""
    lines = ["⏰ 提醒：以下任务还未确认，请回复「收到」（或回复对应任务）："]
    for i, (text, names, left) in enumerate(items, 1):
        lines.append(f"{i}.「{preview(text)}」— {people(names)}（还剩 {minutes(left)}）")
    return "\n".join(lines)
