"""Chinese text of the reply statistics: the /stats reply, `tracker stats`, the chart caption."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from tracker.domain.stats import MemberStats, WeekPoint, percent
from tracker.texts.common import money

MESSAGE_LIMIT = 4096  # Telegram's limit for a message
MAX_MEMBER_LINES = 25
MAX_NAME = 32  # member and chat names can be 255 characters long
NONE = "—"


def clip(name: str, limit: int = MAX_NAME) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def duration(delta: timedelta | None) -> str:
    """ "45 秒", "4 分钟", "1 小时 5 分钟", "2 天 3 小时"; "—" for None.

    Under a minute in whole seconds; otherwise rounded half up to the minute (and, from a day
    on, to the hour).
    """
    if delta is None:
        return NONE
    seconds = max(0, (delta + timedelta(microseconds=500_000)) // timedelta(seconds=1))
    if seconds < 60:
        return f"{seconds} 秒"
    minutes = (seconds + 30) // 60
    if minutes < 60:
        return f"{minutes} 分钟"
    if minutes < 24 * 60:
        hours, rest = divmod(minutes, 60)
        return f"{hours} 小时" + (f" {rest} 分钟" if rest else "")
    days, hours = divmod((minutes + 30) // 60, 24)
    return f"{days} 天" + (f" {hours} 小时" if hours else "")


def rate(value: Fraction | None) -> str:
    return NONE if value is None else f"{percent(value)}%"


def _figures(row: MemberStats, currency: str) -> str:
    waiting = row.received - row.decided
    text = (
        f"收到 {row.received} 条，按时 {row.on_time}（{rate(row.on_time_rate)}），"
        f"迟 {row.late}，未回 {row.missed}"
    )
    if waiting:
        text += f"，未到期 {waiting}"
    text += f"；中位 {duration(row.median_ack)}，P90 {duration(row.p90_ack)}"
    if row.fines_count or row.fines_fen:
        return text + f"；罚款 {row.fines_count} 笔 {money(row.fines_fen, currency)}"
    return text + "；无罚款"


def member_line(row: MemberStats, currency: str = "CNY") -> str:
    return f"• {clip(row.name)}：{_figures(row, currency)}"


def total_line(total: MemberStats, currency: str = "CNY") -> str:
    return f"合计：{_figures(total, currency)}"


def stats_text(
    chat_name: str,
    since: date,
    rows: list[MemberStats],
    total: MemberStats,
    currency: str = "CNY",
) -> str:
    """One line per member (at most 25, then how many more), then the chat total."""
    header = f"📊 {clip(chat_name)} 自 {since.month}月{since.day}日 起的回复统计"
    if total.received == 0 and not rows:
        return f"{header}\n暂无需要确认的指令。"
    lines = [member_line(row, currency) for row in rows]
    shown = min(len(lines), MAX_MEMBER_LINES)
    while True:
        body = lines[:shown]
        if shown < len(lines):
            body.append(f"…其余 {len(lines) - shown} 人未列出")
        text = "\n".join([header, *body, total_line(total, currency)])
        if len(text) <= MESSAGE_LIMIT or shown == 0:
            return text
        shown -= 1


def _trend(values: list[str], unit: str = "") -> str:
    """ "85%→92%" from the oldest to the newest value, or "92%" when there is only one."""
    return (values[0] if len(values) == 1 else f"{values[0]}→{values[-1]}") + unit


def _ends(values: list) -> list:
    return values[:1] + values[1:][-1:]


def weekly_chart_caption(chat_name: str, points: list[WeekPoint]) -> str:
    """ "📈 销售部工作群 近 8 周：按时确认率 85%→92%，确认用时中位数 6→4 分钟".

    Each trend runs from the oldest to the newest week that has a value.
    """
    head = f"📈 {clip(chat_name)} 近 {len(points)} 周："
    rates = _ends([p.on_time_rate for p in points if p.on_time_rate is not None])
    medians = _ends([p.median_ack for p in points if p.median_ack is not None])
    if not rates and not medians:
        return head + "没有需要确认的指令"
    parts = []
    if rates:
        parts.append("按时确认率 " + _trend([rate(r) for r in rates]))
    if medians:
        texts = [duration(m) for m in medians]
        counts = [t.removesuffix(" 分钟") for t in texts]
        if all(c.isdigit() for c in counts):  # "6→4 分钟" rather than "6 分钟→4 分钟"
            parts.append("确认用时中位数 " + _trend(counts, " 分钟"))
        else:
            parts.append("确认用时中位数 " + _trend(texts))
    return head + "，".join(parts)
