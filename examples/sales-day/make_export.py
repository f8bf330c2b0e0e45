"""Write result.json: one Monday (2026-11-23) of 销售部工作群 as Telegram Desktop exports it.

    .venv/bin/python examples/sales-day/make_export.py

Deterministic: the same file every run. See README.md for what happens in the day.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
DAY = "2026-11-23"
PEOPLE = {
    "王总": (1001, "王总"),
    "张三": (1002, "销售部-张三"),
    "李四": (1003, "销售部-李四"),
    "王五": (1004, "销售部-王五"),
    "赵六": (1005, "销售部-赵六"),
    "孙七": (1006, "销售部-孙七"),
}


def mention(username: str) -> dict:
    return {"type": "mention", "text": f"@{username}"}


def mention_name(who: str) -> dict:
    user_id, name = PEOPLE[who]
    return {"type": "mention_name", "text": name, "user_id": user_id}


def tag(text: str) -> dict:
    return {"type": "hashtag", "text": text}


def link(url: str) -> dict:
    return {"type": "link", "text": url}


class Chat:
    """Builds the messages list the way Telegram Desktop writes it."""

    def __init__(self, first_id: int) -> None:
        self.messages: list[dict] = []
        self.next_id = first_id
        self.by_id: dict[int, dict] = {}

    def _base(self, hhmmss: str, kind: str) -> dict:
        local = datetime.fromisoformat(f"{DAY}T{hhmmss}").replace(tzinfo=TZ)
        message = {
            "id": self.next_id,
            "type": kind,
            "date": local.strftime("%Y-%m-%dT%H:%M:%S"),
            "date_unixtime": str(int(local.timestamp())),
        }
        self.next_id += 1
        self.messages.append(message)
        self.by_id[message["id"]] = message
        return message

    def say(self, hhmmss: str, who: str, *parts, reply: int | None = None, **fields) -> int:
        """A message from `who`; `parts` are strings and entity objects; `fields` go in as is."""
        message = self._base(hhmmss, "message")
        if "edited" in fields:
            edited = datetime.fromisoformat(f"{DAY}T{fields.pop('edited')}").replace(tzinfo=TZ)
            message["edited"] = edited.strftime("%Y-%m-%dT%H:%M:%S")
            message["edited_unixtime"] = str(int(edited.timestamp()))
        user_id, name = PEOPLE[who]
        message |= {"from": name, "from_id": f"user{user_id}"}
        if "forwarded_from" in fields:
            message["forwarded_from"] = fields.pop("forwarded_from")
        if reply is not None:
            message["reply_to_message_id"] = reply
        message |= fields
        _set_text(message, list(parts))
        return message["id"]

    def photo(self, hhmmss: str, who: str, caption: str, number: int) -> int:
        stamp = f"{DAY[8:10]}-{DAY[5:7]}-{DAY[:4]}_{hhmmss.replace(':', '-')}"
        photo = {"photo": f"photos/photo_{number}@{stamp}.jpg", "photo_file_size": 182344}
        return self.say(hhmmss, who, caption, **photo, width=1280, height=960)

    def sticker(self, hhmmss: str, who: str, emoji: str, reply: int | None = None) -> int:
        sticker = {
            "file": "stickers/sticker.webp",
            "file_size": 20480,
            "thumbnail": "stickers/sticker.webp_thumb.jpg",
            "media_type": "sticker",
            "sticker_emoji": emoji,
            "width": 512,
            "height": 512,
        }
        return self.say(hhmmss, who, reply=reply, **sticker)

    def service(self, hhmmss: str, who: str, action: str, **fields) -> int:
        message = self._base(hhmmss, "service")
        user_id, name = PEOPLE[who]
        message |= {"actor": name, "actor_id": f"user{user_id}", "action": action, **fields}
        _set_text(message, [])
        return message["id"]

    def react(self, target: int, who: str, hhmmss: str, emoji: str = "👍") -> None:
        """A reaction in the newer export shape: counted per emoji, newest `recent` first."""
        message = self.by_id[target]
        user_id, name = PEOPLE[who]
        recent = {"from": name, "from_id": f"user{user_id}", "date": f"{DAY}T{hhmmss}"}
        reactions = message.setdefault("reactions", [])
        for reaction in reactions:
            if reaction["emoji"] == emoji:
                reaction["count"] += 1
                reaction["recent"].insert(0, recent)
                return
        reactions.append({"type": "emoji", "count": 1, "emoji": emoji, "recent": [recent]})


def _set_text(message: dict, parts: list) -> None:
    """`text` and `text_entities` as Telegram Desktop writes them; reactions stay last."""
    reactions = message.pop("reactions", None)
    entities = [{"type": "plain", "text": p} if type(p) is str else p for p in parts]
    plain = len(parts) == 1 and type(parts[0]) is str
    message["text"] = parts[0] if plain else parts if parts else ""
    message["text_entities"] = entities
    if reactions:
        message["reactions"] = reactions


def the_day() -> Chat:
    """The day, one line per message; d1..d8 are the leader's directives."""
    c = Chat(first_id=5301)
    c.say("08:30:12", "张三", "早上好")
    c.say("08:31:40", "李四", "早")
    c.sticker("08:32:05", "赵六", "😄")
    c.service("08:35:20", "孙七", "join_group_by_link", inviter="王总")
    c.say("08:36:02", "孙七", "大家好，我是新来的孙七，请多关照")
    c.say("08:36:50", "张三", "欢迎欢迎")
    c.say("08:41:15", "赵六", "华东那个客户昨天又来问价格了")
    c.say("08:42:30", "张三", "哪个？宏达还是恒通？")
    c.say("08:43:05", "赵六", "恒通，他们想年底前再进一批货")
    d1 = c.say(
        "09:00:00",
        "王总",
        mention("zhangsan"),
        " ",
        mention("lisi"),
        " 今天下班前把本周客户拜访计划发群里 ",
        tag("#任务"),
    )
    c.say("09:01:10", "张三", "收到！马上执行", reply=d1)
    c.say("09:03:25", "李四", "好的")
    c.photo("09:10:40", "赵六", "昨天展会的现场照片，客流还可以", 1)
    c.say("09:12:02", "李四", "人挺多的")
    d2 = c.say("09:15:00", "王总", tag("#通知"), " 明天上午9点全员开周会，收到请回复")
    c.say("09:15:40", "张三", "收到")
    c.say("09:16:05", "李四", "1")
    c.service("09:16:30", "王总", "pin_message", message_id=d2)
    c.react(d2, "赵六", "09:17:12")
    c.say("09:20:18", "王五", "王五收到")
    c.say("09:26:40", "张三", "客户的回复，大家看一下")
    c.say("09:27:00", "张三", "报价单收到了，下午回复你们", forwarded_from="客户-恒通刘总")
    c.say("09:31:10", "李四", "看来有戏")
    d3 = c.say(
        "09:40:00",
        "王总",
        mention_name("王五"),
        " 上午把和宏达的合同再核对一遍，有问题马上说",
    )
    c.say("09:42:15", "王五", "是哪个合同？")
    c.say("09:43:02", "王总", "宏达那个年度框架合同")
    c.say("09:44:30", "王五", "明白", reply=d3)
    c.say("09:52:10", "孙七", "收到，刚在开车", reply=d2)
    c.say("09:58:00", "李四", "新版报价模板放这了 ", link("https://pan.example.com/s/q4-quote"))
    c.say("10:01:20", "张三", "谢谢，正好要用")
    c.say("10:05:45", "张三", mention("zhaoliu"), " 合同发你邮箱了")
    c.say("10:09:30", "赵六", "没收到，再发一次？")
    c.say("10:11:02", "张三", "重发了，收到了吗？")
    c.say("10:12:40", "赵六", "收到了，在垃圾箱里")
    c.say("10:20:05", "张三", "恒通那边说价格能不能再让一点")
    c.say("10:21:30", "李四", "这个价格已经很低了")
    d4 = c.say("10:30:00", "王总", "@所有人 月底前把报销单交到财务")
    c.say("10:30:48", "张三", "收到")
    c.sticker("10:31:15", "李四", "👍")
    c.say("10:33:20", "王五", "好的")
    c.react(d4, "赵六", "10:35:02")
    c.say("10:36:10", "孙七", "收到")
    c.say("10:36:40", "孙七", "新人入职前的也要交吗？")
    c.say("10:37:00", "王总", "入职前的不用")
    ask = c.say("10:52:00", "赵六", "恒通的客户说要再降5个点，不然就找别家")
    # d5, a reply to 赵六's message: 赵六 never acknowledges it.
    c.say(
        "11:00:00",
        "王总",
        "你先别答应，整理一份恒通近三个月的订单明细给我 ",
        tag("#任务"),
        reply=ask,
    )
    c.say("11:04:30", "张三", "恒通去年也这么说过")
    c.say("11:20:10", "李四", "上午拜访了三家客户，纪要已经发邮件了")
    c.say("11:30:00", "王总", mention("lisi"), " 辛苦了，谢谢")
    c.say("11:31:05", "李四", "应该的")
    c.photo("11:42:00", "赵六", "恒通仓库的照片，货还堆着不少", 2)
    c.say("11:58:30", "张三", "中午吃什么")
    c.say("11:59:10", "孙七", "楼下新开了家面馆")
    c.sticker("12:00:02", "张三", "😂")
    c.say("12:01:15", "李四", "走起")
    c.say("12:03:40", "王五", "我带饭了，你们去吧")
    c.say("13:20:00", "赵六", "下午我去恒通一趟")
    d6 = c.say(
        "13:30:00", "王总", mention("sunqi"), " 下午三点前把新客户的资料录入系统 ", tag("#任务")
    )
    c.say("13:31:20", "孙七", "收到", reply=d6)
    c.say("13:35:45", "孙七", "系统账号怎么申请？")
    c.say("13:37:10", "李四", "找行政开，内线8021")
    c.say("13:40:00", "孙七", "好的谢谢")
    d7 = c.say(
        "14:00:00",
        "王总",
        mention("zhaoliu"),
        " ",
        mention("zhangsan"),
        " 明天上午去一趟宏达，把样品带上 ",
        tag("#任务"),
    )
    c.say("14:02:30", "张三", "收到")
    c.say("14:09:20", "王总", "宏达刚来电话说改期了")
    c.say("14:10:00", "王总", {"type": "bot_command", "text": "/cancel"}, reply=d7)
    c.say("14:10:40", "王总", "这个先取消，样品不用带了")
    c.say("14:12:05", "张三", "好的")
    c.say("14:25:30", "赵六", "恒通那边在谈，晚点说")
    done = c.say("14:48:40", "孙七", "已完成，一共录了12家", reply=d6)
    c.react(done, "王总", "14:50:30", "👏")
    c.photo("15:00:10", "张三", "客户签字的回执", 3)
    c.say("15:01:00", "李四", "👍")
    d8 = c.say("15:30:00", "王总", mention("zhangsan"), " 把华东区本月回款情况报一下")
    c.say("15:35:12", "李四", "华东这个月回款比上月好")
    c.say("15:48:00", "赵六", "恒通答应先按原价下单，明细我晚点整理")
    c.say("15:50:30", "王五", "宏达合同第5条付款周期有问题，已经标出来了")
    c.say("15:52:00", "王总", "好，明天跟法务确认")
    c.say("16:02:10", "李四", "本周拜访计划：周二宏达，周三恒通，周四华美，周五回访老客户")
    c.say("16:02:45", "李四", "已完成", reply=d1)
    c.say("16:15:20", "张三", "收到，刚从客户那出来，马上整理", reply=d8)
    c.say("16:20:00", "孙七", "请问周会在哪个会议室？")
    c.say("16:21:10", "李四", "三楼大会议室")
    voice = {"file": "voice_messages/audio_1@23-11-2026_16-30-40.ogg", "file_size": 31022}
    c.say("16:30:40", "赵六", **voice, media_type="voice_message", mime_type="audio/ogg")
    c.say("16:45:00", "张三", "华东区本月回款：已回182万，还差46万，主要是恒通和华美", reply=d8)
    c.say("16:46:10", "王总", "恒通的款要盯紧")
    c.say("16:47:00", "张三", "明白")
    c.say("17:05:30", "王五", "合同核对完了，第5条要改，其他没问题，已完成", reply=d3)
    c.say(
        "17:30:00",
        "张三",
        "我的拜访计划：周二恒通，周三华美，周四宏达（待定），周五整理报价",
        reply=d1,
        edited="17:31:10",
    )
    c.say("17:31:40", "张三", "已完成", reply=d1)
    c.say("17:45:00", "王总", "今天大家辛苦了")
    c.say("17:46:20", "李四", "王总辛苦")
    c.sticker("17:47:00", "孙七", "🙏")
    c.say("18:05:10", "赵六", "刚从恒通回来，他们月底前付一半")
    c.say("18:30:00", "张三", mention("lisi"), " 明天周会的PPT你带一下电脑")
    c.say("18:31:15", "李四", "好")
    c.say("18:55:00", "孙七", "下班了，明天见")
    c.say("18:58:30", "王五", "明天见")
    return c


def main() -> None:
    chat = the_day()
    export = {
        "name": "销售部工作群",
        "type": "private_supergroup",
        "id": 1987654321,
        "messages": chat.messages,
    }
    out = Path(__file__).with_name("result.json")
    out.write_text(json.dumps(export, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{out}: {len(chat.messages)} messages")


if __name__ == "__main__":
    main()
