"""Messages that set no deadline, and numbers that are not times."""

from __future__ import annotations

import pytest

from tests.unit.deadline_cases import Case, case_id, check

# None for: 马上/立刻/尽快/抓紧 (the ack window rules), past times (昨天, 上周五, 3天前), recurring
# schedules (每周一上午10点例会), times relative to events (开会前), vague deferrals (过两天再说),
# dates given as information (明天放假一天).
NO_DEADLINE = [
    Case("马上", None),
    Case("马上处理一下", None),
    Case("立刻回复", None),
    Case("立即执行", None),
    Case("尽快", None),
    Case("尽快提交", None),
    Case("抓紧", None),
    Case("抓紧时间完成", None),
    Case("好的收到", None),
    Case("请大家注意安全", None),
    Case("昨天", None),
    Case("昨天下午3点的会议纪要", None),
    Case("前天说的事", None),
    Case("上周五", None),
    Case("上周五的报告", None),
    Case("上个月的数据", None),
    Case("3天前", None),
    Case("两小时前", None),
    Case("2025年12月1日", None),
    Case("今天下班前", None, "night"),
    Case("今晚", None, "night"),
    Case("每周一上午10点例会", None),
    Case("每天下午5点前报数", None),
    Case("每天18:00前打卡", None),
    Case("每月25号前交报表", None),
    Case("每个工作日9点前签到", None),
    Case("周一到周五每天9点打卡", None),
    Case("开会前", None),
    Case("把本周客户拜访计划发群里", None),
    Case("把华东区本月回款情况报一下", None),
    Case("本月业绩汇总一下", None),
    Case("今年的目标再明确一下", None),
    Case("开会之前交材料", None),
    Case("明天开会前准备好", None),
    Case("领导来之前", None),
    Case("过两天再说", None),
    Case("过几天", None),
    Case("下周再说", None),
    Case("改天再约", None),
    Case("这两天抽空看一下", None),
    Case("等我下周回来再处理", None),
    Case("明天放假一天", None),
    Case("明天放假", None),
    Case("周五停电", None),
    Case("下周一调休", None),
    Case("后天正常上班", None),
    Case("我明天请假", None),
    Case("周一至周三出差", None),
    Case("提前10分钟到", None),
    Case("从明天开始", None),
    Case("3点以后", None),
    Case("下班后", None),
    Case("快一点", None),
    Case("早一点交", None),
    Case("以下三点要求", None),
    Case("有两点需要注意", None),
    Case("早上好", None),
    Case("2月30日", None),
    Case("25点", None),
    # 一下 is the verb's "a bit", not 下 = next (found in the generated month)
    Case("@zhangwei 准备一下周会要用的销售数据 #任务", None),
    Case("看一下周报", None),
    Case("查一下周边门店的价格", None),
]

# Numbers that are not times: rooms, order and phone numbers, lines, floors, versions, amounts,
# percentages, quarters, digits in @usernames and links.
NOT_TIMES = [
    Case("3号会议室", None),
    Case("三号会议室", None),
    Case("3號會議室", None),
    Case("订单号20261124", None),
    Case("订单号：20261124", None),
    Case("1号线", None),
    Case("地铁10号线", None),
    Case("5楼501", None),
    Case("3号楼", None),
    Case("401室", None),
    Case("2号文件", None),
    Case("v2.3.15", None),
    Case("版本v2.3", None),
    Case("升级到2.3.15", None),
    Case("12500元", None),
    Case("报销12500元", None),
    Case("¥500", None),
    Case("预算3.5万", None),
    Case("6%", None),
    Case("增长6.5%", None),
    Case("第3季度", None),
    Case("第三季度", None),
    Case("Q3目标", None),
    Case("13812345678", None),
    Case("电话138-1234-5678", None),
    Case("010-12345678", None),
    Case("@lisi2025", None),
    Case("@zhang_3 收到", None),
    Case("https://example.com/2026/12/10", None),
    Case("完成了1/3", None),
    Case("@lisi2025 明天上午10点前交", "2026-11-25 10:00"),
    Case("3号会议室，周五前", "2026-11-27 18:00"),
    Case("v2.3.15 周五上线", "2026-11-27 18:00"),
    Case("报销12500元，月底前", "2026-11-30 18:00"),
    Case("下午3点到5楼501开会", "2026-11-24 15:00"),
    Case("订单号20261124明天发货", "2026-11-25 18:00"),
    Case("见 https://example.com/2026/12/10 周四前看完", "2026-11-26 18:00"),
]


@pytest.mark.parametrize("case", NO_DEADLINE, ids=case_id)
def test_messages_that_set_no_deadline_read_as_none(case: Case) -> None:
    check(case)


@pytest.mark.parametrize("case", NOT_TIMES, ids=case_id)
def test_numbers_that_are_not_times_are_ignored(case: Case) -> None:
    check(case)
