"""The words of the files finance opens: sheet names, column headers, fine statuses, totals,
the page footer of a printed sheet, and the labels of the weekly chart."""

from __future__ import annotations

from tracker.domain.ledger import FineStatus

FINES_SHEET = "罚款明细"
TOTALS_SHEET = "汇总"
FINE_HEADERS = (
    "记账时间",
    "所属月份",
    "群",
    "成员",
    "部门",
    "规则",
    "指令内容",
    "指令链接",
    "金额（元）",
    "状态",
    "免除/冲销原因",
    "申诉",
    "成员状态",
    "罚款编号",
    "成员ID",
)
TOTAL_HEADERS = (
    "部门",
    "成员",
    "成员ID",
    "笔数",
    "应缴（元）",
    "已缴（元）",
    "未缴（元）",
    "已免除笔数",
)
FINE_STATUS = {FineStatus.BOOKED: "未缴", FineStatus.PAID: "已缴", FineStatus.WAIVED: "已免除"}
APPEAL_STATUS = {None: "申诉中", "granted": "申诉通过", "denied": "申诉驳回"}  # decision
MEMBER_LEFT = "已退群"  # the member left the chat (their open work closed then)
IN_DOUBT = "（待核实）"  # a replayed export cannot be sure of it (a reaction it does not name)
NO_DEPARTMENT = "（未标注部门）"
GRAND_TOTAL = "合计"
# Excel's print codes: &A the sheet's name, &P the page, &N the page count.
PAGE_FOOTER = "&L&A&C第 &P 页，共 &N 页"
CHART_LABELS = {"rate": "按时确认率", "median": "确认用时中位数（分钟）"}


def subtotal(department: str) -> str:
    return f"{department} 小计"


def chart_title(chat_name: str, weeks: int) -> str:
    return f"{chat_name} 近 {weeks} 周回复情况"
