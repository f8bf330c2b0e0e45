"""Write a month (November 2026) of 华东销售部工作群 as Telegram Desktop exports it, with its plan.

    .venv/bin/python examples/sales-month/make_export.py [OUT_DIR]

Writes `result.json` (the export), `plan.json` (what every directive and answer was meant to
be: the ground truth `tests/month_expectations.py` computes the fines from) and `tracker.toml`
into OUT_DIR (default: this folder). Deterministic: one `random.Random(SEED)`, so the same
bytes every run. See README.md for what the month contains.

The plan stays unambiguous for the engine's rules on purpose: an acknowledgement is a reply to
its directive, a 👍 reaction on it, or a bare message only while that directive is the member's
one unanswered directive; "已完成" is always a reply; acks keep five minutes clear of the
30-minute mark and done reports two minutes clear of every daily fine; chatter is never an
ack, a done report or a directive.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

SEED = 20261130
TZ = ZoneInfo("Asia/Shanghai")
EXPORT_ID = 1987650312
BOT_API_ID = int(f"-100{EXPORT_ID}")  # a supergroup: -100 and the export id
CHAT_NAME = "华东销售部工作群"
MONTH = [date(2026, 11, d) for d in range(1, 31)]
FIRST_MESSAGE_ID = 40001
LAST_WORDS = (time(21, 40, 5), "林涛", "下班了，明天见")  # the month's last item
WINDOW = timedelta(minutes=30)
SEPARATORS = "-—－–"

LEADERS = {"王总": 5210000001, "刘经理": 5210000002}


@dataclass(frozen=True)
class Member:
    user_id: int
    name: str
    username: str | None
    p_late: float  # how often they acknowledge 35-90 minutes late
    p_never: float  # how often they never acknowledge

    @property
    def department(self) -> str | None:
        for i, ch in enumerate(self.name):
            if ch in SEPARATORS:
                return self.name[:i]
        return None

    @property
    def given(self) -> str:
        dept = self.department
        return self.name if dept is None else self.name[len(dept) + 1 :]


MEMBERS = [
    Member(5210001101, "销售一部-张伟", "zhangwei", 0.04, 0.04),
    Member(5210001102, "销售一部-王强", "wangqiang", 0.06, 0.10),
    Member(5210001103, "销售一部—赵磊", "zhaolei", 0.12, 0.22),
    Member(5210001201, "销售二部-李娜", "li_na88", 0.05, 0.06),
    Member(5210001202, "销售二部-周杰", "zhoujie", 0.10, 0.16),
    Member(5210001203, "销售二部-吴敏", "wumin_sh", 0.06, 0.08),
    Member(5210001301, "市场部-王芳", "wangfang", 0.08, 0.10),
    Member(5210001302, "市场部–郑浩", "zhenghao", 0.10, 0.14),
    Member(5210001401, "客服部-刘洋", "liuyang", 0.06, 0.12),
    Member(5210001402, "客服部－黄婷", "huangting", 0.08, 0.10),
    Member(5210001501, "陈静", None, 0.10, 0.18),
    Member(5210001502, "林涛", "lintao", 0.10, 0.14),
]
PEOPLE = {**LEADERS, **{m.name: m.user_id for m in MEMBERS}}

TASKS = [
    "把本周客户拜访计划发群里",
    "把恒通的报价单重新核算一遍发我",
    "整理一份宏达近三个月的订单明细",
    "把华美的合同条款再核对一遍",
    "联系一下展会上留资料的新客户，约拜访时间",
    "把展会收集的名片录入系统",
    "跟进一下恒通的回款",
    "把样品寄给华美的采购",
    "更新一下重点客户档案",
    "把上周的投诉工单处理完",
    "统计一下新增线索，按渠道分开",
    "准备周会要用的销售数据",
    "把促销方案的预算报给我",
    "把客户回访记录补齐",
    "核实一下客户反馈的发货延迟",
    "写一份竞品价格的对比分析",
    "把年度框架协议的草稿发法务",
    "给宏达出一版新的报价",
    "把经销商的库存数据汇总一下",
    "对接一下物流，确认恒通那批货的到货时间",
]
DEADLINES = {"today": "今天下班前", "tomorrow": "明天中午12点前"}
NOTICES = [
    "明天上午9点开周会，收到请回复",
    "本周的报销单统一交到财务，收到请回复",
    "下午三点三楼会议室有产品培训，收到请回复",
    "系统今晚升级，请提前保存好数据",
    "请大家更新一下通讯录里的手机号",
    "公司新的差旅报销制度已发邮箱，请认真看一下",
    "周五下午消防演练，收到请回复",
    "年底冲刺方案已经定了，细节看邮件，收到请回复",
    "客户资料不要外发，收到请回复",
    "下周一开始打卡时间改为8点50，收到请回复",
]
ACKS = [
    "收到",
    "好的",
    "收到！马上执行",
    "1",
    "明白",
    "👍",
    "OK",
    "收到，马上处理",
    "好的，马上去办",
]
NOTICE_ACKS = ["收到", "好的", "1", "明白", "👍", "OK", "收到👌", "收到，谢谢领导"]
NOTICE_CONFUSERS = ["没收到邮件", "收到了吗？", "是今天还是明天？", "是几楼？", "邮件在哪看？"]
LATE_ACKS = ["收到", "收到，刚开完会", "好的", "收到，刚看到", "明白", "1"]
DONE = ["已完成", "已完成，发群里了", "完成了", "搞定了", "已完成，请查收", "已完成，表在共享盘"]
CONFUSERS = [
    "没收到",
    "收到了吗？",
    "是哪个客户？",
    "没有收到附件",
    "是哪个合同？",
    "附件没收到，能再发一次吗？",
    "是今天还是明天？",
    "是发群里还是发邮箱？",
]
CHATTER = [
    "恒通那边说价格能不能再让一点",
    "这个价格已经很低了",
    "宏达的采购换人了，新来的姓陈",
    "华美下周要来参观工厂",
    "今天路上太堵了",
    "打印机又卡纸了",
    "新版报价模板放共享盘了",
    "谁有华美采购的电话",
    "展会的物料还剩一箱，放前台了",
    "客户说发票抬头写错了，要重开",
    "仓库说恒通那批货周四能发",
    "下午我在外面拜访客户",
    "这个月的目标还差一点",
    "有人用会议室吗，我两点要用",
    "今天食堂有红烧肉",
    "恒通的刘总刚打电话来问进度",
    "宏达的合同法务还在看",
    "上海这两天降温了，大家注意身体",
    "华美那边的样品反馈还不错",
    "有人知道报销系统怎么登录吗",
    "我下午请半天假，去医院",
    "新客户对交期比较敏感",
    "客户投诉的那个单子我来跟",
    "这周拜访了五家客户",
    "快递到了，谁的包裹在前台",
    "昨天的会议纪要在邮箱里",
    "宏达说月底前付一半",
    "价格表是最新的那版吗",
    "我的电脑又蓝屏了",
    "咖啡机能用了",
    "客户想要电子版的产品手册",
    "物流那边说今天有点延误",
    "我在高铁上，信号不太好",
    "下午的培训在几楼",
    "这个客户之前是老王在跟",
    "停车场今天满了",
    "华东区上个月回款排第二",
    "竞品又降价了",
    "恒通下单了，两百箱",
    "样品已经寄出去了，单号在群文件里",
    "华美的张经理下周三有空",
    "恒通想把交货期提前一周",
    "宏达的样品反馈要下周才有",
    "今天拜访的客户对新品很感兴趣",
    "这个月的费用快超了",
    "客户说上次的包装有破损",
    "展会的名片我整理了一半",
    "华美想要一份资质文件",
    "新来的客户说是朋友介绍的",
    "下午有个电话会，我先下线一会",
    "仓库盘点的时间定了吗",
    "客户的付款申请已经走到财务了",
    "恒通的刘总说下周来公司",
    "竞品的宣传册我拿到一份",
    "客服这周接了二十多个电话",
    "华美那边的老板换了",
    "有人要一起拼车去展会吗",
    "客户说我们的报价比别家高一点",
    "合同模板法务更新过了",
    "我在客户这边，晚点回消息",
    "这批货的质检报告出来了",
    "宏达想试用一个月再决定",
    "售后那边说配件还没到",
    "恒通的订单系统里能查到了",
    "客户问有没有年底优惠",
    "新品的价格总部还没定",
    "今天的快递已经寄走了",
    "华美的对接人电话打不通",
    "下周的拜访安排我排好了",
    "老客户回访了三家，都挺满意",
]
LEADER_CHATTER = [
    "今天大家辛苦了",
    "这个月大家再加把劲",
    "下午我在总部开会，有事打电话",
    "恒通的款要盯紧",
    "华东这个月回款比上月好",
    "明天我出差，周四回来",
    "竞品降价的事情我跟总部反映了",
    "宏达这个客户很重要",
    "上个月的业绩表已经出来了，还不错",
    "年底了，安全第一",
    "总部对华东这个季度挺满意",
    "今天的周会开得不错",
    "恒通的刘总人不错，关系要维护好",
    "下周总部有领导来检查",
    "价格的事情我再跟总部争取一下",
    "这个季度的奖金方案快出来了",
    "今天在外面跑了一天",
    "华美这个单子拿下来不容易",
    "年会的时间还没定",
    "新品发布会定在下个月",
]
MORNING, AFTERNOON, LUNCH = ((9, 0), (11, 40), 0), ((13, 30), (17, 30), 0), ((11, 30), (12, 5), 0)
THREADS = [
    (LUNCH, [("a", "中午吃什么"), ("b", "楼下新开了家面馆"), ("c", "走起"), ("a", "等我五分钟")]),
    (LUNCH, [("a", "今天点外卖吗"), ("b", "拼一单吧，满减"), ("c", "加我一个，要不辣的")]),
    (MORNING, [("a", "谁有充电宝"), ("b", "我这有一个"), ("a", "谢谢")]),
    (AFTERNOON, [("a", "恒通的对账单谁在弄"), ("b", "我在弄，下午给财务"), ("a", "那麻烦你了")]),
    (MORNING, [("a", "会议室的投影仪坏了"), ("b", "找行政报修吧，内线8021"), ("a", "报了")]),
    (
        AFTERNOON,
        [("a", "客户问能不能月结"), ("b", "要走审批，找财务"), ("c", "上次宏达就是这么办的")],
    ),
    (AFTERNOON, [("a", "明天降温"), ("b", "多穿点"), ("c", "羽绒服安排上")]),
    (
        MORNING,
        [
            ("a", "谁下午去华美"),
            ("b", "我去"),
            ("a", "帮我把资料带给他们采购"),
            ("b", "我顺路带过去"),
        ],
    ),
    (AFTERNOON, [("a", "恒通的货到了没有"), ("b", "物流说明天上午到"), ("a", "那我跟客户说一声")]),
    (MORNING, [("a", "新的价格表在哪"), ("b", "共享盘销售文件夹里"), ("a", "找到了")]),
    (AFTERNOON, [("a", "宏达的发票开出来了吗"), ("b", "财务说明天开"), ("c", "他们催了好几次了")]),
]
GREETINGS = ["早", "早上好", "早啊", "大家早", "早早早"]
EVENING = ["下班了，明天见", "先走了，明天见", "明天见", "今天先到这", "走了走了"]
PRAISE = ["辛苦了", "很好", "不错，辛苦", "好，辛苦了", "谢谢"]
CAPTIONS = ["客户仓库的照片", "展会现场", "今天的拜访记录", "合同签字页", "新品样品", "发货单"]
FORWARDS = [
    ("客户-恒通刘总", "报价单收到了，下午回复你们"),
    ("客户-宏达陈经理", "好的，收到，谢谢"),
    ("物流-顺达", "您的货物已发出，预计周四到达"),
    ("客户-华美采购", "样品收到了，我们内部评估一下"),
]
STICKERS = ["😄", "😂", "🤣", "😅", "🎉", "😭", "🤔"]
REACTIONS = ["👍", "❤", "😂", "🔥"]
CORPUS = {
    "chatter": CHATTER,
    "leader": LEADER_CHATTER,
    "caption": CAPTIONS,
    "thread": THREADS,
    "morning": GREETINGS,
    "evening": EVENING,
}


def iso(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def at_local(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, TZ).astimezone(UTC)


def workday(day: date) -> bool:
    return day.isoweekday() <= 5  # November 2026 has no public holidays nor 调休 days


def seconds(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(seconds=int(rng.uniform(low, high)))


def work_time(rng: random.Random, low: datetime, high: datetime) -> datetime | None:
    """A random second in [low, high] that falls between 08:30 and 20:00 of a working day."""
    spans, day = [], low.astimezone(TZ).date()
    while at_local(day, time(0)) < high:
        if workday(day):
            start = max(low, at_local(day, time(8, 30)))
            end = min(high, at_local(day, time(20, 0)))
            if end > start:
                spans.append((start, end))
        day += timedelta(days=1)
    total = sum((e - s).total_seconds() for s, e in spans)
    if total < 60:
        return None
    pick = rng.uniform(0, total)
    for start, end in spans:
        length = (end - start).total_seconds()
        if pick <= length:
            return start + timedelta(seconds=int(pick))
        pick -= length
    return spans[-1][1]


# -- messages ----------------------------------------------------------------------------------
@dataclass(eq=False)
class Msg:
    at: datetime
    who: str
    parts: list
    reply: Msg | None = None
    fields: dict = field(default_factory=dict)
    action: str | None = None  # a service message
    edited: datetime | None = None
    reactions: list = field(default_factory=list)  # (at, emoji, who)
    seq: int = 0
    id: int = 0


class Chat:
    def __init__(self) -> None:
        self.items: list[Msg] = []

    def add(self, at: datetime, who: str, *parts, reply: Msg | None = None, **fields) -> Msg:
        edited = fields.pop("edited", None)
        msg = Msg(at, who, list(parts), reply, fields, edited=edited, seq=len(self.items))
        self.items.append(msg)
        return msg

    def service(self, at: datetime, who: str, action: str, **fields) -> Msg:
        msg = Msg(at, who, [], None, fields, action=action, seq=len(self.items))
        self.items.append(msg)
        return msg

    def numbered(self) -> list[Msg]:
        ordered = sorted(self.items, key=lambda m: (m.at, m.seq))
        for i, msg in enumerate(ordered):
            msg.id = FIRST_MESSAGE_ID + i
        return ordered


def render(msg: Msg) -> dict:
    local = msg.at.astimezone(TZ)
    out = {
        "id": msg.id,
        "type": "service" if msg.action else "message",
        "date": local.strftime("%Y-%m-%dT%H:%M:%S"),
        "date_unixtime": str(int(msg.at.timestamp())),
    }
    if msg.fields.get("unsupported"):
        return {"id": msg.id, "type": "unsupported"}
    if msg.edited is not None:
        out["edited"] = msg.edited.astimezone(TZ).strftime("%Y-%m-%dT%H:%M:%S")
        out["edited_unixtime"] = str(int(msg.edited.timestamp()))
    peer = {"actor": msg.who, "actor_id": f"user{PEOPLE[msg.who]}"}
    if msg.action:
        fields = {k: v.id if type(v) is Msg else v for k, v in msg.fields.items()}
        return out | peer | {"action": msg.action, **fields, "text": "", "text_entities": []}
    out |= {"from": msg.who, "from_id": f"user{PEOPLE[msg.who]}"}
    if msg.reply is not None:
        out["reply_to_message_id"] = msg.reply.id
    out |= msg.fields
    entities = [{"type": "plain", "text": p} if type(p) is str else p for p in msg.parts]
    plain = len(msg.parts) == 1 and type(msg.parts[0]) is str
    out["text"] = msg.parts[0] if plain else msg.parts if msg.parts else ""
    out["text_entities"] = entities
    if msg.reactions:
        out["reactions"] = _reactions(msg)
    return out


def _reactions(msg: Msg) -> list[dict]:
    """The newer export shape: one entry per emoji, its `recent` list newest first."""
    grouped: dict[str, list] = {}
    for at, emoji, who in sorted(msg.reactions, key=lambda r: r[0]):
        grouped.setdefault(emoji, []).insert(
            0,
            {
                "from": who,
                "from_id": f"user{PEOPLE[who]}",
                "date": at.astimezone(TZ).strftime("%Y-%m-%dT%H:%M:%S"),
            },
        )
    return [
        {"type": "emoji", "count": len(recent), "emoji": emoji, "recent": recent}
        for emoji, recent in grouped.items()
    ]


def mention(member: Member) -> dict:
    if member.username:
        return {"type": "mention", "text": f"@{member.username}"}
    return {"type": "mention_name", "text": member.name, "user_id": member.user_id}


def sticker(emoji: str) -> dict:
    return {
        "file": "stickers/sticker.webp",
        "file_size": 20480,
        "thumbnail": "stickers/sticker.webp_thumb.jpg",
        "media_type": "sticker",
        "sticker_emoji": emoji,
        "width": 512,
        "height": 512,
    }


# -- the plan ----------------------------------------------------------------------------------
@dataclass(eq=False)
class Answer:
    member: Member
    ack_at: datetime | None = None
    ack_via: str | None = None  # "reply" | "bare" | "reaction"
    done_at: datetime | None = None
    confuser: tuple[datetime, str, bool] | None = None
    ack_msg: Msg | None = None
    done_msg: Msg | None = None


@dataclass(eq=False)
class Directive:
    kind: str  # "task" | "notice"
    author: str
    at: datetime
    parts: list
    deadline_phrase: str | None
    deadline_at: datetime | None
    answers: list[Answer]
    unresolved: list[str]
    msg: Msg | None = None


def plan_day(rng: random.Random, day: date, with_notice: bool) -> list[Directive]:
    count = rng.randint(3, 6)
    while True:
        minutes = sorted(rng.sample(range(0, 525), count))  # 08:45 .. 17:29
        if all(b - a >= 20 for a, b in zip(minutes, minutes[1:], strict=False)):
            break
    notice_slot = rng.randrange(count) if with_notice else None
    start = at_local(day, time(8, 45))
    out = []
    for slot, minute in enumerate(minutes):
        at = start + timedelta(minutes=minute, seconds=rng.randrange(60))
        author = rng.choices(list(LEADERS), weights=[0.6, 0.4])[0]
        if slot == notice_slot:
            out.append(notice(rng, author, at))
        else:
            out.append(task(rng, author, at))
    return out


def notice(rng: random.Random, author: str, at: datetime) -> Directive:
    body = rng.choice(NOTICES)
    if rng.random() < 0.5:
        parts = ["@所有人 ", {"type": "hashtag", "text": "#通知"}, f" {body}"]
    else:
        parts = [{"type": "hashtag", "text": "#通知"}, f" @所有人 {body}"]
    answers = [Answer(m) for m in MEMBERS]
    return Directive("notice", author, at, parts, None, None, answers, [])


def task(rng: random.Random, author: str, at: datetime) -> Directive:
    local = at.astimezone(TZ)
    people = rng.sample(MEMBERS, rng.choices([1, 2, 3], weights=[0.45, 0.35, 0.2])[0])
    r = rng.random()
    if r < 0.35 and local.time() < time(16, 0):
        kind, due = "today", at_local(local.date(), time(18, 0))
    elif r < 0.6 and local.isoweekday() != 5:
        kind, due = "tomorrow", at_local(local.date() + timedelta(days=1), time(12, 0))
    else:
        kind, due = None, None
    phrase = DEADLINES.get(kind)
    parts: list = []
    for member in people:
        parts += [mention(member), " "]
    unresolved = []
    if rng.random() < 0.03:  # someone the roster does not know: reported, never fined
        parts += [{"type": "mention", "text": "@xiaoma_sh"}, " "]
        unresolved.append("@xiaoma_sh")
    parts.append(f"{phrase or ''}{rng.choice(TASKS)} ")
    parts.append({"type": "hashtag", "text": "#任务"})
    if rng.random() < 0.25:
        parts = [{"type": "hashtag", "text": "#任务"}, " ", *parts[:-1]]
        parts[-1] = parts[-1].rstrip()
    answers = [Answer(m) for m in people]
    return Directive("task", author, at, parts, phrase, due, answers, unresolved)


def answer(rng: random.Random, d: Directive, a: Answer, month_end: datetime) -> None:
    """When (and how) one assignee acknowledges and reports done."""
    member, r = a.member, rng.random()
    if r < member.p_never:
        a.ack_at = None
    elif r < member.p_never + member.p_late:
        a.ack_at = d.at + seconds(rng, 35 * 60, 90 * 60)
    else:
        a.ack_at = d.at + timedelta(seconds=int(rng.triangular(60, 25 * 60, 5 * 60)))
    if a.ack_at is not None:
        weights = [0.35, 0.45, 0.2] if d.kind == "notice" else [0.55, 0.35, 0.1]
        a.ack_via = rng.choices(["reply", "bare", "reaction"], weights=weights)[0]
    if rng.random() < 0.12:
        text = rng.choice(NOTICE_CONFUSERS if d.kind == "notice" else CONFUSERS)
        if a.ack_at is None:
            a.confuser = (d.at + seconds(rng, 60, 25 * 60), text, True)
        elif a.ack_at - d.at >= timedelta(minutes=3):
            at = d.at + seconds(rng, 30, (a.ack_at - d.at).total_seconds() - 60)
            a.confuser = (at, text, rng.random() < 0.5)
    if d.kind == "task":
        a.done_at = done_time(rng, d, a, month_end)


def done_time(rng: random.Random, d: Directive, a: Answer, month_end: datetime):
    # Not before the ack (or, unacknowledged, before the window closed): a done report inside
    # the window would count as the ack.
    low = (a.ack_at or d.at + WINDOW + timedelta(minutes=1)) + timedelta(minutes=2)
    last = month_end - timedelta(minutes=10)  # nothing after the month's last message
    if d.deadline_at is None:
        if rng.random() < (0.5 if a.ack_at else 0.2):
            return work_time(rng, low + timedelta(minutes=8), min(low + timedelta(hours=8), last))
        return None
    r = rng.random()
    if r < 0.75:
        done = work_time(rng, low, min(d.deadline_at - timedelta(minutes=3), last))
        if done is not None:
            return done
    if r < 0.9:
        return late_done(rng, d, low, month_end)
    return None


def late_done(rng: random.Random, d: Directive, low: datetime, month_end: datetime):
    """After the deadline: the same evening, or on one of the next three working days."""
    due = d.deadline_at
    if rng.random() < 0.4:
        done = due + seconds(rng, 10 * 60, 150 * 60)
    else:
        day, skip = due.astimezone(TZ).date(), rng.randint(1, 3)
        while skip:
            day += timedelta(days=1)
            skip -= workday(day)
        done = at_local(day, time(9, 0)) + seconds(rng, 0, 150 * 60)
    near = any(abs(done - (due + timedelta(days=k))) < timedelta(minutes=2) for k in range(5))
    if done < low or done >= month_end or near:
        return None
    return done


def leave_open(directives: list[Directive], month_end: datetime) -> None:
    """The month's last task due before its end stays open for one assignee: its daily fines
    run on past the export, where the replay's clock stops."""
    last = [d for d in directives if d.deadline_at is not None and d.deadline_at < month_end][-1]
    last.answers[0].done_at = None


def awaiting(directives: list[Directive], user_id: int, t: datetime) -> list[Directive]:
    """The member's directives the engine still waits on for an ack at instant `t`."""
    out = []
    for d in directives:
        if d.at >= t:
            break
        for a in d.answers:
            if a.member.user_id != user_id:
                continue
            acked = a.ack_at is not None and a.ack_at < t
            done = a.done_at is not None and a.done_at < t
            if not acked and not done:
                out.append(d)
    return out


def settle_bare_acks(directives: list[Directive]) -> None:
    """A bare ack covers every directive the member has not acknowledged yet: keep it bare only
    where this directive is the one, else make it a reply."""
    for d in directives:
        for a in d.answers:
            if a.ack_via == "bare" and awaiting(directives, a.member.user_id, a.ack_at) != [d]:
                a.ack_via = "reply"


# -- writing it out ----------------------------------------------------------------------------
def post(rng: random.Random, chat: Chat, d: Directive, month_end: datetime) -> None:
    d.msg = chat.add(d.at, d.author, *d.parts)
    if d.kind == "notice" and rng.random() < 0.6:
        chat.service(d.at + seconds(rng, 60, 240), d.author, "pin_message", message_id=d.msg)
    for a in d.answers:
        who = a.member.name
        if a.confuser:
            at, text, as_reply = a.confuser
            chat.add(at, who, text, reply=d.msg if as_reply else None)
        if a.ack_via == "reaction":
            d.msg.reactions.append((a.ack_at, rng.choice(["👍", "👍", "👌"]), who))
        elif a.ack_via:
            late = a.ack_at - d.at >= WINDOW
            words = LATE_ACKS if late else NOTICE_ACKS if d.kind == "notice" else ACKS
            words = [*words, f"{a.member.given}收到"]
            reply = d.msg if a.ack_via == "reply" else None
            a.ack_msg = chat.add(a.ack_at, who, rng.choice(words), reply=reply)
        if a.done_at:
            a.done_msg = chat.add(a.done_at, who, rng.choice(DONE), reply=d.msg)
            praise_at = a.done_at + seconds(rng, 60, 20 * 60)
            if rng.random() < 0.25 and praise_at < month_end:
                chat.add(praise_at, d.author, rng.choice(PRAISE), reply=a.done_msg)
            elif rng.random() < 0.2 and praise_at < month_end:
                a.done_msg.reactions.append((praise_at, "👍", d.author))


class Deck:
    """Lines drawn without repeats until all are used, then shuffled again."""

    def __init__(self, rng: random.Random, lines: list) -> None:
        self.rng, self.lines, self.left = rng, lines, []

    def draw(self):
        if not self.left:
            self.left = self.lines[:]
            self.rng.shuffle(self.left)
        return self.left.pop()


SPANS = [((8, 20), (12, 0), 40), ((12, 0), (13, 30), 15), ((13, 30), (18, 30), 38)]
SPANS.append(((18, 30), (21, 30), 7))


def chatter(rng: random.Random, chat: Chat, day: date, until: datetime, decks: dict) -> None:
    """The day's talk around the directives: none of it is an ack, a done report or a task."""
    busy = workday(day)

    def moment(span=None) -> datetime:
        (h1, m1), (h2, m2), _ = span or rng.choices(SPANS, weights=[s[2] for s in SPANS])[0]
        at = at_local(day, time(h1, m1)) + seconds(rng, 0, (h2 - h1) * 3600 + (m2 - m1) * 60)
        return min(at, until - timedelta(minutes=rng.randint(5, 60)))

    names = [m.name for m in MEMBERS]
    said: list[Msg] = []
    if busy:
        for who in rng.sample(names, rng.randint(1, 3)):
            chat.add(moment(((8, 15), (8, 40), 0)), who, decks["morning"].draw())
    moments = sorted(moment() for _ in range(rng.randint(85, 115) if busy else rng.randint(2, 8)))
    for at in moments:
        who, r = rng.choice(names), rng.random()
        earlier = said[-12:]
        if r < 0.06 and busy:
            msg = chat.add(at, rng.choice(list(LEADERS)), decks["leader"].draw())
        elif r < 0.15:
            n = rng.randrange(1, 99)
            stamp = at.astimezone(TZ).strftime("%d-%m-%Y_%H-%M-%S")
            photo = {"photo": f"photos/photo_{n}@{stamp}.jpg", "photo_file_size": 182344}
            msg = chat.add(at, who, decks["caption"].draw(), **photo, width=1280, height=960)
        elif r < 0.23:
            reply = rng.choice(earlier) if earlier and rng.random() < 0.3 else None
            msg = chat.add(at, who, reply=reply, **sticker(rng.choice(STICKERS)))
        elif r < 0.26:
            stamp = at.astimezone(TZ).strftime("%d-%m-%Y_%H-%M-%S")
            voice = {"file": f"voice_messages/audio_{rng.randrange(99)}@{stamp}.ogg"}
            voice |= {"file_size": rng.randrange(9000, 90000), "media_type": "voice_message"}
            msg = chat.add(at, who, **voice, mime_type="audio/ogg", duration_seconds=7)
        elif r < 0.29:
            source, text = rng.choice(FORWARDS)
            msg = chat.add(at, who, text, forwarded_from=source)
        elif r < 0.32:
            link = {
                "type": "link",
                "text": f"https://pan.example.com/s/{rng.randrange(10**6):06d}",
            }
            msg = chat.add(at, who, rng.choice(["资料在这 ", "新版在这里 ", "共享盘链接 "]), link)
        else:
            reply = rng.choice(earlier) if earlier and rng.random() < 0.2 else None
            edited = at + seconds(rng, 20, 300) if rng.random() < 0.04 else None
            msg = chat.add(at, who, decks["chatter"].draw(), reply=reply, edited=edited)
        said.append(msg)
        if rng.random() < 0.05:
            reaction_at = at + seconds(rng, 30, 600)
            if reaction_at < until:
                msg.reactions.append((reaction_at, rng.choice(REACTIONS), rng.choice(names)))
    for _ in range(rng.randint(2, 4) if busy else 0):
        span, thread = decks["thread"].draw()
        cast = rng.sample(names, 3)
        at = moment(span)
        for role, text in thread:
            at += seconds(rng, 20, 180)
            chat.add(min(at, until - timedelta(minutes=1)), cast["abc".index(role)], text)
    if busy and rng.random() < 0.7:
        chat.add(moment(((18, 0), (19, 30), 0)), rng.choice(names), decks["evening"].draw())


def build() -> tuple[list[Msg], list[Directive], datetime]:
    rng = random.Random(SEED)
    clock, who, text = LAST_WORDS
    month_end = at_local(MONTH[-1], clock)
    workdays = [day for day in MONTH if workday(day)]
    # a notice to everyone every second working day, the tasks around it
    directives = [d for i, day in enumerate(workdays) for d in plan_day(rng, day, i % 2 == 0)]
    for d in directives:
        for a in d.answers:
            answer(rng, d, a, month_end)
    leave_open(directives, month_end)
    settle_bare_acks(directives)
    chat = Chat()
    opening = at_local(MONTH[1], time(8, 31, 12))
    chat.service(opening, "王总", "invite_members", members=["林涛"])
    chat.add(opening + timedelta(seconds=50), "林涛", "大家好，我是林涛，新来的，请多关照")
    chat.add(opening + timedelta(seconds=95), "销售一部-张伟", "欢迎欢迎")
    for d in directives:
        post(rng, chat, d, month_end)
    decks = {name: Deck(rng, lines) for name, lines in CORPUS.items()}
    for day in MONTH:
        chatter(rng, chat, day, month_end, decks)
    unsupported = at_local(MONTH[17], time(15, 12, 40))
    chat.add(unsupported, "市场部-王芳", unsupported=True)
    chat.add(month_end, who, text)
    return chat.numbered(), directives, month_end


def plan_json(directives: list[Directive], month_end: datetime, first: datetime) -> dict:
    def assignee(a: Answer) -> dict:
        return {
            "user_id": a.member.user_id,
            "name": a.member.name,
            "department": a.member.department,
            "ack_at": iso(a.ack_at),
            "ack_via": a.ack_via,
            "ack_message_id": a.ack_msg.id if a.ack_msg else None,
            "done_at": iso(a.done_at),
            "done_message_id": a.done_msg.id if a.done_msg else None,
        }

    return {
        "about": "Ground truth of examples/sales-month/result.json, written by make_export.py",
        "chat": {"name": CHAT_NAME, "export_id": EXPORT_ID, "bot_api_id": BOT_API_ID},
        "timezone": "Asia/Shanghai",
        "seed": SEED,
        "first_message_at": iso(first),
        "last_message_at": iso(month_end),
        "leaders": [{"user_id": uid, "name": name} for name, uid in LEADERS.items()],
        "roster": [
            {
                "user_id": m.user_id,
                "name": m.name,
                "username": m.username,
                "department": m.department,
            }
            for m in MEMBERS
        ],
        "directives": [
            {
                "message_id": d.msg.id,
                "kind": d.kind,
                "author_id": LEADERS[d.author],
                "created_at": iso(d.at),
                "deadline_phrase": d.deadline_phrase,
                "deadline_at": iso(d.deadline_at),
                "unresolved_mentions": d.unresolved,
                "assignees": [assignee(a) for a in d.answers],
            }
            for d in directives
        ],
    }


def config_toml() -> str:
    lines = [
        "# November 2026 of 华东销售部工作群, written by make_export.py. Replay it with",
        "#   .venv/bin/tracker replay examples/sales-month/result.json \\",
        "#     --config examples/sales-month/tracker.toml --db sqlite:///month.db",
        "",
        "[defaults]",
        'timezone = "Asia/Shanghai"',
        'ack_window = "30m"',
        'remind_at = ["10m", "20m"]',
        'tell_leader_at = "20m"',
        'fines = { no_ack = "100.00", unresolved = "50.00", currency = "CNY" }',
        'unresolved_repeat = "1d"',
        "unresolved_max = 5",
        "",
        "[[chats]]",
        f"id = {BOT_API_ID}",
        f'name = "{CHAT_NAME}"',
        f"leaders = [{', '.join(str(uid) for uid in LEADERS.values())}]  # {', '.join(LEADERS)}",
        "members = [",
    ]
    for m in MEMBERS:
        handle = f', username = "{m.username}"' if m.username else ""
        lines.append(f'  {{ id = {m.user_id}, name = "{m.name}"{handle} }},')
    return "\n".join([*lines, "]", ""])


def main(out_dir: Path) -> None:
    messages, directives, month_end = build()
    export = {
        "name": CHAT_NAME,
        "type": "private_supergroup",
        "id": EXPORT_ID,
        "messages": [render(m) for m in messages],
    }
    plan = plan_json(directives, month_end, messages[0].at)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in (("result.json", export), ("plan.json", plan)):
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        (out_dir / name).write_text(text, encoding="utf-8")
    (out_dir / "tracker.toml").write_text(config_toml(), encoding="utf-8")
    people = sum(len(d.answers) for d in directives)
    print(f"{out_dir}: {len(messages)} messages, {len(directives)} directives, {people} answers")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
