"""The readable Chinese summary of a replay, as rich tables."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from rich.console import Console
from rich.table import Table

from tracker.domain.money import parse_fen
from tracker.domain.rules import ChatSettings
from tracker.domain.stats import AckSample, MemberStats, member_stats
from tracker.texts import common, conduct, notices
from tracker.texts.stats import total_line

KIND_CN = {"task": "任务", "notice": "通知"}
MAX_NAMED = 4  # members listed one by one under a directive; more are counted per status
REVIEW_CN = {"pending": "待确认", "accepted": "算作收到", "rejected": "不算"}  # not "confirmed"


def _local(iso: str | None, zone) -> str:
    if iso is None:
        return "—"
    at = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    return common.local_time(at, zone)


def _utc(iso: str | None) -> datetime | None:
    return None if iso is None else datetime.fromisoformat(iso.replace("Z", "+00:00"))


def reply_totals(report: dict, as_of: datetime) -> MemberStats:
    """The chat's reply figures with `tracker stats`'s definitions (`tracker.domain.stats`),
    from what the replay reported: the two say the same for the same directives."""
    samples = [
        AckSample(
            a["user_id"],
            a["name"],
            _utc(d["created_at"]),
            _utc(d["ack_due_at"]),
            _utc(a["acked_at"]),
            d["status"] == "cancelled"
            or a["status"] == "cancelled"
            or a["status"] == "away"
            or (a["status"] == "left" and a["acked_at"] is None),
        )
        for d in report["directives"]
        for a in d["assignees"]
    ]
    fines = [(f["user_id"], f["name"], parse_fen(f["amount"])) for f in report["fines"]]
    return member_stats(samples, fines, as_of)[1]


def print_summary(
    console: Console, report: dict, settings: ChatSettings, as_of: datetime | None = None
) -> None:
    """`as_of`: the replay's clock at the end (a reply window still open then is not judged);
    None: every window is judged."""
    zone = settings.rules.timezone
    directives, fines = report["directives"], report["fines"]
    for line in _headline(report, settings, as_of):
        console.print(line)
    console.print(_directives_table(directives, zone))
    unsure = [
        (d, a) for d in directives for a in d["assignees"] if a.get("ack_review") in REVIEW_CN
    ]
    if unsure:
        console.print(_reviews_table(unsure, zone))
    if report["unresolved_mentions"]:
        names = "、".join(u["mention"] for u in report["unresolved_mentions"])
        console.print(f"⚠️ 无法识别的提及（未计时、未罚款）：{names}")
    if report.get("warnings"):
        console.print(warnings_line(report["warnings"], settings.rules.conduct.warn_limit))
        acts = Counter(w["action"] for w in report["warnings"])
        if acts["delete"] or acts["mute"] or report.get("removals"):
            console.print(
                f"（回放不执行处置：本应删除消息 {acts['delete']} 条、禁言 {acts['mute']} 次、"
                f"移出成员 {len(report.get('removals', []))} 人）"
            )
    if not fines:
        console.print("没有罚款。")
        return
    for table in _fines_tables(fines, directives, zone):
        console.print(table)
    doubted = sum(1 for f in fines if f.get("doubt"))
    if doubted:
        console.print(
            f"⚠️ 待核实的罚款 {doubted} 笔：导出文件只列出每个表情最近的几位点赞者"
            "（或点赞没有时间），这些成员可能已点赞确认，请负责人核实后免除或保留。"
        )


def warnings_line(warnings: list[dict], limit: int) -> str:
    """警告 5 次（刷屏（同一内容连发） 3、发广告 2），2 人达到上限（3 次）。"""
    standing = [w for w in warnings if w["revoked_at"] is None]
    by_rule = Counter(w["rule"] for w in standing)
    parts = "、".join(f"{conduct.rule_name(rule)} {n}" for rule, n in by_rule.most_common())
    line = f"⚠️ 警告 {len(standing)} 次（{parts}）" if standing else "⚠️ 警告 0 次"
    if len(warnings) > len(standing):
        line += f"，另有 {len(warnings) - len(standing)} 次已撤销"
    at_limit = sum(n >= limit for n in Counter(w["user_id"] for w in standing).values())
    if at_limit:
        line += f"；{at_limit} 人达到警告上限（{limit} 次），按群规应予清退"
    return line + "。"


def _headline(report: dict, settings: ChatSettings, as_of: datetime | None) -> list[str]:
    directives = report["directives"]
    people = Counter(a["status"] for d in directives for a in d["assignees"])
    totals = reply_totals(report, as_of or datetime.max.replace(tzinfo=UTC))
    return [
        f"\n[bold]{settings.name}[/bold]（{report['id']}）",
        f"指令 {len(directives)} 条（任务 {sum(d['kind'] == 'task' for d in directives)}，"
        f"通知 {sum(d['kind'] == 'notice' for d in directives)}）；"
        f"成员已完成 {people['done']}，逾期未完成 {people['overdue']}",
        total_line(totals, settings.rules.currency).replace("合计", "回复统计", 1),
    ]


def _directives_table(directives: list[dict], zone) -> Table:
    table = Table(title="指令与回复", show_lines=False)
    for col in ("发布时间", "类型", "内容", "完成期限", "成员状态"):
        # Chinese has no spaces to wrap at: a long cell folds instead of being cut with "…"
        table.add_column(col, overflow="fold")
    for d in directives:
        deadline = "—"
        if d.get("done_due_at"):
            deadline = notices.deadline_read(
                d.get("deadline_phrase"), _utc(d["done_due_at"]), zone
            )
        table.add_row(
            _local(d["created_at"], zone),
            KIND_CN[d["kind"]],
            common.preview(d.get("text", "")),
            deadline,
            _who(d["assignees"]),
        )
    return table


def _reviews_table(unsure: list[tuple[dict, dict]], zone) -> Table:
    review = Table(title="待确认的回复（已暂算作收到，负责人可判定）")
    for col in ("指令", "成员", "回复", "时间", "判定"):
        review.add_column(col)
    for d, a in unsure:
        review.add_row(
            common.preview(d.get("text", "")),
            a["name"],
            common.preview(a.get("ack_text") or ""),
            _local(a["acked_at"], zone),
            REVIEW_CN[a["ack_review"]],
        )
    return review


def _fines_tables(fines: list[dict], directives: list[dict], zone) -> tuple[Table, Table]:
    """Each fine with its directive, then the totals per member."""
    texts = {d["message_id"]: d for d in directives}
    listed = Table(title="罚款记录")
    for col in ("记账时间", "成员", "原因", "金额", "对应指令"):
        listed.add_column(col)
    per_member: Counter[str] = Counter()
    for f in fines:
        fen = parse_fen(f["amount"])
        per_member[f["name"]] += fen
        d = texts.get(f["directive_message_id"], {})
        listed.add_row(
            _local(f["booked_at"], zone),
            f["name"],
            common.RULE_CN[f["rule"]] + ("（待核实）" if f.get("doubt") else ""),
            common.money(fen, f["currency"]),
            f"{_local(d.get('created_at'), zone)} {common.preview(d.get('text', ''))}",
        )
    totals = Table(title="罚款合计（按成员）")
    totals.add_column("成员")
    totals.add_column("金额", justify="right")
    for name, fen in per_member.most_common():
        totals.add_row(name, common.money(fen))
    return listed, totals


def _who(assignees: list[dict]) -> str:
    """Each member's status, one a line; for a notice to many, counts per status, naming only
    those who still owe something."""
    if len(assignees) <= MAX_NAMED:
        return "\n".join(f"{a['name']}：{common.STATUS_CN[a['status']]}" for a in assignees) or "—"
    lines = []
    for status in notices.STATUS_ICON:
        names = [a["name"] for a in assignees if a["status"] == status]
        if names and status in ("pending", "overdue"):
            lines.append(f"{common.STATUS_CN[status]} {len(names)} 人：{'、'.join(names)}")
        elif names:
            lines.append(f"{common.STATUS_CN[status]} {len(names)} 人")
    return "\n".join(lines)
