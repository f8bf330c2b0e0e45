"""Chinese text of the daily overdue digest (日清日结), kept under Telegram's 4,096 characters:
at most MAX_MEMBERS members, MAX_ITEMS items each, the rest counted."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from tracker.domain.digest import FineLine, ItemState, OpenItem
from tracker.domain.ledger import FineStatus
from tracker.texts.answers import calendar_note
from tracker.texts.common import RULE_CN, local_time, money, people, preview
from tracker.texts.stats import MESSAGE_LIMIT, clip, duration

MAX_MEMBERS = 25
MAX_ITEMS = 3
WEEKDAY_CN = "一二三四五六日"
STATE_CN = {
    ItemState.UNACKED: "未确认",
    ItemState.PAST_DEADLINE: "逾期未完成",
    ItemState.AWAITING_ACK: "待确认",
    ItemState.DUE: "进行中",
}


@dataclass(frozen=True, slots=True)
class DigestData:
    chat_name: str
    day: date
    at: datetime  # the instant the digest speaks for
    zone: object
    items: list[OpenItem]  # sorted: most overdue first
    acks: list[tuple[str, bool]]  # (name, on time) today
    directives_today: int
    fines: list[FineLine]  # booked today
    calendar: object
    max_age: timedelta = timedelta(days=7)  # older overdue items are counted, not listed
    since: datetime | None = None  # the previous digest's instant: the figures start after it
    away: list[tuple[str, datetime]] = field(default_factory=list)  # (name, until) on leave


def day_cn(day: date) -> str:
    return f"{day.month}月{day.day}日（周{WEEKDAY_CN[day.weekday()]}）"


def digest_text(d: DigestData, late_since: datetime | None = None) -> str:
    head = f"📋 {d.chat_name} 日清日结 · {day_cn(d.day)}"
    lines = [head]
    if late_since is not None:
        lines.append(
            f"（补发：机器人离线，错过了 {local_time(d.at, d.zone)} 的日报；以下为当时的情况）"
        )
    if d.away:
        lines.append(
            "🏖 请假：" + "、".join(f"{clip(n)}（{_until(t, d.zone)}）" for n, t in d.away)
        )
    overdue = [i for i in d.items if i.state.overdue]
    on_time = sum(ok for _, ok in d.acks)
    late_names = [name for name, ok in d.acks if not ok]
    counted = [f for f in d.fines if f.status != FineStatus.WAIVED]
    total = sum(f.amount_fen for f in counted)
    if not d.items and not late_names and not counted:
        lines.append(
            f"✅ {_period(d)}指令 {d.directives_today} 条，确认 {on_time} 人次全部按时；"
            "无逾期事项，无罚款。"
        )
        return "\n".join(lines) + calendar_note(d.calendar, d.day.year)
    acks = f"{_period(d)}指令 {d.directives_today} 条；确认 {len(d.acks)} 人次：按时 {on_time}"
    acks += f"，迟到 {len(late_names)}（{people(late_names)}）" if late_names else "，迟到 0"
    lines.append(acks + "。")
    if counted:
        by_person = Counter()
        for f in counted:
            by_person[(f.name, f.rule)] += f.amount_fen
        what = "、".join(
            f"{clip(name)} {money(fen)}（{RULE_CN.get(rule, rule)}）"
            for (name, rule), fen in by_person.most_common()
        )
        lines.append(f"💰 {_period(d)}罚款 {len(counted)} 笔，共 {money(total)}：{what}")
    else:
        lines.append(f"{_period(d)}无罚款。")
    if d.items:
        lines.append(f"\n未清事项 {len(d.items)} 项（其中逾期 {len(overdue)} 项）：")
        lines += _members(d.items, d.at, d.zone, d.max_age)
    else:
        lines.append("✅ 无未清事项。")
    return _fit("\n".join(lines) + calendar_note(d.calendar, d.day.year))


def _until(end: datetime, zone) -> str:
    local = end.astimezone(zone)
    if local.hour == local.minute == 0:  # leave to midnight: through the day before
        last = local - timedelta(days=1)
        return f"至{last.month}月{last.day}日"
    return f"至{local_time(end, zone)}"


def _period(d: DigestData) -> str:
    """ "今日" after an ordinary working day; "自 11月20日 18:00 以来" after a weekend or a
    holiday (the figures start at the previous digest)."""
    if d.since is None or (d.day - d.since.astimezone(d.zone).date()).days <= 1:
        return "今日"
    return f"自 {local_time(d.since, d.zone)} 以来"


def _members(items: list[OpenItem], at: datetime, zone, max_age: timedelta) -> list[str]:
    """A line per member, then their items: the newest first; items overdue for longer than
    `max_age` only counted (they were fined long ago; listing them daily buries today)."""
    by_member: dict[int, list[OpenItem]] = {}
    for item in items:
        by_member.setdefault(item.user_id, []).append(item)
    lines = []
    for shown, member_items in enumerate(by_member.values()):
        if shown == MAX_MEMBERS:
            rest = len(by_member) - MAX_MEMBERS
            lines.append(
                f"…其余 {rest} 人的 {sum(map(len, list(by_member.values())[shown:]))} 项未列出"
            )
            break
        recent = [i for i in member_items if not _old(i, at, max_age)]
        old = len(member_items) - len(recent)
        if not recent:
            lines.append(f"• {clip(member_items[0].name)}：{old} 项已逾期超过 {duration(max_age)}")
            continue
        lines.append(f"• {clip(member_items[0].name)}：")
        for item in recent[:MAX_ITEMS]:
            lines.append(f"  「{_gist(item.text)}」{_state(item, at, zone)}")
        if len(recent) > MAX_ITEMS:
            lines.append(f"  …等共 {len(recent)} 项")
        if old:
            lines.append(f"  另有 {old} 项已逾期超过 {duration(max_age)}")
    return lines


def _old(item: OpenItem, at: datetime, max_age: timedelta) -> bool:
    return item.state.overdue and item.since is not None and at - item.since > max_age


_ADDRESS = re.compile(r"(?:^|\s)[@#]\S+")


def _gist(text: str) -> str:
    """The directive without its @mentions and #tags, which say nothing about the task."""
    return preview(_ADDRESS.sub(" ", text).strip() or text)


def _state(item: OpenItem, at: datetime, zone) -> str:
    late = item.late_by(at)
    if late is not None and late < timedelta(minutes=1):
        return f"{STATE_CN[item.state]}，刚到期"
    if late is not None:
        return f"{STATE_CN[item.state]}，已逾期 {duration(late)}"
    if item.state in (ItemState.AWAITING_ACK, ItemState.DUE) and item.since is not None:
        word = "确认期限" if item.state is ItemState.AWAITING_ACK else "截止"
        return f"{STATE_CN[item.state]}，{word} {local_time(item.since, zone)}"
    return STATE_CN[item.state]


def _fit(text: str) -> str:
    if len(text) <= MESSAGE_LIMIT:
        return text
    cut = text[: MESSAGE_LIMIT - 40].rsplit("\n", 1)[0]
    return cut + "\n…（内容过长，其余未列出，发送 /overdue 查看）"
