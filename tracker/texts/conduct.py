"""What the bot says about conduct: a warning with its rule and evidence, a revoked warning,
the limit reached, and a member's warnings on /warns."""

from __future__ import annotations

from tracker.domain.conduct.settings import AD, BLOCKLIST, FLOOD, HOURS, LINK, MANUAL, RATE

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
