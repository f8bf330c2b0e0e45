"""What links, contacts and selling look like in a Chinese group chat."""

from __future__ import annotations

import re

# A link as people paste it: with a scheme, www., t.me/…, or a bare domain with a path or a
# common top-level domain (baidu.com, xx.cn/abc). Not 3.5, not 张三.李四, not a file name.
LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"'，。]+"
    r"|\b(?:t\.me|wa\.me)/[\w+/-]+"
    r"|\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+"
    r"(?:com|cn|net|org|top|xyz|vip|shop|club|site|online|cc|io|me|info|biz|hk|tw)\b"
    r"(?:/[^\s<>\"'，。]*)?",
    re.IGNORECASE,
)
_HOST = re.compile(r"^(?:https?://)?([^/:?#\s]+)", re.IGNORECASE)

# A way to reach the poster outside the group: a mobile number, a WeChat or QQ id.
CONTACT = re.compile(
    r"(?<!\d)1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)"
    r"|(?:微信|威信|薇信|vx|wx|v信|微|加v|加微|扣扣|qq|企鹅)号?\s*[:：]?\s*[a-z0-9][-_a-z0-9]{4,19}",
    re.IGNORECASE,
)

# Selling and recruiting words (广告): each alone can be work talk (兼职的同事, 领取工牌); with a
# contact or a link, or beside one of the unmistakable ones (`SCAM_WORDS`), it is an ad.
AD_WORDS = (
    "加微信",
    "加我微信",
    "加v",
    "加vx",
    "加我v",
    "私聊",
    "私信我",
    "扫码",
    "二维码",
    "代理",
    "招代理",
    "招商",
    "加盟",
    "兼职",
    "刷单",
    "日赚",
    "月入",
    "日结",
    "躺赚",
    "副业",
    "返利",
    "返现",
    "优惠券",
    "免费领",
    "领取",
    "包邮",
    "低价",
    "特价",
    "促销",
    "秒杀",
    "清仓",
    "代购",
    "微商",
    "团购",
    "拼团",
    "贷款",
    "借钱",
    "网贷",
    "办证",
    "代办",
    "开发票",
    "出售",
    "转让",
    "回收",
    "理财",
    "投资",
    "高收益",
    "稳赚",
    "彩票",
    "博彩",
    "菠菜",
    "棋牌",
    "点击链接",
    "限时",
    "名额有限",
    "咨询热线",
)
AD_FIND = re.compile("|".join(map(re.escape, sorted(AD_WORDS, key=len, reverse=True))))

SCAM_WORDS = (
    "刷单",
    "日赚",
    "躺赚",
    "月入",
    "稳赚",
    "高收益",
    "返利",
    "博彩",
    "菠菜",
    "棋牌",
    "网贷",
    "办证",
    "招代理",
    "微商",
    "代购",
    "加我微信",
    "私信我",
)


def host(link: str) -> str:
    """The host a link points at, lower-cased, without www."""
    m = _HOST.match(link)
    name = m[1].lower() if m else link.lower()
    return name[4:] if name.startswith("www.") else name


def allowed(name: str, allow: tuple[str, ...]) -> bool:
    """`name` is an allowed domain or one of its subdomains."""
    return any(name == domain or name.endswith("." + domain) for domain in allow)
