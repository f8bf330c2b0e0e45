"""Every Chinese sentence the bot sends or prints, as small functions. Code stays in English."""

from __future__ import annotations

from datetime import datetime, timedelta

from tracker.domain.periods import month_cn

PREVIEW = 24


def money(fen: int, currency: str = "CNY") -> str:
    yuan, cents = divmod(abs(fen), 100)
    sign = "-" if fen < 0 else ""
    unit = "元" if currency == "CNY" else f" {currency}"
    return f"{sign}{yuan}.{cents:02d}{unit}"


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


def chat_reminder(names: list[str], left: timedelta) -> str:
    who = people(names)
    return f"⏰ 提醒：{who}，请回复「收到」确认这条任务，还剩 {minutes(left)}，超时将按群规处理。"


def leader_notice(chat_title: str, text: str, names: list[str], waited: timedelta) -> str:
    who = people(names)
    return (
        f"【未确认提醒】「{chat_title}」中的任务「{preview(text)}」已发布 {minutes(waited)}，"
        f"以下成员仍未回复：{who}。"
    )


def no_ack_fines(names: list[str], window: timedelta, amount_fen: int, currency: str) -> str:
    who = people(names)
    return (
        f"💰 按群规：{who} 超过 {minutes(window)} 未回复确认这条任务，"
        f"各记罚款 {money(amount_fen, currency)}。"
    )


def unresolved_fines(names: list[str], sequence: int, amount_fen: int, currency: str) -> str:
    who = people(names)
    times = f"（第 {sequence + 1} 次）" if sequence else ""
    return (
        f"💰 按群规：{who} 未在截止时间前完成这条任务，"
        f"各记罚款 {money(amount_fen, currency)}{times}。完成后请回复「已完成」。"
    )


def unresolved_mentions(mentions: list[str]) -> str:
    who = people(mentions)
    return f"⚠️ 无法识别 {who}：不在本群名单中，这条任务不会为其计时。请管理员核对成员名单。"


def deadline_read(phrase: str, at: datetime, zone) -> str:
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


STATUS_CN = {
    "pending": "待确认",
    "acked": "已确认",
    "late": "迟确认",
    "overdue": "逾期",
    "done": "已完成",
    "cancelled": "已取消",
}


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


MAX_LINES = 25


def listing(lines: list[str]) -> str:
    """At most MAX_LINES lines, the newest last; older ones are counted, not shown."""
    if len(lines) <= MAX_LINES:
        return "\n".join(lines)
    return f"（较早的 {len(lines) - MAX_LINES} 条未列出）\n" + "\n".join(lines[-MAX_LINES:])


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


STATUS_ICON = {
    "pending": "⏳",
    "acked": "✅",
    "late": "⚠️",
    "overdue": "❌",
    "done": "🏁",
    "cancelled": "➖",
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
        phrase = directive.deadline_phrase or ""
        lines.append(f"完成期限：{deadline_read(phrase, directive.done_due_at, zone)}")
    for a in everyone[:MAX_NAMES]:
        if a.done_due_at is not None and a.open:
            lines.append(f"{a.name} 承诺 {local_time(a.done_due_at, zone)} 前完成")
    if directive.unresolved_mentions:
        lines.append(f"未识别：{'、'.join(directive.unresolved_mentions)}")
    return "\n".join(lines)


BUTTON_ACK = "收到"
REVIEW_NAME = 6  # characters of a name on a review button


def review_buttons(name: str) -> tuple[str, str]:
    """The leader's two buttons under a board for a reply marked 待确认."""
    short = name if len(name) <= REVIEW_NAME else name[: REVIEW_NAME - 1] + "…"
    return f"算作收到·{short}", f"不算·{short}"


def review_answer(outcome: str, accepted: bool) -> str:
    if outcome == "ok":
        return "已记录：算作收到。" if accepted else "已记录：不算收到。"
    return {
        "already": "这条回复已经判定过了。",
        "not_assignee": "这位成员不负责这条任务。",
        "closed": "这条任务已结束。",
        "not_leader": "只有本群负责人可以判定。",
    }[outcome]


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


def button_answer(outcome: str) -> str:
    return {
        "ok": "已确认，谢谢！",
        "already": "你已经确认过了。",
        "not_assignee": "这条任务不需要你确认。",
        "closed": "这条任务已结束。",
    }[outcome]


RULE_CN = {"no_ack": "超时未确认", "unresolved": "逾期未完成", "reversal": "冲销"}


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


def no_such_fine() -> str:
    return "没有找到这笔罚款：请回复机器人的罚款通知，或写明罚款编号。"


def fine_evidence(e, zone) -> str:
    f = e.fine
    lines = [
        f"罚款 #{f.id}：{f.name} {money(f.amount_fen, f.currency)}（{RULE_CN[f.rule]}）"
        + ("，已免除：" + (f.waived_reason or "") if f.status == "waived" else ""),
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


def chat_reminders(items: list[tuple[str, list[str], timedelta]]) -> str:
    """Several directives' reminders falling due together in one chat: one message."""
    lines = ["⏰ 提醒：以下任务还未确认，请回复「收到」（或回复对应任务）："]
    for i, (text, names, left) in enumerate(items, 1):
        lines.append(f"{i}.「{preview(text)}」— {people(names)}（还剩 {minutes(left)}）")
    return "\n".join(lines)


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
