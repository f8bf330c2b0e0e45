"""A deterministic synthetic Telegram Desktop export of one busy supergroup, for benchmarks.

    .venv/bin/python tests/bench/gen_export.py bench-out/export.json --messages 200000

Three weeks of working hours (08:30-19:00, Monday to Friday, Asia/Shanghai) of one supergroup:
a leader (1001), two deputies (1002, 1003) and `members` members (2000..., usernames u2000...).
About `directive_share` of the messages are directives (mostly @mention tasks to 1-3 members, one
in 50 a #通知 to everyone); about 85% of assignees ack within 30 minutes (a reply, a bare 收到 or a
👍 reaction), some late, some never; most with a deadline report 已完成.
The fair process too: about `leave_share` of the messages are leave (#请假), half a leader's
record for a member, half a member's own request that a leader answers in words a few minutes
later (批准, 同意, 不行 …, or only a question); about one member in 50 leaves the group over the
weeks (half by themselves, half removed by a leader: the export names them, not their ids) and
says nothing after.
The matching config goes next to it, as `<path>.toml`.
"""

from __future__ import annotations

import argparse
import heapq
import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
CHAT_ID = 1555000111
CHAT_NAME = "集团运营中心工作群"
LEADERS = ((1001, "刘总"), (1002, "陈副总"), (1003, "黄副总"))
FIRST_DAY = datetime(2026, 11, 2, tzinfo=TZ)  # a Monday
WORKDAYS = 15
DAY_OPEN, DAY_SECONDS = 8 * 3600 + 1800, 10 * 3600 + 1800  # 08:30 to 19:00
DEPTS = ("销售部", "市场部", "财务部", "采购部", "仓储部", "客服部", "技术部", "行政部")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰萍鹏辉建国红梅波斌宇浩凯健俊帆"
CHATTER = (
    "客户那边说下周再谈",
    "报价单我已经改好了",
    "今天物流有点慢",
    "仓库那边库存还够",
    "这个客户比较难搞",
    "中午吃什么",
    "刚开完会",
    "合同我再核对一遍",
    "发票明天寄出",
    "系统又卡了，有人遇到吗",
    "样品已经寄给客户了",
    "对方财务说月底付款",
    "这批货质量没问题",
    "我下午去拜访华东区的客户，晚点回复消息",
    "上周的数据我整理了一下，环比增长了百分之八，主要是线上渠道贡献的",
    "会议室下午被占了，改到三楼小会议室",
    "客户反馈包装有破损，我在跟进",
    "有没有人知道新的报销流程",
    "我这边在路上，晚点看",
    "好的我看看",
    "哈哈哈",
    "辛苦了",
    "谢谢",
    "这个方案我觉得还可以再优化一下，特别是价格部分，对方预算有限",
    "今天的快递都发了吗",
    "明天要下雨，出门的同事注意",
    "我把表格放共享盘了",
    "客户想要便宜百分之五",
    "等我确认一下再回复你",
    "那家供应商的交期又延了",
)
TASKS = (
    "把本周销售数据汇总发我",
    "确认一下客户的交货时间",
    "把合同扫描件发到群里",
    "跟进一下华南区的回款",
    "整理一份竞品价格表",
    "把上个月的报销单交到财务",
    "联系一下供应商确认库存",
    "准备明天会议的材料",
    "回访一下昨天投诉的客户",
    "把新品的报价方案做出来",
)
DEADLINES = ("今天下班前", "明天中午前", "周五前", "下午三点前", "一小时内", "明天上午10点前")
NOTICES = (
    "明天上午9点全员开周会，收到请回复",
    "本周五下午消防演练，请大家准时参加，收到请回复",
    "月底前把报销单交到财务，逾期不候",
    "下周一起启用新的考勤系统，收到回复",
)
ACKS = ("收到", "收到！", "好的", "好的收到", "1", "明白", "收到，马上办", "收到👌", "已收到")
NOT_ACKS = ("没收到", "收到了吗？", "是哪个客户？", "什么时候要？")
DONE = ("已完成", "搞定了，已发", "已完成，请查收", "完成了，请领导过目")
LEAVE_SPANS = ("明天全天", "今天下午", "明天上午", "明天下午", "今天全天")
LEAVE_REASONS = ("出差", "看病", "家里有事", "外出培训", "拜访客户", "")
LEAVE_ANSWERS = ("批准", "同意", "好的，注意安全", "准了", "不行，明天要开会", "几天？")
STICKERS = ("👍", "😂", "🙏", "👌", "😅")


def generate(
    path: str | Path,
    messages: int = 200_000,
    members: int = 200,
    directive_share: float = 0.05,
    seed: int = 1,
    leave_share: float = 0.001,
    departures: float | None = None,
) -> None:
    """Write the export to `path` and its config to `<path>.toml`. About `departures` members
    leave (default: one in 50)."""
    rng, path = random.Random(seed), Path(path)
    people = _members(rng, members)
    roster = list(people)  # the config lists everyone, those who will leave too
    with path.open("w", encoding="utf-8") as out:
        out.write(f'{{\n "name": "{CHAT_NAME}",\n "type": "private_supergroup",\n')
        out.write(f' "id": {CHAT_ID},\n "messages": [')
        departure_share = (len(people) / 50 if departures is None else departures) / messages
        stream = _day_stream(rng, people, messages, directive_share, leave_share, departure_share)
        for i, message in enumerate(stream):
            body = json.dumps(message, ensure_ascii=False, indent=1).replace("\n", "\n  ")
            out.write(("\n  " if i == 0 else ",\n  ") + body)
        out.write("\n ]\n}\n")
    Path(f"{path}.toml").write_text(_config(roster), encoding="utf-8")


def _members(rng: random.Random, count: int) -> list[tuple[int, str]]:
    names: set[str] = set()
    people = []
    for user_id in range(2000, 2000 + count):
        name = ""
        while not name or name in names:
            given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
            name = f"{rng.choice(DEPTS)}-{rng.choice(SURNAMES)}{given}"
        names.add(name)
        people.append((user_id, name))
    return people


def _wall(work_second: float) -> int:
    """Unix time of a point in the working hours, counted in seconds from the first morning."""
    day, offset = divmod(int(work_second), DAY_SECONDS)
    week, weekday = divmod(day, 5)
    start = FIRST_DAY + timedelta(days=7 * week + weekday)
    return int(start.timestamp()) + DAY_OPEN + offset


def _day_stream(rng, people, total, directive_share, leave_share, departure_share):
    """Messages in time order: spontaneous ones on a clock, follow-ups from a heap. A member who
    leaves is taken out of `people` and their follow-ups out of the heap."""
    names = dict(LEADERS) | dict(people)
    pending: list[tuple[int, int, str, int, int]] = []  # (when, seq, kind, user, directive)
    work, emitted, directives, next_id, seq = 0.0, 0, 0, 1, 0
    span, upcoming = WORKDAYS * DAY_SECONDS, None
    while emitted < total:
        if upcoming is None:
            gap = max(0.5, (span - work) / max(1, total - emitted))
            upcoming = work + rng.expovariate(1 / gap)
        if pending and pending[0][0] <= _wall(upcoming):
            when, _, kind, user, target = heapq.heappop(pending)
            message = _follow_up(rng, next_id, when, kind, user, names[user], target)
        else:
            work, upcoming = upcoming, None
            when = _wall(work)
            if directives < directive_share * (emitted + 1):
                directives += 1
                message, plans = _directive(rng, next_id, when, people)
                for plan in plans:
                    seq += 1
                    heapq.heappush(pending, (plan[0], seq, *plan[1:], next_id))
            elif rng.random() < leave_share:
                message, plans = _leave(rng, next_id, when, people)
                for plan in plans:
                    seq += 1
                    heapq.heappush(pending, (plan[0], seq, *plan[1:], next_id))
            elif rng.random() < departure_share and len(people) > 3:
                message, gone = _departure(rng, next_id, when, people)
                people.remove(gone)
                pending[:] = [p for p in pending if p[3] != gone[0]]
                heapq.heapify(pending)
            else:
                message = _chatter(rng, next_id, when, people, names)
        yield message
        emitted += 1
        next_id += 2 if rng.random() < 0.01 else 1  # deleted messages leave gaps


def _base(mid: int, when: int, user: int, name: str | None) -> dict:
    return {
        "id": mid,
        "type": "message",
        "date": datetime.fromtimestamp(when, TZ).strftime("%Y-%m-%dT%H:%M:%S"),
        "date_unixtime": str(when),
        "from": name,
        "from_id": f"user{user}",
    }


def _with_text(message: dict, parts: list) -> dict:
    """`text` and `text_entities` as Telegram Desktop writes them (adjacent strings merged)."""
    merged: list = []
    for part in parts:
        if merged and type(part) is str and type(merged[-1]) is str:
            merged[-1] += part
        else:
            merged.append(part)
    parts = merged
    entities = [{"type": "plain", "text": p} if type(p) is str else p for p in parts]
    plain = len(parts) == 1 and type(parts[0]) is str
    message["text"] = parts[0] if plain else parts if parts else ""
    message["text_entities"] = entities
    return message


def _directive(rng, mid, when, people):
    """A directive and the plans of its assignees: (when, kind, user) to act on it."""
    leader_id, leader = rng.choice(LEADERS[:1] * 3 + LEADERS[1:])
    done_share, done_within = 0.1, 5 * 3600  # notices rarely get a completion report
    if rng.random() < 0.02:
        parts = [{"type": "hashtag", "text": "#通知"}, " " + rng.choice(NOTICES)]
        assignees = [user for user, _ in people]
    else:
        assignees = [user for user, _ in rng.sample(people, rng.choice((1, 1, 2, 2, 3)))]
        parts = []
        for user in assignees:
            parts += [{"type": "mention", "text": f"@u{user}"}, " "]
        deadline = rng.choice(DEADLINES) if rng.random() < 0.5 else ""
        parts.append(deadline + rng.choice(TASKS))
        done_share, done_within = (0.8, 3 * 3600) if deadline else (0.4, 5 * 3600)
        if rng.random() < 0.5:
            parts += [" ", {"type": "hashtag", "text": "#任务"}]
    plans, recent = [], []
    for user in assignees:
        roll = rng.random()
        if roll < 0.85:
            delay = int(rng.triangular(15, 1790, 120))
        elif roll < 0.95:
            delay = int(rng.uniform(1900, 3 * 3600))
        else:
            if roll < 0.97:
                plans.append((when + int(rng.uniform(60, 900)), "not_ack", user))
            continue
        style = rng.random()
        if style < 0.25:
            recent.append((when + delay, user))
        else:
            plans.append((when + delay, "ack_reply" if style < 0.55 else "ack", user))
        if rng.random() < done_share:
            plans.append((when + delay + int(rng.uniform(600, done_within)), "done", user))
    message = _with_text(_base(mid, when, leader_id, leader), parts)
    if recent:
        names = dict(people)
        message["reactions"] = [_thumbs_up(recent, names)]
    return message, plans


def _thumbs_up(recent: list[tuple[int, int]], names: dict[int, str]) -> dict:
    entries = [
        {
            "from": names[user],
            "from_id": f"user{user}",
            "date": datetime.fromtimestamp(when, TZ).strftime("%Y-%m-%dT%H:%M:%S"),
        }
        for when, user in sorted(recent, reverse=True)
    ]
    return {"type": "emoji", "count": len(recent), "emoji": "👍", "recent": entries}


def _leave(rng, mid, when, people):
    """A leader's #请假 record for a member, or a member's own request with a leader's answer
    in words to come (the plan)."""
    span, reason = rng.choice(LEAVE_SPANS), rng.choice(LEAVE_REASONS)
    user, name = rng.choice(people)
    if rng.random() < 0.5:
        leader_id, leader = rng.choice(LEADERS)
        message = _base(mid, when, leader_id, leader)
        parts = [{"type": "hashtag", "text": "#请假"}, " "]
        parts += [{"type": "mention", "text": f"@u{user}"}, f" {span} {reason}".rstrip()]
        return _with_text(message, parts), []
    message = _base(mid, when, user, name)
    parts = [{"type": "hashtag", "text": "#请假"}, f" {span} {reason}".rstrip()]
    answer = (when + int(rng.uniform(60, 1800)), "leave_answer", rng.choice(LEADERS)[0])
    return _with_text(message, parts), [answer]


def _departure(rng, mid, when, people):
    """A member leaves (removes themselves) or a leader removes them: the export names them."""
    gone = rng.choice(people)
    by_leader = rng.random() < 0.5
    actor_id, actor = rng.choice(LEADERS) if by_leader else gone
    message = _base(mid, when, actor_id, actor)
    message["type"] = "service"
    message["actor"], message["actor_id"] = message.pop("from"), message.pop("from_id")
    message |= {"action": "remove_members", "members": [gone[1]]}
    return _with_text(message, []), gone


def _follow_up(rng, mid, when, kind, user, name, directive):
    message = _base(mid, when, user, name)
    if kind != "ack":
        message["reply_to_message_id"] = directive
    if kind == "leave_answer":
        return _with_text(message, [rng.choice(LEAVE_ANSWERS)])
    if kind == "not_ack":
        return _with_text(message, [rng.choice(NOT_ACKS)])
    if kind == "done":
        return _with_text(message, [rng.choice(DONE)])
    if rng.random() < 0.1:
        return _sticker(rng, message, "👍")
    return _with_text(message, [rng.choice(ACKS)])


def _sticker(rng, message: dict, emoji: str) -> dict:
    message |= {
        "file": f"stickers/sticker ({rng.randint(1, 40)}).webp",
        "file_size": rng.randint(8000, 60000),
        "thumbnail": "stickers/sticker.webp_thumb.jpg",
        "media_type": "sticker",
        "sticker_emoji": emoji,
        "width": 512,
        "height": 512,
    }
    return _with_text(message, [])


def _chatter(rng, mid, when, people, names):
    roll = rng.random()
    if roll < 0.002:
        return _service(rng, mid, when, people)
    user, name = rng.choice(people) if rng.random() < 0.93 else rng.choice(LEADERS)
    if rng.random() < 0.002:
        name = None  # a deleted account
    message = _base(mid, when, user, name)
    text = "，".join(rng.sample(CHATTER, rng.choice((1, 1, 1, 2, 3))))
    if roll < 0.03:
        message |= {"photo": f"photos/photo_{mid}.jpg", "width": 1280, "height": 960}
        return _with_text(message, [text] if rng.random() < 0.5 else [])
    if roll < 0.045:
        return _sticker(rng, message, rng.choice(STICKERS))
    if roll < 0.05:
        message |= {"file": f"voice_messages/audio_{mid}.ogg", "media_type": "voice_message"}
        return _with_text(message, [])
    if roll < 0.06:
        message["forwarded_from"] = "客户-张总"
    elif roll < 0.10:
        message["reply_to_message_id"] = max(1, mid - rng.randint(1, 30))
    elif roll < 0.11:
        edited = when + rng.randint(5, 120)
        message["edited"] = datetime.fromtimestamp(edited, TZ).strftime("%Y-%m-%dT%H:%M:%S")
        message["edited_unixtime"] = str(edited)
    if roll < 0.12:
        link = {"type": "link", "text": f"https://pan.example.com/s/{mid:x}"}
        return _with_text(message, [text + " ", link])
    return _with_text(message, [text])


def _service(rng, mid, when, people):
    user, name = rng.choice(LEADERS)
    message = _base(mid, when, user, name)
    message["type"] = "service"
    message["actor"], message["actor_id"] = message.pop("from"), message.pop("from_id")
    if rng.random() < 0.5:
        message |= {"action": "pin_message", "message_id": max(1, mid - rng.randint(1, 50))}
    else:
        message |= {"action": "invite_members", "members": [rng.choice(people)[1]]}
    return _with_text(message, [])


def _config(people: list[tuple[int, str]]) -> str:
    row = '  {{ id = {0}, name = "{1}", username = "u{0}" }},'
    rows = [row.format(user, name) for user, name in people]
    leaders = ", ".join(str(user) for user, _ in LEADERS)
    return "\n".join(
        [
            "[defaults]",
            'timezone = "Asia/Shanghai"',
            'ack_window = "30m"',
            'remind_at = ["10m", "20m"]',
            'tell_leader_at = "20m"',
            'fines = { no_ack = "100.00", unresolved = "50.00", currency = "CNY" }',
            "",
            "[[chats]]",
            f"id = -100{CHAT_ID}",
            f'name = "{CHAT_NAME}"',
            f"leaders = [{leaders}]",
            "members = [",
            *rows,
            "]",
            "",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", type=Path, help="where to write the export (result.json)")
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--directive-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--leave-share", type=float, default=0.001)
    args = parser.parse_args()
    args.path.parent.mkdir(parents=True, exist_ok=True)
    generate(
        args.path, args.messages, args.members, args.directive_share, args.seed, args.leave_share
    )


if __name__ == "__main__":
    main()
