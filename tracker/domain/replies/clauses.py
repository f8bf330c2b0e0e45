"""The kind of one clause of a reply: question, negated receipt, refusal, deferral, instruction,
acknowledgement, on-it or promise, excuse, filler, name label, or other (tried in that order).

Text is normalised (`replies.text`); the words are in `replies.words`. `replies.reading` reads a
whole reply from its clauses' kinds.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from functools import lru_cache

from tracker.domain import closings
from tracker.domain.replies import not_words as nw
from tracker.domain.replies import words as w
from tracker.domain.replies.text import AGREE, normalise


class Kind(enum.Enum):
    QUESTION = "question"
    NEGATED = "negated"
    REFUSAL = "refusal"
    DEFERRAL = "deferral"
    INSTRUCTION = "instruction"
    ACK = "ack"
    PROMISE = "promise"
    EXCUSE = "excuse"
    FILLER = "filler"
    LABEL = "label"
    OTHER = "other"


_LATIN = re.compile(r"[a-z0-9'·+]+")
ONES = re.compile(r"\+?1+")
_NAME = re.compile(rf"[{w.CJK}]{{2,4}}")
_NAME3 = re.compile(rf"[{w.CJK}]{{2,3}}")
_NEGATORS = re.compile(r"[不没未别]")
_LONGEST_ACK = 40  # characters: a longer clause says more than yes


def clause_kind(clause: str, sep: str, grammar: Grammar) -> Kind:
    if clause.isdigit() and not ONES.fullmatch(clause):
        return Kind.OTHER  # 12, 100: a number, not an answer
    if _LATIN.fullmatch(clause) and not ONES.fullmatch(clause) and not w.DONE.match(clause):
        return _english(clause.split("·"), sep)
    if "?" in sep:
        return Kind.QUESTION
    pre = _ack_prefix(clause, grammar)  # None: not an acknowledgement
    ack = pre is not None
    if (q := nw.QUESTION.search(clause)) and not (
        (ack and q[0] == "哪" and "嗯哪" in clause)  # 嗯哪 is a yes; 是否收到 asks
        or (nw.EXCUSE.match(clause) and not nw.QUESTION.search(nw.EXCUSE.sub("", clause)))
    ):  # 刚在带看没看手机: 看没看 spans two words of an excuse, it asks nothing
        return Kind.QUESTION
    negated = nw.NOT_RECEIVED.search(clause)
    if negated or nw.REFUSAL.search(clause):
        rest = nw.EXCUSE.sub("", clause)
        if rest != clause and not (nw.NOT_RECEIVED.search(rest) or nw.REFUSAL.search(rest)):
            return Kind.EXCUSE  # 刚在开车没法回: the phone, not the task
        return Kind.NEGATED if negated else Kind.REFUSAL
    if nw.DEFERRAL.search(clause):
        return Kind.DEFERRAL
    if nw.INSTRUCTION.search(clause) or nw.ROLE_ORDER.search(clause):
        return Kind.INSTRUCTION
    if nw.OTHER_TOPIC.search(clause) and not nw.HANDED_OVER.search(clause):
        return Kind.OTHER  # 快递收到了: a parcel, not the task
    if ack:
        return Kind.ACK
    if w.NEG_PROMISE.search(clause):
        return Kind.PROMISE
    negator = _NEGATORS.search(nw.CONTRAST.sub("", clause))
    if negator and nw.CONTRAST.match(clause) and not nw.EXCUSE.search(clause):
        return Kind.REFUSAL  # 但是今天起我不值夜班了: a yes taken back
    if negator and nw.EXCUSE.search(clause):
        return Kind.EXCUSE  # 没第一时间回复
    if (
        w.ON_IT.search(clause)
        or w.DONE.search(clause)
        or closings.reports_done(clause)
        or (
            (w.COMMITMENT.search(clause) or w.TIME.search(clause))
            and w.DELIVER.search(clause)
            and not (clause.endswith("了") and not w.FIRST_PERSON.search(clause))
            and not nw.NEWS.search(clause)
        )  # not 3点的带看取消了, 天气预报说明天有大风: news, not a plan
    ):
        if negator or nw.RECORD.search(clause):
            return Kind.OTHER  # 今天又没交作业; 订单1234567已退款
        if nw.IMPERATIVE.search(clause) and not w.FIRST_PERSON.search(clause):
            return Kind.INSTRUCTION  # 今晚值班的同志保持手机畅通: the leader's words
        return Kind.PROMISE
    if nw.EXCUSE.search(clause):
        return Kind.EXCUSE
    if w.FILLER.fullmatch(clause):
        return Kind.FILLER
    if len(clause) <= 8 and w.LABEL.fullmatch(clause) and sep[:1] in ("", " ", ":", "：", "-"):
        return Kind.LABEL
    return Kind.OTHER


def _ack_prefix(clause: str, grammar: Grammar) -> int | None:
    """The length of the name or topic before the acknowledging words; None: no ack."""
    m = grammar.ack_clause.fullmatch(clause) if len(clause) <= _LONGEST_ACK else None
    if m is None:
        return None
    pre, body = m["pre"], m["body"]
    if not pre:
        return 0
    if nw.BAD_PREFIX.search(pre) or nw.OTHER_TOPIC.search(pre):
        return None
    if (pre[-1].isascii() and pre[-1].isalnum()) or body.startswith((AGREE, "中")):
        return None  # 谢谢领导关心🙏: the emoji decorates, it does not answer
    if ONES.fullmatch(body):
        ok = _NAME.fullmatch(pre) is not None  # 张三1
    elif grammar.strong.search(body) is None:  # 好 after 嗯嗯, 王总 or a name only
        named = (  # 赵磊好的; not 羽绒服安排上, not 收到就好
            _NAME3.fullmatch(pre) is not None
            and not body.startswith("安排")
            and grammar.strong.search(pre) is None
        )
        ok = w.FILLER.fullmatch(pre) is not None or named
    else:
        ok = True
    return len(pre) if ok else None


def _english(words: list[str], sep: str) -> Kind:
    if "?" in sep or any(x in nw.EN_NEGATIVE for x in words):
        negative = [x for x in words if x in nw.EN_NEGATIVE]
        if "?" in sep or negative[0] in ("what", "which", "when", "where", "why", "how", "who"):
            return Kind.QUESTION
        return Kind.NEGATED
    if any(x in nw.EN_DEFERRAL for x in words):
        return Kind.DEFERRAL
    acks = [bool(w.EN_ACK.fullmatch(x)) for x in words]
    known = [a or x in w.EN_FILLER or x in w.EN_PROMISE for a, x in zip(acks, words, strict=True)]
    if any(acks) and all(known):
        return Kind.ACK
    if any(x in w.EN_PROMISE for x in words) and known.count(False) <= 3:
        return Kind.PROMISE
    if all(x in w.EN_FILLER for x in words):
        return Kind.FILLER
    return Kind.OTHER


@dataclass(frozen=True, slots=True)
class Grammar:
    ack_clause: re.Pattern[str]
    strong: re.Pattern[str]
    refused: re.Pattern[str] | None


@lru_cache(maxsize=64)
def grammar_of(extra_ack: tuple[str, ...], not_ack: tuple[str, ...]) -> Grammar:
    extra = sorted({normalise(x) for x in extra_ack} - {""}, key=len, reverse=True)
    strong = "|".join([*map(re.escape, extra), w.STRONG_CORE])
    # atomic and possessive: 收到收到收到 splits one way only, so a long clause cannot backtrack
    token = rf"(?>{w.ACK_MODIFIER}{{0,2}}(?:{strong}|{w.WEAK_CORE}){w.PARTICLE}*+)"
    tail = rf"(?:{w.RECEIVED_OBJECT}|{w.ADDRESSEE}|谢谢|谢恩|辛苦了?|thanks|thx|ty)?{w.PARTICLE}*+"
    ack_clause = re.compile(rf"(?P<pre>.{{0,12}}?)(?P<body>{token}++{tail})")
    refused_words = sorted({normalise(x) for x in not_ack} - {""}, key=len, reverse=True)
    refused = re.compile("|".join(map(re.escape, refused_words))) if refused_words else None
    return Grammar(ack_clause, re.compile(strong), refused)
