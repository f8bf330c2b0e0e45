"""What the bot says about its commands: the menu Telegram shows, help, usage lines, and the
refusals when a command is used in the wrong place or by someone without the right."""

from __future__ import annotations

MENU = (
    ("task", "发布任务（回复成员消息或 @成员）"),
    ("notice", "发布通知（全员需回复收到）"),
    ("done", "回复任务：标记已完成"),
    ("cancel", "回复任务：取消（仅领导）"),
    ("ok", "回复任务 @成员：代成员确认收到（仅领导）"),
    ("name", "登记群名片（如 /name 销售部-张三）"),
    ("warns", "查看警告（负责人回复成员消息 /warn 理由 可警告，/unwarn 撤销）"),
    ("status", "本群未完成的任务"),
    ("mine", "我的待办"),
    ("leave", "请假：/leave 明天全天 事由（负责人可 @成员 登记）"),
    ("away", "谁在请假"),
    ("overdue", "逾期未完成的事项"),
    ("fines", "本月罚款（按成员）"),
    ("why", "回复罚款通知：查看依据"),
    ("waive", "回复罚款通知：免除并写明原因（仅负责人）"),
    ("appeal", "回复自己的罚款通知：申诉并写明理由"),
    ("appeals", "待处理的申诉（负责人）"),
    ("digest", "今日日清日结：未清事项、确认与罚款"),
    ("stats", "回复统计（默认近 30 天，可写起始日期）"),
    ("paid", "回复成员消息：登记缴纳罚款（仅负责人）"),
    ("export", "私聊：导出某月罚款明细（负责人）"),
    ("settings", "本群规则"),
    ("id", "本群与我的数字 ID（写配置用；回复某人可查他的）"),
    ("help", "使用说明"),
)
LEADER_VERBS = {
    "/task": "发布任务",
    "/notice": "发布通知",
    "/cancel": "取消任务",
    "/ok": "代成员确认收到（成员请直接回复「收到」）",
    "/waive": "免除罚款",
    "/paid": "登记缴纳罚款",
    "/appeals": "查看待处理的申诉",
    "/warn": "警告成员",
    "/unwarn": "撤销警告",
    "/fine": "记罚款",
}


def leaders_only(verb: str) -> str:
    """`verb` is one of LEADER_VERBS."""
    return f"抱歉，只有本群负责人可以{LEADER_VERBS[verb]}。"


def help_text() -> str:
    return (
        "使用说明：\n"
        "• 领导发布任务：消息里 @成员 并写明要求，或加 #任务"
        "（回复某人的消息加 #任务 即指派给他）\n"
        "• 发布通知：加 #通知 或 @所有人，全员需回复\n"
        "• 成员确认：回复「收到」「好的」「1」或点 👍；回复某条任务只确认那一条\n"
        "• 完成：回复任务「已完成」或 /done；领导回复任务 /cancel 可取消\n"
        "• 电话或当面答复的：领导回复任务 /ok @成员，记为该成员已确认\n"
        "• 请假：/leave 明天全天 事由（或 #请假），负责人批准后期间不提醒、不罚款；"
        "负责人可 /leave @成员 时间 事由 直接登记；/away 查看谁在请假\n"
        "• 查询：/status 本群进行中的任务，/mine 我的待办，/settings 本群规则\n"
        "• 日清日结：每个工作日定时发送日报，/digest 随时查看；/stats 回复统计\n"
        "• 申诉：回复自己的罚款通知 /appeal 理由（或「申诉 理由」），负责人免除或维持\n"
        "• 群名片：/name 部门-姓名 登记你在本群的名字（负责人可为成员登记）\n"
        "• 群规：刷屏、广告等违规会被警告，负责人回复成员消息 /warn 理由 可警告、/unwarn 撤销，"
        "/warns 查看；警告达到上限按群规清退；负责人 /fine 金额 理由 记违纪罚款\n"
        "• 财务：负责人回复成员消息 /paid 登记缴款；私聊我 /export 2026-11 导出罚款表\n"
        "• 配置：/id 查看本群和你的数字 ID（回复某人的消息可查他的）"
    )


USAGE = {
    "/task": (
        "用法：/task @成员 任务内容（可写期限，如「今天下班前」），"
        "或回复成员的消息发送 /task 任务内容。"
    ),
    "/done": "用法：回复要完成的那条任务发送 /done 或「已完成」。",
    "/cancel": "用法：回复要取消的那条任务发送 /cancel（仅负责人）。",
    "/fine": (
        "用法：回复成员的消息发送 /fine 金额 理由（如 /fine 50 开会迟到），"
        "或 /fine @成员 金额 理由（仅负责人）。"
    ),
    "/warn": "用法：回复成员的消息发送 /warn 理由，或 /warn @成员 理由（仅负责人）。",
    "/unwarn": (
        "用法：回复成员的消息发送 /unwarn，或 /unwarn @成员（仅负责人），撤销其最近一次警告。"
    ),
    "/ok": (
        "用法：回复那条任务发送 /ok @成员（仅负责人），记为该成员已确认收到；"
        "只剩一人未确认时可不写 @成员。"
    ),
}


def usage(verb: str) -> str:
    return USAGE[verb]


def group_only() -> str:
    return "这个命令请在工作群里使用。"


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


def stats_usage() -> str:
    return "用法：/stats 查看近 30 天的回复统计，或 /stats 2026-11-01 从该日起统计。"


def paid_usage() -> str:
    return "用法：回复该成员的消息发送 /paid，或 /paid @成员 2026-11（默认本月）。"


def export_usage() -> str:
    return "用法：私聊我发送 /export 2026-11（可加 csv），导出该月罚款明细。"


def export_private_only() -> str:
    return "为保护隐私，请私聊我发送 /export 导出罚款明细。"


def leads_no_chat() -> str:
    return "抱歉，只有工作群的负责人可以导出罚款明细。"
