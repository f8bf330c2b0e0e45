"""What the bot says about leave: a request for the leaders, a record, a decision, who is away,
and the answers to a 批准 / 驳回 press."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from tracker.texts.common import local_time

APPROVE, REFUSE = "批准", "驳回"


def span_text(start: datetime, end: datetime, zone) -> str:
    """12月5日全天, 12月8日至12月10日, 12月4日 12:00 至 12月5日 00:00 …"""
    a, b = start.astimezone(zone), end.astimezone(zone)
    if a.time() == time(0) and b.time() == time(0):
        last = b - timedelta(days=1)
        if last.date() == a.date():
            return f"{a.month}月{a.day}日全天"
        return f"{a.month}月{a.day}日至{last.month}月{last.day}日"
    return f"{local_time(start, zone)} 至 {local_time(end, zone)}"


def _why(reason: str) -> str:
    return f"（{reason}）" if reason else ""


def requested(name: str, span: str, reason: str) -> str:
    return f"📝 {name} 申请请假：{span}{_why(reason)}。请负责人点下方按钮审批。"


def recorded(name: str, span: str, reason: str) -> str:
    return f"🏖 已登记：{name} 请假 {span}{_why(reason)}，期间不提醒、不罚款。"


def decided(name: str, span: str, leader: str, approved: bool) -> str:
    if approved:
        return f"✅ {leader} 已批准 {name} 的请假：{span}，期间不提醒、不罚款。"
    return f"❌ {leader} 驳回了 {name} 的请假申请（{span}），任务照常计时。"


def button_answer(outcome: str, approved: bool) -> str:
    return {
        "ok": "已批准" if approved else "已驳回",
        "not_leader": "只有负责人可以审批请假",
        "already": "这条申请已经审批过了",
        "gone": "找不到这条申请",
    }[outcome]


def away(lines: list[str]) -> str:
    return "请假中或已登记的请假：\n" + "\n".join(lines) if lines else "目前没有人请假。"


def away_line(name: str, span: str, reason: str, pending: bool) -> str:
    return f"• {name}：{span}{_why(reason)}" + ("（待审批）" if pending else "")


USAGE = (
    "用法：/leave 时间 事由，例如 /leave 明天全天 看病、/leave 12月8日到12月10日 出差；"
    "负责人可为成员登记：/leave @成员 时间 事由。"
)
MEMBERS_FOR_OTHERS = "抱歉，只有负责人可以为其他成员登记请假；为自己请假请不写 @成员。"
