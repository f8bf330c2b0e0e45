"""The bot's answers to commands in the chat: help, status lists, settings, /why, usage
lines and refusals."""

from __future__ import annotations

from tracker.domain.ledger import FineStatus
from tracker.domain.periods import month_cn
from tracker.texts.common import (
    RULE_CN,
    STATUS_CN,
    listing,
    local_time,
    minutes,
    money,
    preview,
)
from tracker.texts.notices import deadline_read


def status_line(directive, zone, only: int | None = None) -> str:
    people = [
        f"{a.name}:{STATUS_CN[a.status.value]}"
        + (f"（承诺 {local_time(a.done_due_at, zone)} 前）" if a.done_due_at and a.open else "")
        for a in directive.assignments.values()
        if only is None or a.user_id == only
    ]
    due = ""
    if directive.done_due_at is not None:
        due = f"（截止 {local_time(directive.done_due_at, zone)}）"
    return f"• {local_time(directive.created_at, zone)} 「{preview(directive.text)}」{due} " + (
        "，".join(people)
    )


def status(lines: list[str]) -> str:
    return "本群进行中的任务：\n" + listing(lines) if lines else "本群目前没有进行中的任务。"


def mine(lines: list[str]) -> str:
    return "你的待办：\n" + listing(lines) if lines else "你目前没有待办任务。"


def group_only() -> str:
    return "这个命令请在工作群里使用。"


def settings(rules, leaders: list[str], year: int) -> str:
    reminders = "、".join(minutes(t) for t in rules.remind_at) or "不提醒"
    tell = "、".join(minutes(t) for t in rules.tell_leader_at) or "不通知"
    return (
        f"本群规则：\n• 负责人：{'、'.join(leaders)}\n"
        f"• 收到任务后 {minutes(rules.ack_window)} 内回复「收到」\n"
        f"• 发布后 {reminders} 在群里提醒未回复的成员；{tell} 私信通知负责人\n"
        f"• 超时未确认罚款 {money(rules.fine_no_ack_fen, rules.currency)}；"
        f"逾期未完成每 {minutes(rules.unresolved_repeat)} 罚款 "
        f"{money(rules.fine_unresolved_fen, rules.currency)}，最多 {rules.unresolved_max} 次\n"
        f"• 时区：{rules.timezone.key}；"
        + ("按工作时间计时" if rules.clock == "business" else "按自然时间计时")
        + f"（工作时间 {rules.working_hours[0]:%H:%M}–{rules.working_hours[1]:%H:%M}）\n"
        + (
            "• 免打扰：未设置"
            if rules.quiet_hours[0] == rules.quiet_hours[1]
            else f"• 免打扰：{rules.quiet_hours[0]:%H:%M}–{rules.quiet_hours[1]:%H:%M} "
            "不在群里发消息"
        )
        + calendar_note(rules.calendar, year)
    )


def calendar_note(calendar, year: int) -> str:
    """Said when chinese-calendar does not know the year: Monday–Friday plus the config."""
    if calendar.known(year):
        return ""
    return (
        f"\n⚠️ 节假日数据不含 {year} 年：按周一至周五计算工作日，"
        "并使用配置中的 [calendar] 假期与调休。"
    )


def help_text() -> str:
    return (
        "使用说明：\n"
        "• 领导发布任务：消息里 @成员 并写明要求，或加 #任务"
        "（回复某人的消息加 #任务 即指派给他）\n"
        "• 发布通知：加 #通知 或 @所有人，全员需回复\n"
        "• 成员确认：回复「收到」「好的」「1」或点 👍；回复某条任务只确认那一条\n"
        "• 完成：回复任务「已完成」或 /done；领导回复任务 /cancel 可取消\n"
        "• 查询：/status 本群进行中的任务，/mine 我的待办，/settings 本群规则\n"
        "• 日清日结：每个工作日定时发送日报，/digest 随时查看；/stats 回复统计\n"
        "• 财务：负责人回复成员消息 /paid 登记缴款；私聊我 /export 2026-11 导出罚款表\n"
        "• 配置：/id 查看本群和你的数字 ID（回复某人的消息可查他的）"
    )


CHAT_TYPE_CN = {"group": "普通群", "supergroup": "超级群", "private": "私聊", "channel": "频道"}


def ids(
    chat_id: int, chat_type: str, people: list[tuple[int, str, str | None]], configured: bool
) -> str:
    lines = [f"本群 ID：{chat_id}（{CHAT_TYPE_CN.get(chat_type, chat_type)}）"]
    for n, (user_id, name, username) in enumerate(people):
        at = f" @{username}" if username else ""
        lines.append(f"{'你' if n == 0 else '被回复的成员'}：{name}{at}，ID {user_id}")
    lines.append(
        "本群已在配置中。"
        if configured
        else "本群还不在配置中：把上面的 ID 写进 config/tracker.toml 的 [[chats]]（id、leaders、"
        "members），重启机器人即可。"
    )
    return "\n".join(lines)


def review_answer(outcome: str, accepted: bool) -> str:
    if outcome == "ok":
        return "已记录：算作收到。" if accepted else "已记录：不算收到。"
    return {
        "already": "这条回复已经判定过了。",
        "not_assignee": "这位成员不负责这条任务。",
        "closed": "这条任务已结束。",
        "not_leader": "只有本群负责人可以判定。",
    }[outcome]


def button_answer(outcome: str) -> str:
    return {
        "ok": "已确认，谢谢！",
        "already": "你已经确认过了。",
        "not_assignee": "这条任务不需要你确认。",
        "closed": "这条任务已结束。",
    }[outcome]


def leaders_only(what: str) -> str:
    return f"抱歉，只有本群负责人可以{what}。"


def waive_usage() -> str:
    return (
        "用法：回复罚款通知发送 /waive 原因，"
        "或 /waive 罚款编号 原因（例如 /waive 12 请假已报备）。"
    )


def why_usage() -> str:
    return (
        "用法：回复罚款通知发送 /why，或 /why 罚款编号；"
        "回复成员的消息发送 /why，查看它是否算作收到。"
    )


READING_CN = {
    "ack": "是确认用语",
    "promise": "是对任务的承诺、计划或进展",
    "question": "是提问",
    "negated": "是否定（没收到、没看懂之类）",
    "refusal": "是拒绝或做不到",
    "deferral": "是推迟（晚点再看、回头再说之类）",
    "instruction": "是安排别人的话或编号列表",
    "excuse": "只是解释或道歉",
    "filler": "只是语气词、称呼或客套",
    "label": "只是称呼或名字",
    "other": "说的是别的事",
}


def reading_explained(reading) -> str:
    """Why a message does or does not acknowledge, naming the words that decided."""
    words = f"‘{preview(reading.words)}’" if reading.words else "这条消息"
    kind = READING_CN.get(reading.kind.value if reading.kind else "filler", "")
    verdict = reading.verdict.value
    if verdict == "ack":
        return f"判定：算作收到。{words}{kind}。"
    if verdict == "response":
        return f"判定：算作收到（作为对任务的回复）。{words}{kind}。单独发出时，需回复该任务才算。"
    if verdict == "unsure":
        return (
            f"判定：不确定。{words}{kind}，既不明确确认也不明确拒绝；"
            "若是直接回复该任务，暂算作收到，由负责人判定。"
        )
    return f"判定：不算收到。{words}{kind}。"


def fine_evidence(e, zone) -> str:
    f = e.fine
    lines = [
        f"罚款 #{f.id}：{f.name} {money(f.amount_fen, f.currency)}（{RULE_CN[f.rule]}）"
        + ("，已免除：" + (f.waived_reason or "") if f.status == FineStatus.WAIVED else ""),
        f"• 指令：{local_time(e.created_at, zone)}「{preview(e.directive_text)}」",
        f"• 确认期限：{local_time(e.ack_due_at, zone)}",
    ]
    if e.done_due_at is not None:
        lines.append(f"• 完成期限：{deadline_read(e.deadline_phrase or '', e.done_due_at, zone)}")
    for at, to in e.reminders:
        where = "群内提醒" if to == "chat" else "私信通知负责人"
        lines.append(f"• {local_time(at, zone)} {where}")
    if e.review is not None:
        lines.append(review_line(*e.review, zone))
    lines.append(f"• 记账时间：{local_time(f.booked_at, zone)}")
    return "\n".join(lines)


def review_line(decision: str, reply: str, leader: str | None, at, zone) -> str:
    """How a reply marked 待确认 was ruled, for /why."""
    said = f"回复‘{preview(reply)}’"
    if decision == "pending":
        return f"• {said}：待负责人判定（暂算作收到）"
    verdict = "算作收到" if decision == "accepted" else "不算收到"
    return f"• {said}：{leader or '负责人'} 于 {local_time(at, zone)} 判定{verdict}"


def month_fines(month: str, rows: list[tuple]) -> str:
    if not rows:
        return f"{month} 本群没有罚款。"
    total = sum(int(fen) for _, _, fen in rows)
    lines = [f"{month} 罚款（不含已免除）："]
    lines += [f"• {name}：{count} 笔，{money(int(fen))}" for name, count, fen in rows]
    lines.append(f"合计 {money(total)}")
    return "\n".join(lines)


def overdue(lines: list[str]) -> str:
    return "逾期未完成：\n" + listing(lines) if lines else "本群目前没有逾期事项。"


USAGE = {
    "/task": (
        "用法：/task @成员 任务内容（可写期限，如「今天下班前」），"
        "或回复成员的消息发送 /task 任务内容。"
    ),
    "/done": "用法：回复要完成的那条任务发送 /done 或「已完成」。",
    "/cancel": "用法：回复要取消的那条任务发送 /cancel（仅负责人）。",
}


def usage(verb: str) -> str:
    return USAGE[verb]


def export_caption(month: str, count: int, fen: int, chats: list[str]) -> str:
    return (
        f"📎 {month_cn(month)}罚款明细（{'、'.join(chats)}）：{count} 笔，"
        f"合计 {money(fen)}（已免除的列出但不计入合计）。"
    )


def export_usage() -> str:
    return "用法：私聊我发送 /export 2026-11（可加 csv），导出该月罚款明细。"


def export_private_only() -> str:
    return "为保护隐私，请私聊我发送 /export 导出罚款明细。"


def leads_no_chat() -> str:
    return "抱歉，只有工作群的负责人可以导出罚款明细。"


def stats_usage() -> str:
    return "用法：/stats 查看近 30 天的回复统计，或 /stats 2026-11-01 从该日起统计。"


def paid_usage() -> str:
    return "用法：回复该成员的消息发送 /paid，或 /paid @成员 2026-11（默认本月）。"


def month_closed(month: str) -> str:
    return f"{month_cn(month)}已结账，罚款不能再更改。"
