"""The readable Chinese summary of a replay, as rich tables."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from rich.console import Console
from rich.table import Table

from tracker import messages
from tracker.domain.rules import ChatSettings

KIND_CN = {"task": "任务", "notice": "通知"}
REVIEW_CN = {"pending": "待确认", "accepted": "算作收到", "rejected": "不算"}


def _local(iso: str | None, zone) -> str:
    if iso is None:
        return "—"
    at = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return messages.local_time(at, zone)


def print_summary(console: Console, report: dict, settings: ChatSettings) -> None:
    zone = settings.rules.timezone
    directives, fines = report["directives"], report["fines"]
    people = Counter(a["status"] for d in directives for a in d["assignees"])
    total = sum(_fen(f["amount"]) for f in fines)
    console.print(f"\n[bold]{settings.name}[/bold]（{report['id']}）")
    console.print(
        f"指令 {len(directives)} 条（任务 {sum(d['kind'] == 'task' for d in directives)}，"
        f"通知 {sum(d['kind'] == 'notice' for d in directives)}）；"
        f"按时确认 {people['acked'] + _acked_then(directives, 'done')}，"
        f"迟确认 {people['late']}，未确认/逾期 {people['overdue']}，"
        f"已完成 {people['done']}；罚款 {len(fines)} 笔，共 {messages.money(total)}"
    )
    table = Table(title="指令与回复", show_lines=False)
    for col in ("发布时间", "类型", "内容", "完成期限", "成员状态"):
        table.add_column(col)
    for d in directives:
        who = (
            "，".join(f"{a['name']}:{messages.STATUS_CN[a['status']]}" for a in d["assignees"])
            or "—"
        )
        deadline = "—"
        if d.get("deadline_phrase"):
            deadline = f"{d['deadline_phrase']} → {_local(d['done_due_at'], zone)}"
        table.add_row(
            _local(d["created_at"], zone),
            KIND_CN[d["kind"]],
            messages.preview(d.get("text", "")),
            deadline,
            who,
        )
    console.print(table)
    unsure = [(d, a) for d in directives for a in d["assignees"] if a.get("ack_review")]
    if unsure:
        review = Table(title="待确认的回复（已暂算作收到，负责人可判定）")
        for col in ("指令", "成员", "回复", "时间", "判定"):
            review.add_column(col)
        for d, a in unsure:
            review.add_row(
                messages.preview(d.get("text", "")),
                a["name"],
                messages.preview(a.get("ack_text") or ""),
                _local(a["acked_at"], zone),
                REVIEW_CN[a["ack_review"]],
            )
        console.print(review)
    if report["unresolved_mentions"]:
        names = "、".join(u["mention"] for u in report["unresolved_mentions"])
        console.print(f"⚠️ 无法识别的提及（未计时、未罚款）：{names}")
    if not fines:
        console.print("没有罚款。")
        return
    texts = {d["message_id"]: d for d in directives}
    ft = Table(title="罚款记录")
    for col in ("记账时间", "成员", "原因", "金额", "对应指令"):
        ft.add_column(col)
    per_member: Counter[str] = Counter()
    for f in fines:
        fen = _fen(f["amount"])
        per_member[f["name"]] += fen
        d = texts.get(f["directive_message_id"], {})
        ft.add_row(
            _local(f["booked_at"], zone),
            f["name"],
            messages.RULE_CN[f["rule"]],
            messages.money(fen, f["currency"]),
            f"{_local(d.get('created_at'), zone)} {messages.preview(d.get('text', ''))}",
        )
    console.print(ft)
    totals = Table(title="罚款合计（按成员）")
    totals.add_column("成员")
    totals.add_column("金额", justify="right")
    for name, fen in per_member.most_common():
        totals.add_row(name, messages.money(fen))
    console.print(totals)


def _fen(amount: str) -> int:
    yuan, _, cents = amount.partition(".")
    sign = -1 if yuan.startswith("-") else 1
    return sign * (abs(int(yuan)) * 100 + int(cents or 0))


def _acked_then(directives: list[dict], status: str) -> int:
    """Members who acknowledged in time and then finished (counted as on time too)."""
    return sum(
        1
        for d in directives
        for a in d["assignees"]
        if a["status"] == status and a["acked_at"] and a["acked_at"] <= d["ack_due_at"]
    )
