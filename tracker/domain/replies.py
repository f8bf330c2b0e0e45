"""Read a member's reply: does it acknowledge the directive, and which words decided it.

The reply is normalised (`reply_text`), cut into clauses at punctuation and spaces, and each
clause gets one kind, tried in this order: question, negated receipt, refusal, deferral,
instruction, acknowledgement, on-it or promise, excuse, filler, name label, other. The reply
is then read like a careful person reads it:

- the first clause that says something (not a filler, an excuse or a name) is its head;
- a head that acknowledges (收到, 好的, 1, 👍, 领旨) makes the reply an ACK, a head that
  promises or is on it (下班前发你, 跟进中) a RESPONSE;
- a refusal, negation or deferral anywhere after it undoes that ("好的，不过这周排不开");
  a question after it does not ("收到，是发邮箱吗？");
- a head that asks, negates, refuses, defers or instructs makes it NOT;
- a head that is something else is a RESPONSE when an acknowledgement follows and nothing
  negative is said, else UNSURE (only context can tell: a reply to the directive);
- a long post that merely starts with 👍/✅ is read without it; a numbered list item is NOT.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from functools import lru_cache

from tracker.domain import closings
from tracker.domain import reply_words as w
from tracker.domain.reply_text import AGREE, normalise


class Verdict(enum.Enum):
    ACK = "ack"  # clearly an acknowledgement, even as a bare message
    RESPONSE = "response"  # answers the directive: a promise, a plan, on it
    UNSURE = "unsure"  # neither clearly yes nor clearly no
    NOT = "not"


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


NEGATIVE = frozenset({Kind.QUESTION, Kind.NEGATED, Kind.REFUSAL, Kind.DEFERRAL, Kind.INSTRUCTION})
UNDOING = frozenset({Kind.NEGATED, Kind.REFUSAL, Kind.DEFERRAL})
QUIET = frozenset({Kind.EXCUSE, Kind.FILLER, Kind.LABEL})


@dataclass(frozen=True, slots=True)
class Reading:
    verdict: Verdict
    kind: Kind | None  # the kind of the clause that decided, None for an empty reply
    words: str  # the words that decided, as normalised

    @property
    def acknowledges(self) -> bool:
        return self.verdict in (Verdict.ACK, Verdict.RESPONSE)


@dataclass(frozen=True, slots=True)
class ChatWords:
    """A chat's own habits: more words that acknowledge, words that never do."""

    ack: tuple[str, ...] = ()
    not_ack: tuple[str, ...] = ()


NO_WORDS = ChatWords()
_CLAUSE = re.compile(rf"([^{w.SEPARATORS}?]+)([{w.SEPARATORS}?]*)")
_LATIN_SPACE = re.compile(r"(?<=[a-z0-9'])\s+(?=[a-z0-9'])")
_LATIN = re.compile(r"[a-z0-9'·+]+")
_ONES = re.compile(r"\+?1+")
_NAME = re.compile(rf"[{w.CJK}]{{2,4}}")
_NAME3 = re.compile(rf"[{w.CJK}]{{2,3}}")
_NEGATORS = re.compile(r"[不没未别]")
_INTERJECTION = re.compile(r"[嗯恩哦噢喔啊]+[了啦呀哈]*")
_REPORTED = re.compile(r"说|讲|表示|告诉|回复")
_LIST_END = re.compile(r"^\d{1,2}[.、)）]$|^[-−]\d")
_LONG_POST = 5  # characters after a leading 👍 that make it a post unless they acknowledge
_SHORT_POST = 20  # a longer post after a leading 👍 is news, even when it reports work done
_CLOCK = re.compile(r"(\d)[:：](\d)")
_LONGEST_ACK = 40  # characters: a longer clause says more than yes
_LONG_TAIL = 7  # characters of other talk after an ack that make it about something else


def read_reply(text: str, words: ChatWords = NO_WORDS) -> Reading:
    """What the reply says about the directive; never raises."""
    t = normalise(text)
    if not t:
        decorated = bool(text.strip())  # only 🌹 or 👏: let the context decide
        return Reading(Verdict.UNSURE if decorated else Verdict.NOT, None, "")
    grammar = _grammar(words.ack, words.not_ack)
    if grammar.refused is not None and (m := grammar.refused.search(t)):
        return Reading(Verdict.NOT, Kind.REFUSAL, m[0])
    if ":" in t or "：" in t:
        t = _CLOCK.sub(r"\1点\2", t)  # 7:50 is a time, not a label
    if (
        w.LIST_ITEM.match(t)
        or _LIST_END.match(t)
        or w.CIRCLED.match(text)
        or "\n" in t
        and _numbered_lines(t)
    ):
        return Reading(Verdict.NOT, Kind.INSTRUCTION, t.split("\n")[0][:12])
    if t.startswith(AGREE) and len(rest := t.lstrip(AGREE + " ")) >= _LONG_POST:
        inner, head = _read(rest, grammar)
        first = _CLAUSE.match(rest)
        answered = inner.kind is Kind.ACK or len(rest) <= _SHORT_POST
        if inner.acknowledges and head == 0 and first and inner.words == first[1] and answered:
            return inner
        return Reading(Verdict.NOT, Kind.OTHER, t[:8])
    reading = _read(t, grammar)[0]
    if reading.verdict is Verdict.RESPONSE and text.count("@") >= 2:
        return Reading(Verdict.NOT, Kind.INSTRUCTION, reading.words)  # @张三 @李四 下班前发群里
    return reading


def _numbered_lines(t: str) -> bool:
    lines = [line for line in t.split("\n") if line.strip()]
    return sum(bool(w.LIST_ITEM.match(line)) for line in lines) >= 2


def _read(t: str, grammar: _Grammar) -> tuple[Reading, int | None]:
    t = w.without_idioms(t)
    if " " in t:
        t = _LATIN_SPACE.sub("·", t)
    clauses: list[tuple[str, str]] = []
    for m in _CLAUSE.finditer(t):
        if clauses and w.QUESTION_PARTICLE.fullmatch(m[1]):  # 收到 吗: one question
            clauses[-1] = (clauses[-1][0] + m[1], m[2])
        else:
            clauses.append((m[1], m[2]))
    if not clauses:
        return Reading(Verdict.NOT, Kind.QUESTION if "?" in t else Kind.FILLER, t), None
    kinds = [_kind(c, sep, grammar) for c, sep in clauses]
    if len(clauses) > 1:  # 嗯嗯，收到吗: an interjection before more words is a filler
        kinds = [
            Kind.FILLER if k is Kind.ACK and _INTERJECTION.fullmatch(c) else k
            for k, (c, _) in zip(kinds, clauses, strict=True)
        ]
    head = next((i for i, k in enumerate(kinds) if k not in QUIET), None)
    if head is None:
        return Reading(Verdict.NOT, kinds[0], clauses[0][0]), None
    return _decide(clauses, kinds, head), head


def _decide(clauses: list[tuple[str, str]], kinds: list[Kind], head: int) -> Reading:
    kind, words = kinds[head], clauses[head][0]
    later = list(zip(kinds[head + 1 :], (c for c, _ in clauses[head + 1 :]), strict=True))
    if kind in NEGATIVE:
        turn = _turn(later)  # 我这边人手不够，不过会想办法搞定
        if turn is not None:
            return Reading(Verdict.RESPONSE, turn[0], turn[1])
        return Reading(Verdict.NOT, kind, words)
    undone = next(((k, c) for k, c in later if k in UNDOING or k is Kind.INSTRUCTION), None)
    if undone is not None:
        return Reading(Verdict.NOT, *undone)
    if kind in (Kind.ACK, Kind.PROMISE):
        talk = [c for k, c in later if k is Kind.OTHER and not w.LABEL.fullmatch(c)]
        if any(w.CHITCHAT.search(c) for c in talk):
            return Reading(Verdict.UNSURE, Kind.OTHER, talk[0])  # 好嘞，奶茶我请
        if _ONES.fullmatch(words) and (talk or clauses[head][1][:1] in (".", "、", ")")):
            return Reading(Verdict.NOT, Kind.INSTRUCTION, words)  # 1 准备材料: a list
        answered = any(k in (Kind.ACK, Kind.PROMISE) for k, _ in later)
        if sum(map(len, talk)) >= _LONG_TAIL and not answered:
            return Reading(Verdict.UNSURE, Kind.OTHER, talk[0])
        verdict = Verdict.ACK if kind is Kind.ACK else Verdict.RESPONSE
        return Reading(verdict, kind, words)
    if _REPORTED.search(words):
        return Reading(Verdict.NOT, Kind.OTHER, words)  # 供应商回复说好的: someone else's yes
    if any(k in NEGATIVE for k, _ in later):
        return Reading(Verdict.NOT, next(k for k, _ in later if k in NEGATIVE), words)
    answer = next(((k, c) for k, c in later if k in (Kind.ACK, Kind.PROMISE) and c != AGREE), None)
    if answer is not None:
        return Reading(Verdict.RESPONSE, *answer)
    return Reading(Verdict.UNSURE, Kind.OTHER, words)


def _turn(later: list[tuple[Kind, str]]) -> tuple[Kind, str] | None:
    """A contrast that commits after a difficulty: 不过会想办法搞定, 但是可以线上参加."""
    for i, (k, c) in enumerate(later):
        committed = w.CONTRAST.match(c) and k in (Kind.ACK, Kind.PROMISE)
        if committed and not any(k2 in NEGATIVE for k2, _ in later[i + 1 :]):
            return k, c
    return None


def _kind(clause: str, sep: str, grammar: _Grammar) -> Kind:
    if clause.isdigit() and not _ONES.fullmatch(clause):
        return Kind.OTHER  # 12, 100: a number, not an answer
    if _LATIN.fullmatch(clause) and not _ONES.fullmatch(clause) and not w.DONE.match(clause):
        return _english(clause.split("·"), sep)
    if "?" in sep:
        return Kind.QUESTION
    pre = _ack_prefix(clause, grammar)  # None: not an acknowledgement
    ack = pre is not None
    if (q := w.QUESTION.search(clause)) and not (ack and q[0] == "哪" and "嗯哪" in clause):
        return Kind.QUESTION  # 嗯哪 is a yes; 是否收到 and 收到嘛大家 ask
    negated = w.NOT_RECEIVED.search(clause)
    if negated or w.REFUSAL.search(clause):
        rest = w.EXCUSE.sub("", clause)
        if rest != clause and not (w.NOT_RECEIVED.search(rest) or w.REFUSAL.search(rest)):
            return Kind.EXCUSE  # 刚在开车没法回: the phone, not the task
        return Kind.NEGATED if negated else Kind.REFUSAL
    if w.DEFERRAL.search(clause):
        return Kind.DEFERRAL
    if w.INSTRUCTION.search(clause):
        return Kind.INSTRUCTION
    if w.OTHER_TOPIC.search(clause):
        return Kind.OTHER  # 快递收到了: a parcel, not the task
    if ack:
        return Kind.ACK
    negator = _NEGATORS.search(w.CONTRAST.sub("", clause))
    if negator and w.EXCUSE.search(clause):
        return Kind.EXCUSE  # 没第一时间回复
    if (
        w.ON_IT.search(clause)
        or w.DONE.search(clause)
        or closings.reports_done(clause)
        or ((w.COMMITMENT.search(clause) or w.TIME.search(clause)) and w.DELIVER.search(clause))
    ):
        return Kind.OTHER if negator else Kind.PROMISE  # 今天又没交作业
    if w.EXCUSE.search(clause):
        return Kind.EXCUSE
    if w.FILLER.fullmatch(clause):
        return Kind.FILLER
    if len(clause) <= 8 and w.LABEL.fullmatch(clause) and sep[:1] in ("", " ", ":", "：", "-"):
        return Kind.LABEL
    return Kind.OTHER


def _ack_prefix(clause: str, grammar: _Grammar) -> int | None:
    """The length of the name or topic before the acknowledging words; None: no ack."""
    m = grammar.ack_clause.fullmatch(clause) if len(clause) <= _LONGEST_ACK else None
    if m is None:
        return None
    pre, body = m["pre"], m["body"]
    if not pre:
        return 0
    if w.BAD_PREFIX.search(pre) or w.OTHER_TOPIC.search(pre):
        return None
    if (pre[-1].isascii() and pre[-1].isalnum()) or body.startswith(AGREE):
        return None  # 谢谢领导关心🙏: the emoji decorates, it does not answer
    if _ONES.fullmatch(body):
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
    if "?" in sep or any(x in w.EN_NEGATIVE for x in words):
        negative = [x for x in words if x in w.EN_NEGATIVE]
        if "?" in sep or negative[0] in ("what", "which", "when", "where", "why", "how", "who"):
            return Kind.QUESTION
        return Kind.NEGATED
    if any(x in w.EN_DEFERRAL for x in words):
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
class _Grammar:
    ack_clause: re.Pattern[str]
    strong: re.Pattern[str]
    refused: re.Pattern[str] | None


@lru_cache(maxsize=64)
def _grammar(extra_ack: tuple[str, ...], not_ack: tuple[str, ...]) -> _Grammar:
    extra = sorted({normalise(x) for x in extra_ack} - {""}, key=len, reverse=True)
    strong = "|".join([*map(re.escape, extra), w.STRONG_CORE])
    # atomic and possessive: 收到收到收到 splits one way only, so a long clause cannot backtrack
    token = rf"(?>{w.ACK_MODIFIER}{{0,2}}(?:{strong}|{w.WEAK_CORE}){w.PARTICLE}*+)"
    tail = rf"(?:{w.RECEIVED_OBJECT}|{w.ADDRESSEE}|谢谢|谢恩|辛苦了?|thanks|thx|ty)?{w.PARTICLE}*+"
    ack_clause = re.compile(rf"(?P<pre>.{{0,12}}?)(?P<body>{token}++{tail})")
    refused_words = sorted({normalise(x) for x in not_ack} - {""}, key=len, reverse=True)
    refused = re.compile("|".join(map(re.escape, refused_words))) if refused_words else None
    return _Grammar(ack_clause, re.compile(strong), refused)
