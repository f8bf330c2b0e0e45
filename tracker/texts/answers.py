"""The bot's answers to commands in the chat: status lists, settings, ids, the outcome of a
button press."""

from __future__ import annotations

from tracker.texts import conduct
from tracker.texts.common import STATUS_CN, listing, local_time, minutes, money, preview


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


def settings(rules, leaders: list[str], year: int) -> str:
    reminders = "、".join(minutes(t) for t in rules.remind_at) or "不提醒"
    tell = "、".join(minutes(t) for t in rules.tell_leader_at) or "不通知"
    before = "、".join(minutes(t) for t in rules.done_remind_before)
    done = f"完成期限前 {before} 提醒未完成的成员；" if before else ""
    if rules.default_done == "end_of_workday":
        end = rules.deadline_conventions.end_of_day
        done = f"未写期限的任务当天 {end:%H:%M} 前完成；" + done
    return (
        f"本群规则：\n• 负责人：{'、'.join(leaders)}\n"
        f"• 收到任务后 {minutes(rules.ack_window)} 内回复「收到」\n"
        f"• 发布后 {reminders} 在群里提醒未回复的成员；{tell} 私信通知负责人\n"
        f"• 超时未确认罚款 {money(rules.fine_no_ack_fen, rules.currency)}；{done}"
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
        + ("\n• 请假：需负责人批准" if rules.leave_approval else "\n• 请假：登记即生效")
        + (
            "；假期中收到的指令在假后顺延确认期限"
            if rules.absent == "defer"
            else "；假期中不计入指令、不提醒、不罚款"
        )
        + conduct.settings_line(rules.conduct)
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


def overdue(lines: list[str]) -> str:
    return "逾期未完成：\n" + listing(lines) if lines else "本群目前没有逾期事项。"
