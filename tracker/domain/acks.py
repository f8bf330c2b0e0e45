"""Classify a chat reply as an acknowledgement (收到, 好的, 1, 👍), done (已完成) or cancel (取消).

Text is normalised (NFKC, lower case, no emoji modifiers or leading @mentions) and cut into
clauses at punctuation and spaces. After at most two short labels ("张三：", "王总，") the first
clause must be a short prefix free of negators and question words, then keywords, then particles
(了/啦/😊), and nothing else. A "?" or question particle right after it, or A-not-A (好不好),
rejects the message.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

# Variation selectors, skin tones, joiners, keycaps and "#" go; ❓ and ❔ become "?".
_ODD = re.compile("[#\u200b-\u200d\u20e3\ufe00-\ufe0f\ufeff\U0001f3fb-\U0001f3ff❓❔]")
_SEP = r"\s,.。!;、~〜?:()…"
_HARD = (",", "!", "。", "~", ";")  # after a bare "1"; "1." and "1、" start a list
_LEAD = re.compile(rf"[{_SEP}]*")
_CLAUSE = re.compile(rf"([^{_SEP}]+)([{_SEP}]*)")
_MENTIONS = re.compile(r"(?:@[a-z0-9_]+\s*|@[^\s@]+\s+)+")
_PHRASES = re.compile(r"\b(got|will|roger|copy|all)\s+(it|do|that|done)\b")
_NEG_Q = "不没未无别非莫勿否难甭吗么嘛呢哪啥谁几怎咋"
_BAD_PREFIX = re.compile(rf"[{_NEG_Q}]|是否|如何|为何|何时|多少|请|务必|必须|要求")
_FUTURE = re.compile(r"快|马上|立即|立刻|即将|就要|将|要|会|准备|正在|还|尚|待|争取|尽快|基本")
_BARE_DONE_PREFIX = re.compile(r"(?:我们?(?:这边|这里)?)?(?:都|全部|全都|均|全)?")
_A_NOT_A = re.compile(r"(.{1,2})[不没]\1")
_NEXT_QUESTION = re.compile(rf"了?(?:吗|嘛|么|呢|否|没有?)(?:[{_SEP}]|$)")
_TITLES = "总|哥|姐|领导|老板|老师|经理|主任|书记|部长|处长|科长|局长|老大|总监|组长|队长|主管"
_TITLE_END = re.compile(rf"(?:{_TITLES})$")
_ADDRESSEE = rf"(?:(?:(?![{_NEG_Q}])[\u4e00-\u9fff]){{0,2}}(?:{_TITLES}))?"
_EMOJI = r"(?![👎❌❎🙅🚫✖🤔])[\u2600-\u27bf\u2b50\u2b55\U0001f300-\U0001faff]"
_PARTICLE = rf"(?:了(?!解)|[啦哈呀啊哦喔噢嘞勒的滴哒咯啰嗷]|{_EMOJI})"
_ACK_STRONG = (
    "收到|已收|收悉|知悉|已阅|执行|落实|照办|遵命|得令|领命|明白|了解|知道|清楚|懂|没有?问题|没毛病|可以"
    "|(?:马上|立即|立刻|即刻|这就|尽快)去?(?:办|做|弄|安排|处理|跟进)"
    "|okay|ok+|roger(?:that)?|copy(?:that)?|noted|received|understood|acknowledged|gotit|willdo"
    "|yes|sure|[👍👌✅☑✔✓🫡💪🙏🆗]"
)
_ACK_WEAK = "好吧|行吧|[好行是嗯恩对妥]"
_DONE_VERBS = (
    "完成|完工|办结|办完|办好|处理好|处理完|处理|提交|上交|交|发送|发|上传|搞定|弄好|弄完|做好|做完"
    "|写好|写完|改好|改完|解决|修复|修好|落实|整改"
)
_DONE_WORDS = rf"(?P<firm>已经?(?:{_DONE_VERBS})|(?:{_DONE_VERBS})了)|完成|完工|完毕|搞定|办结"
_DONE_WORDS += "|done|finished|completed|alldone"
_CANCEL_WORDS = "取消|撤销|撤回|作废|废止|作罢|算了|不用(?:做|办|弄|搞|管)?了|不需要了|不做了"
_CANCEL_WORDS += "|cancel(?:l?ed)?"
_DONE = re.compile(rf"(?P<pre>.{{0,8}}?)(?P<body>(?:{_DONE_WORDS})(?:{_PARTICLE})*+)")
_CANCEL_TAIL = rf"(?:[了啦吧哈啊掉]|{_EMOJI})*+"
_CANCEL = re.compile(rf"(?P<pre>.{{0,8}}?)(?P<body>(?:{_CANCEL_WORDS}){_CANCEL_TAIL})")
_DONE_SEARCH = re.compile(_DONE_WORDS)
_WIDE_LATIN = re.compile("[\uff21-\uff3a\uff41-\uff5a]")  # full-width letters: NFKC first
_CANCEL_SEARCH = re.compile(_CANCEL_WORDS)

ClauseTest = Callable[[str, str, str], bool]


def _normalise(text: str) -> str:
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if _ODD.search(text):
        text = _ODD.sub(lambda m: "?" if m[0] in "❓❔" else "", text)
    t = text.strip().lower()
    if t.startswith("@") and (mentions := _MENTIONS.match(t)):
        t = t[mentions.end() :]
    return _PHRASES.sub(r"\1\2", t) if " " in t else t


def _prefix_ok(pre: str, body: str, clause: str) -> bool:
    latin_join = pre[-1:].isascii() and pre[-1:].isalnum() and body[:1].isascii()
    return not (_BAD_PREFIX.search(pre) or _A_NOT_A.search(clause) or latin_join)


def _is_label(clause: str, sep: str, words: re.Pattern[str]) -> bool:
    """A name or addressee before the reply: "张三：", "销售部-张三 ", "王总，"."""
    if not sep or "?" in sep or len(clause) > 8 or _BAD_PREFIX.search(clause):
        return False
    if words.search(clause):
        return False
    return sep[0].isspace() or sep[0] == ":" or bool(_TITLE_END.search(clause))


def _classify(text: str, clause_ok: ClauseTest, words: re.Pattern[str]) -> bool:
    t = _normalise(text)
    pos = _LEAD.match(t).end()
    for _ in range(3):
        m = _CLAUSE.match(t, pos)
        if m is None:
            return False
        clause, sep = m.groups()
        rest = t[m.end() :]
        if clause_ok(clause, sep, rest):
            return "?" not in sep and not _NEXT_QUESTION.match(rest)
        if not _is_label(clause, sep, words):
            return False
        pos = m.end()
    return False


@lru_cache(maxsize=64)
def _ack_patterns(extra_words: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    extra = sorted({_normalise(w) for w in extra_words} - {""}, key=len, reverse=True)
    strong = "|".join([*map(re.escape, extra), _ACK_STRONG])
    token = f"(?:{strong}|{_ACK_WEAK}){_PARTICLE}*+"
    clause = rf"(?P<pre>.{{0,8}}?)(?P<body>(?:{token})++){_ADDRESSEE}{_PARTICLE}*+"
    return re.compile(clause), re.compile(strong)


def is_ack(text: str, extra_words: tuple[str, ...] = ()) -> bool:
    """True when the message acknowledges a directive: 收到, 好的, 明白了, 1, 👍, 张三：收到."""
    clause_re, strong_re = _ack_patterns(tuple(extra_words))

    def ok(clause: str, sep: str, rest: str) -> bool:
        if clause == "1":
            return not rest or sep.strip()[:1] in _HARD
        m = clause_re.fullmatch(clause)
        if m is None or not _prefix_ok(m["pre"], m["body"], clause):
            return False
        return not m["pre"] or strong_re.search(m["body"]) is not None

    return _classify(text, ok, strong_re)


def _done_ok(clause: str, sep: str, rest: str) -> bool:
    m = _DONE.fullmatch(clause)
    if m is None or not _prefix_ok(m["pre"], m["body"], clause) or _FUTURE.search(m["pre"]):
        return False
    return m["firm"] is not None or _BARE_DONE_PREFIX.fullmatch(m["pre"]) is not None


def _cancel_ok(clause: str, sep: str, rest: str) -> bool:
    m = _CANCEL.fullmatch(clause)
    return m is not None and _prefix_ok(m["pre"], m["body"], clause)


def is_done(text: str) -> bool:
    """True when the message reports the task finished: 已完成, 搞定了, 报告已提交, done."""
    if not _DONE_SEARCH.search(text.lower()) and not _WIDE_LATIN.search(text):
        return False  # fast path: most chat lines have no done word (NFKC keeps CJK as is)
    return _classify(text, _done_ok, _DONE_SEARCH) or _ends_done(text)


_CLAUSE_SPLIT = re.compile(r"[，,；;。.!！\n]+")


def _ends_done(text: str) -> bool:
    """A report that ends in a firm done phrase: "合同核对完了，第5条要改，其他没问题，已完成".
    Only a firm phrase (已完成, 完成了, 搞定了 …) counts there, and no question anywhere."""
    t = _normalise(text).rstrip("。.!！~～ ")
    if "?" in t:
        return False
    clauses = _CLAUSE_SPLIT.split(t)
    if len(clauses) < 2:
        return False
    tail = clauses[-1].strip()
    m = _DONE.fullmatch(tail)
    if m is None or m["firm"] is None or _FUTURE.search(m["pre"]):
        return False
    return not m["pre"] and _prefix_ok(m["pre"], m["body"], tail)


def is_cancel(text: str) -> bool:
    """True when the message calls the directive off: 取消, #取消, 任务取消, 作废, 不用做了."""
    return _classify(text, _cancel_ok, _CANCEL_SEARCH)
