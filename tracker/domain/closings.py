"""Read a reply that closes a directive: done (已完成, 报表已发群里) or off (取消, 不用做了).

Both read the normalised text (`replies.text`) clause by clause. A done-report must be short and
about the sender's own finished work: every clause is a completion (已盖章, 做完了, 发你邮箱了) or
politeness (请查收, 没问题, 王总), and nothing asks, negates, defers, reports someone else's
work or names work still to do ("漏洞已经修复，但是服务器还要重启" is news, not done).
"""

from __future__ import annotations

import re

from tracker.domain.replies import words as w
from tracker.domain.replies.text import AGREE, normalise

_CLAUSE = re.compile(rf"[^{w.SEPARATORS}?]+")
_LONGEST_DONE = 40  # characters: a longer message is a report, not a done-message
_SPACED = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff](?: |$))")  # 已 完 成
_VERB = (
    r"(?:提交|上交|交付|交接|交|发送|发布|转发|发|寄|上传|打印|通知|报送|上报|报|签字|签|盖章|"
    r"盖|填写|填|修改|改"
    r"|修复|维修|修|预订|订|录入|更新|备份|回复|转账|转|处理|办|做|弄|搞|写|整理|安排|排|准备|"
    r"核对|核实|检查|联系"
    r"|对接|落实|整改|部署|上线|归档|下单|确认|张贴|贴|装|调|配|统计|盘点|回访|补齐|补|登记|"
    r"审核|审批|批|支付|付"
    r"|缴|送达|送|派|分发|布置|采购|买|订购|完成|办理|录|拍|剪|出|约|通知到|提|下架|上架|过审|"
    r"接龙|报名|签到|分享|同步|"
    r"收齐|洗|清|扫)"
)
_DONE = re.compile(
    rf"已经?(?:全部|都)?{_VERB}|{_VERB}(?:好|完|完毕|完成|妥|齐|掂|定|到位)(?:了|啦|咯|哈|啰|"
    rf"喽|哒|哦|喔)*$"
    rf"|{_VERB}(?:给|到|至)?(?:[你您]?(?:邮箱|微信|桌上)|客户|领导|群里|群|财务|前台|系统|你|"
    rf"您|上去|出去)?"
    r"(?:了|啦|咯|哈|哦)+$|^(?:好了|好啦|ok了|okay了)(?:哈|哦|啦|呀)*$|完成|搞定|完毕|办结|"
    r"完工|妥了|已妥|搞掂"
)
# A done-message that names no work of its own: it can only be about the sender's one task.
_GENERIC_DONE = re.compile(
    r"(?:任务|都|全部|我这边|这边|我的)?(?:已经?)?(?:完成|办结|办好|办完|处理好?|处理完|搞定|"
    r"做完|做好|弄好|弄完"
    r"|完毕|妥|好|ok|okay|done|finished|completed|all\s*set|all\s*done)(?:了|啦|咯|哈|啰|喽|哒|"
    r"哦|喔)*"
)
_STOP_BIGRAMS = w.word_set(
    "已经 完成 搞定 群里 发群 邮箱 发你 发您 给你 给您 已发 已交 已提 提交 交了 发了 好了 完了 "
    "请查 查收 领导 "
    "您的 你的 我的 这个 那个 已经 今天 明天"
)
_OTHER_THING = re.compile(r"那[批个些份张]")  # 那批货已经发走了: about something else
_EN_DONE = re.compile(r"\b(?:done|finished|completed|all\s+set|all\s+done|submitted|sent)\b")
_POLITE = re.compile(
    r"(?:请|麻烦)?[\u4e00-\u9fff]{0,3}(?:查收|查看|查阅|审阅|过目|确认|审核|指正|批示|看一下|"
    r"看下|看看)"
    r"|谢谢|辛苦|妥|无误|单号发您微信|有问题(?:随时)?(?:找我|联系我|再说)"
    r"|(?:pls|please|kindly|check|review|thanks|thx|see|attached)+"
)
_NOT_DONE = re.compile(
    r"[没未不别]|还[要需差在有得]|再(?!看|查|审)|但|不过|可是|只是|然而|等会|等下|待会|之后|"
    r"明天|下午|晚上|"
    r"马上"
    r"|(?:会|将|要|能|可以)(?:在|于)?[\u4e00-\u9fff]{0,4}(?:完成|搞定|做完|弄好|提交|发|交)|"
    r"争取|尽量|保证|应该"
    r"|前$|前(?:完成|搞定|交|发|提交|弄好|做完)|快|差不多|基本|大部分|部分|一半|初稿|第一版|"
    r"一部分|先|正在"
    r"|在弄|在做|中$|%|率|目标|恭喜|大家|各位|请各|务必|的请|同学|的话|如果|告诉我|在哪|按钮|"
    r"后请|的[请回发]"
    r"|说|(?<!其)他|她|它|那边|系统显示|显示|状态|客户已|客户的|对方|买家|顾客|患者|家长|"
    r"供应商|延期|吗|么|呢|"
    r"是不是|有没有"
    r"|预计|下周|出来了|很|比|把"
    r"|not|yet|almost|still|will|partially|\?"
)
_CANCEL = re.compile(
    r"取消|撤销|撤回|作废|废止|作罢|算了|免了|不用(?:[做办弄搞发交干忙写改]|再)?了|不需要了|"
    r"不做了|不搞了|不弄了"
    r"|别(?:[做弄搞干发交写])了|^先停|停掉|停了吧|暂停|cancel|never\s*mind|no\s+need"
)
_NOT_CANCEL = re.compile(
    r"(?:不|别|不要|不用|没有?|不是)(?:取消|撤销|撤回|作废|暂停)|被取消|不了|再议|再说|再定"
    r"|取消了(?!任务|通知|这|那|上面|刚才|本次|吧)[\u4e00-\u9fff]{2}|客户|供应商|对方|他|她|"
    r"消息撤回|撤回了一条"
    r"|航班|高铁|火车|飞机|订单|订阅|演唱会|比赛|快递|吗|么|哪|什么|怎么|要不要|是否|是不是|"
    r"能不能|可不可以"
    r"|\?|don'?t|not\s+cancel|如果|的话"
)


def is_done(text: str) -> bool:
    """True when the message reports the sender's task finished: 已完成, 报表已发群里, done."""
    t = w.without_idioms(normalise(text)).replace(AGREE, " ").strip()
    if " " in t:
        t = _SPACED.sub("", t)
    if not t or len(t) > _LONGEST_DONE or _NOT_DONE.search(t):
        return False
    if t.isascii():
        return _EN_DONE.search(t) is not None
    clauses = _CLAUSE.findall(t)
    done = [c for c in clauses if _DONE.search(c)]
    rest = [c for c in clauses if not _DONE.search(c) and not _is_polite(c)]
    # a short report may name what was found before it ends in done: 第5条要改，…，已完成
    allowed = 2 if clauses and _DONE.search(clauses[-1]) else 1
    return bool(done) and len(rest) <= allowed and all(len(c) <= 8 for c in rest)


def is_cancel(text: str) -> bool:
    """True when a leader's reply calls the directive off: 取消, #取消, 作废, 不用做了."""
    t = normalise(text)
    if not t or len(t) > _LONGEST_DONE or _NOT_CANCEL.search(t):
        return False
    return _CANCEL.search(t) is not None


def _is_polite(clause: str) -> bool:
    return bool(_POLITE.fullmatch(clause) or w.FILLER.fullmatch(clause) or clause in (AGREE, "妥"))


def reports_done(clause: str) -> bool:
    """One clause (normalised) that says the sender's work is done: 已上传共享盘, 发群里了."""
    m = _DONE.search(clause)
    if m is None or _NOT_DONE.search(clause) or _OTHER_THING.search(clause):
        return False
    after = clause[m.end() :]
    return len(after) <= 6 and "的" not in after  # not 已发群里的那个表格是错的


def names_the_task(text: str, task: str) -> bool:
    """Whether a done-message is about this task: it names no work (已完成, 搞定了), or shares
    a word with the task's text (报表已发群里 for 把本周销售报表发群里)."""
    t = w.without_idioms(normalise(text)).replace(AGREE, " ")
    clauses = [c for c in _CLAUSE.findall(t) if not _is_polite(c)]
    if all(_GENERIC_DONE.fullmatch(c) for c in clauses):
        return True
    words = {c[i : i + 2] for c in clauses for i in range(len(c) - 1)} - _STOP_BIGRAMS
    return any(word in task for word in words)
