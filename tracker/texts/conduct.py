"""What the bot says about conduct: a warning with its rule and evidence, a revoked warning,
the limit reached, and a member's warnings on /warns."""

from __future__ import annotations

from datetime import timedelta

from tracker.domain.conduct.settings import (
    AD,
    BLOCKLIST,
    DELETE,
    FLOOD,
    HOURS,
    LINK,
    MANUAL,
    RATE,
    RULES,
)
from tracker.texts.common import RULE_CN, money

REMOVE, KEEP = "移出", "保留"
ACTION_NAMES = {"warn": "警告", "delete": "删除并警告", "mute": "禁言并警告"}

RULE_NAMES = {
    FLOOD: "刷屏（同一内容连发）",
    RATE: "刷屏（短时间内发言过多）",
    AD: "发广告",
    LINK: "发链接",
    BLOCKLIST: "违禁内容",
    HOURS: "非发言时段发言",
    MANUAL: "负责人警告",
}


def rule_name(rule: str) -> str:
    return RULE_NAMES.get(rule, rule)


def _evidence(rule: str, words: str) -> str:
    if not words:
        return ""
    if rule == MANUAL:
        return f"：{words}"
    if rule == HOURS:
        return f"（{words} 发言）"
    return f"（“{words}”）"


def warned(name: str, rule: str, words: str, count: int, limit: int) -> str:
    text = f"⚠️ 警告 {name}：{rule_name(rule)}{_evidence(rule, words)}。累计 {count}/{limit} 次。"
    if count >= limit:
        text += f"\n已达警告上限（{limit} 次），按群规应予清退，请负责人处理。"
    return text


def revoked(name: str, rule: str, leader: str, count: int, limit: int) -> str:
    return f"↩️ {leader} 撤销了 {name} 的一次警告（{rule_name(rule)}），现计 {count}/{limit} 次。"


def member_warnings(name: str, lines: list[str], count: int, limit: int) -> str:
    if not lines:
        return f"{name} 目前没有警告。"
    return f"{name} 的警告（计 {count}/{limit} 次）：\n" + "\n".join(lines)


def warning_line(at: str, rule: str, words: str, by: str | None, counting: bool) -> str:
    who = f"，{by}" if by else ""
    gone = "" if counting else "（已撤销或过期）"
    return f"· {at} {rule_name(rule)}{_evidence(rule, words)}{who}{gone}"


def not_for_leaders(name: str) -> str:
    return f"{name} 是本群负责人，警告只用于成员。"


def nothing_to_revoke(name: str) -> str:
    return f"{name} 目前没有可撤销的警告。"


def warns_usage() -> str:
    return (
        "用法：/warns 查看自己的警告；负责人回复成员消息或 /warns @成员 查看他的，不写则列出全群。"
    )


def chat_warnings(lines: list[str], limit: int) -> str:
    if not lines:
        return "本群目前没有警告。"
    return f"本群警告（上限 {limit} 次）：\n" + "\n".join(lines)


def _span(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes % (24 * 60) == 0:
        return f"{minutes // (24 * 60)} 天"
    if minutes % 60 == 0:
        return f"{minutes // 60} 小时"
    return f"{minutes} 分钟"


def done(action: str, mute_for: timedelta) -> str:
    return "已删除该消息。" if action == DELETE else f"已禁言 {_span(mute_for)}。"


def cannot(action: str, name: str) -> str:
    if action == DELETE:
        return "（我没有删除消息的权限，未能删除；请群主给我“删除消息”管理权限，或由管理员删除。）"
    return f"（我没有限制成员的权限，未能禁言 {name}；请群主给我“封禁用户”管理权限。）"


def removal_proposed(name: str, reasons: list[str], limit: int, needed: int) -> str:
    who = _confirmers(needed)
    return (
        f"🚫 {name} 已累计 {limit} 次警告（{'、'.join(reasons)}），按群规应予清退。"
        f"请{who}确认：点「{REMOVE}」移出本群，点「{KEEP}」保留。"
    )


def removal_confirmed_in_part(name: str, leader: str | None, count: int, needed: int) -> str:
    left = needed - count
    return f"{leader or '负责人'} 同意移出 {name}（{count}/{needed}），还需 {left} 位负责人确认。"


def removed(name: str, reasons: list[str], limit: int, confirmed: list[str]) -> str:
    how = f"确认人：{'、'.join(confirmed)}。" if confirmed else "按本群规则自动执行。"
    return (
        f"🚫 {name} 已被移出本群。事由：累计 {limit} 次警告（{'、'.join(reasons)}），"
        f"依据群规“警告满 {limit} 次予以清退”。{how}"
    )


def cannot_remove(name: str) -> str:
    return (
        f"⚠️ 我没有移出成员的权限，未能移出 {name}。请群主给我“封禁用户”管理权限，"
        "或由管理员手动移出。"
    )


def kept(name: str, leader: str | None) -> str:
    return f"{leader or '负责人'} 决定保留 {name}，不予移出。"


def lapsed(name: str, timeout: timedelta) -> str:
    return f"移出 {name} 的提议 {_span(timeout)} 内无人确认，已作废，{name} 保留。"


def removal_answer(outcome: str, remove: bool) -> str:
    return {
        "ok": "已移出" if remove else "已保留",
        "already": "此事已处理",
        "twice": "你已确认过，需另一位负责人确认",
        "partial": "已记录，还需其他负责人确认",
        "lapsed": "提议已超时作废",
        "gone": "提议已失效",
        "not_leader": "只有负责人可以决定",
    }.get(outcome, "已处理")


def _confirmers(needed: int) -> str:
    return "负责人" if needed == 1 else f" {needed} 位负责人"


def settings_line(conduct) -> str:
    """The chat's conduct rules in one line of /settings."""
    rules = [
        f"{rule_name(rule)}{ACTION_NAMES[conduct.action(rule)]}"
        for rule in RULES
        if conduct.action(rule) != "off"
    ]
    if not rules:
        return "\n• 群规：未开启违规检测；负责人可 /warn 警告"
    limit = conduct.warn_limit
    end = {
        "off": f"警告满 {limit} 次时提醒负责人",
        "confirm": f"警告满 {limit} 次经{_confirmers(conduct.remove_confirmations)}确认后移出",
        "auto": f"警告满 {limit} 次自动移出",
    }[conduct.remove_at_limit]
    exempt = "（负责人除外）" if conduct.leaders_exempt else ""
    return f"\n• 群规：{'，'.join(rules)}{exempt}；{end}"


def fined(name: str, rule: str, words: str, amount: str, leader: str | None) -> str:
    why = rule_name(rule) if rule != MANUAL else "违反群规"
    evidence = (f"：{words}" if rule == MANUAL else _evidence(rule, words)) if words else ""
    who = f"（{leader} 记罚）" if leader else ""
    return (
        f"💰 {name} 罚款 {amount}：{why}{evidence}{who}。"
        "回复本消息 /why 查看依据，/appeal 理由 可申诉。"
    )


def fine_evidence(fine, leader: str | None, at: str) -> str:
    """/why for a conduct fine: the rule, the words that showed it, who booked it, when."""
    amount = money(fine.amount_fen, fine.currency)
    lines = [f"罚款 #{fine.id}：{fine.name} {amount}（{RULE_CN.get(fine.rule, fine.rule)}）"]
    if fine.evidence:
        lines.append(f"• 依据：{fine.evidence}")
    lines.append(f"• 记罚：{leader or '群规自动'}，{at}")
    return "\n".join(lines)
