"""What the bot says about appeals (申诉): the request to the leaders, the decision, the answers
to /appeal and to a 免除 / 维持 press, and /appeals."""

from __future__ import annotations

from datetime import datetime

from tracker.texts.common import local_time, money, preview

GRANT, DENY = "免除", "维持"


def filed(fine_id: int, name: str, fen: int, currency: str, reason: str, at: datetime, zone):
    return (
        f"📨 {name} 于 {local_time(at, zone)} 对罚款 #{fine_id}（{money(fen, currency)}）"
        f"提出申诉：{preview(reason)}\n"
        f"请负责人审核（/why {fine_id} 查看依据），点下方按钮免除或维持。"
    )


def decided(fine_id: int, name: str, leader: str, granted: bool) -> str:
    if granted:
        return f"✅ {leader} 同意了 {name} 对罚款 #{fine_id} 的申诉，罚款已免除。"
    return f"❌ {leader} 维持罚款 #{fine_id}，{name} 的申诉未通过。"


def waiver_reason(reason: str) -> str:
    return f"申诉通过：{reason}"


ANSWERS = {
    "ok": "已提交申诉，等待负责人审核。",
    "not_yours": "只能对自己的罚款提出申诉。",
    "waived": "这笔罚款已经免除，无需申诉。",
    "already": "这笔罚款已经申诉过了（每笔罚款只能申诉一次）。",
    "too_late": "已超过申诉期限。",
}
USAGE = (
    "用法：回复罚款通知发送 /appeal 理由，或 /appeal 罚款编号 理由"
    "（例如 /appeal 12 当时在飞机上）。"
)


def answer(outcome: str, window_days: int) -> str:
    text = ANSWERS[outcome]
    return text[:-1] + f"（罚款后 {window_days} 天内）。" if outcome == "too_late" else text


def button_answer(outcome: str, granted: bool) -> str:
    return {
        "ok": "已免除" if granted else "已维持",
        "already": "这条申诉已经处理过了",
        "gone": "找不到这条申诉",
        "not_leader": "只有负责人可以处理申诉",
    }[outcome]


def open_list(lines: list[str]) -> str:
    return "待处理的申诉：\n" + "\n".join(lines) if lines else "目前没有待处理的申诉。"


def open_line(fine_id: int, name: str, reason: str, at: datetime, zone) -> str:
    return f"• 罚款 #{fine_id} {name}（{local_time(at, zone)}）：{preview(reason)}"
