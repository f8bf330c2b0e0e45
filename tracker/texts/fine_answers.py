"""The bot's answers about fines: why a fine was booked (/why, with the reading of a reply),
the month's fines (/fines), the export's caption, a closed month."""

from __future__ import annotations

from tracker.domain.ledger import FineStatus
from tracker.domain.periods import month_cn
from tracker.texts.common import RULE_CN, local_time, money, preview
from tracker.texts.notices import deadline_read

SELF_PROMISED = "本人承诺"  # a deadline the member named, not the directive


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
        phrase = SELF_PROMISED if e.member_promised else e.deadline_phrase
        lines.append(f"• 完成期限：{deadline_read(phrase, e.done_due_at, zone)}")
    for at, to in e.reminders:
        where = "群内提醒" if to == "chat" else "私信通知负责人"
        lines.append(f"• {local_time(at, zone)} {where}")
    if e.review is not None:
        lines.append(review_line(*e.review, zone))
    lines.append(f"• 记账时间：{local_time(f.booked_at, zone)}")
    if f.doubt:
        lines.append(DOUBT_CN.get(f.doubt, f.doubt))
    return "\n".join(lines)


DOUBT_CN = {
    "reaction_unlisted": "• 待核实：导出记录只列出最近几位点赞者，该成员可能已点赞确认",
    "reaction_untimed": "• 待核实：该成员点过赞，但导出记录没有点赞时间",
}


def review_line(decision: str, reply: str, leader: str | None, at, zone) -> str:
    """How a reply marked 待确认 was ruled, for /why."""
    said = f"回复‘{preview(reply)}’"
    if decision == "pending":
        return f"• {said}：待负责人判定（暂算作收到）"
    if decision == "confirmed":
        return f"• {leader or '负责人'} 于 {local_time(at, zone)} 代为确认收到（/ok）"
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


def export_caption(month: str, count: int, fen: int, chats: list[str]) -> str:
    return (
        f"📎 {month_cn(month)}罚款明细（{'、'.join(chats)}）：{count} 笔，"
        f"合计 {money(fen)}（已免除的列出但不计入合计）。"
    )


def month_closed(month: str) -> str:
    return f"{month_cn(month)}已结账，罚款不能再更改。"
