"""Read a member's reply: does it acknowledge the directive, and which words decided it.

The reply is normalised (`replies.text`), cut into clauses at punctuation and spaces, and each
clause gets one kind (`replies.clauses`). The reply is then read like a careful person reads it:

- the first clause that says something (not a filler, an excuse or a name) is its head;
- a head that acknowledges (收到, 好的, 1, 👍, 领旨) makes the reply an ACK, a head that
  promises or is on it (下班前发你, 跟进中) a RESPONSE;
- a refusal, negation or deferral anywhere after it undoes that ("好的，不过这周排不开",
  "了解了，但我们不执行"), unless a remedy follows it ("收到，明天值班去不了，已跟主任报备");
  a question after it does not ("收到，是发邮箱吗？"), nor an order that names no one to obey
  it, which restates the directive ("明白，今天起出库单必须双人签字");
- a head that asks, negates, refuses, defers or instructs makes it NOT, unless a contrast or a
  new sentence acknowledges and commits ("人手不够。通知收到了，我们会按时完成");
- a head that is something else is a RESPONSE when an acknowledgement follows and nothing
  negative is said, else UNSURE (only context can tell: a reply to the directive); a long
  reply's context may hold a difficulty when a later sentence acknowledges and commits;
- a spoken yes run on into the rest by voice input (好的好的那个我知道了) is its own clause;
- a long post that merely starts with 👍/✅ is read without it; a numbered list item is NOT.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from tracker.domain.replies import not_words as nw
from tracker.domain.replies import words as w
from tracker.domain.replies.clauses import ONES, Grammar, Kind, clause_kind, grammar_of
from tracker.domain.replies.text import AGREE, addresses_everyone, normalise


class Verdict(enum.Enum):
    ACK = "ack"  # clearly an acknowledgement, even as a bare message
    RESPONSE = "response"  # answers the directive: a promise, a plan, on it
    UNSURE = "unsure"  # neither clearly yes nor clearly no
    NOT = "not"


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
_INTERJECTION = re.compile(r"[嗯恩哦噢喔啊]+[了啦呀哈]*")
_REPORTED = re.compile(r"(?<!听)说|讲|表示|告诉|回复")  # not 没听说过: unheard of
# Work someone else reports or is said to do: 小王说已经弄好了, 听说二组已经交了, 小赵好像在处理了.
_HEARSAY = re.compile(
    r"^(?:听(?:[\u4e00-\u9fff]{1,4})?说|据说)|^[他她]们?(?:说|讲)"
    r"|^(?![我咱俺])[\u4e00-\u9fff]{1,5}(?<!我)(?:说|讲)(?!明|好|了算|过|的)"
    r"|^(?![我咱俺]).{1,4}好像(?:在|已经?)"
)
_NOTICE_HEAD = re.compile(r"(?:提醒|通知|公告|温馨提示|紧急通知|重要通知)\s*[:：]")
_MATH = re.compile(r"\d\s*[=*/×÷]\s*\d|\d\s*\+\s*\d\s*=")
_LIST_END = re.compile(r"^\d{1,2}[.、)）]$|^[-−]\d")
_LONG_POST = 5  # characters after a leading 👍 that make it a post unless they acknowledge
_SHORT_POST = 20  # a longer post after a leading 👍 is news, even when it reports work done
_CLOCK = re.compile(r"(\d)[:：](\d)")
# A status after a receipt, in the trade's words: 二号线已停机检修 (not 他已经走了, 已经没了).
_STATUS = re.compile(r"^[^他她它不没未]{0,6}已经?(?![是有经不没未])[\u4e00-\u9fff]{2}[^不没未]*$")
_STOP = re.compile(r"[。.!！\n]")  # ends a sentence
_LONG_TAIL = 7  # characters of other talk after an ack that make it about something else
# ... when that talk is news or someone else's: 收到，张主任说已经处理了; 好的，楼下停电了. The
# trade's own words restating the order are the yes (收到，雨雪天气期间我会减速慢行).
_ELSEWHERE = re.compile(
    rf"{nw.NEWS.pattern}|{nw.OTHER_TOPIC.pattern}|{_REPORTED.pattern}|[他她它]|顺便|停电|停水|"
    r"找到|丢了|到了$|原来|也(?:想|去过|是)|[不没未别]|但|不过|可是|才能|申请|报个|顺便"
)
# Speech typed by voice runs on: 好的好的那个我知道了 is 好的好的，我知道了. Only a spoken yes
# (doubled, after 嗯, or with 了) before 那个 or 然后 starts a run-on; not 收到这个消息很震惊.
_YES = r"(?:好的?|好嘞|好滴|收到|明白|知道|了解|清楚|懂|行)"
_VOICE = re.compile(
    rf"(?:^|(?<=[{w.SEPARATORS}]))((?:嗯+|哦+){_YES}+了?|{_YES}{{2,}}了?|{_YES}+了)"
    r"(?:(?:就是|然后)?(?:那个|这个)|然后)(?=[\u4e00-\u9fff]{4})"
)


def read_reply(text: str, words: ChatWords = NO_WORDS) -> Reading:
    """What the reply says about the directive; never raises."""
    t = normalise(text)
    if not t:
        decorated = bool(text.strip())  # only 🌹 or 👏: let the context decide
        return Reading(Verdict.UNSURE if decorated else Verdict.NOT, None, "")
    grammar = grammar_of(words.ack, words.not_ack)
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
    if _NOTICE_HEAD.match(t):
        return Reading(Verdict.NOT, Kind.INSTRUCTION, t[:6])  # 提醒：…: a leader's notice
    if "@" in text and addresses_everyone(text):
        return Reading(Verdict.NOT, Kind.INSTRUCTION, "@所有人")  # a leader's notice
    if _MATH.search(t):
        return Reading(Verdict.NOT, Kind.OTHER, t[:12])  # 1+1=2
    reading = _read(t, grammar)[0]
    if reading.verdict is Verdict.RESPONSE and text.count("@") >= 2:
        return Reading(Verdict.NOT, Kind.INSTRUCTION, reading.words)  # @张三 @李四 下班前发群里
    return reading


def _numbered_lines(t: str) -> bool:
    lines = [line for line in t.split("\n") if line.strip()]
    return sum(bool(w.LIST_ITEM.match(line)) for line in lines) >= 2


def _read(t: str, grammar: Grammar) -> tuple[Reading, int | None]:
    t = w.without_idioms(t)
    if ("个" in t or "然后" in t) and not nw.QUESTION.search(t):
        t = _VOICE.sub(r"\1,", t)  # not 知道这个人吗
    if " " in t:
        t = _LATIN_SPACE.sub("·", t)
    clauses: list[tuple[str, str]] = []
    for m in _CLAUSE.finditer(t):
        if clauses and nw.QUESTION_PARTICLE.fullmatch(m[1]):  # 收到 吗: one question
            clauses[-1] = (clauses[-1][0] + m[1], m[2])
        else:
            clauses.append((m[1], m[2]))
    if not clauses:
        return Reading(Verdict.NOT, Kind.QUESTION if "?" in t else Kind.FILLER, t), None
    kinds = [clause_kind(c, sep, grammar) for c, sep in clauses]
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
    fresh = [bool(_STOP.search(sep)) for _, sep in clauses[head:-1]]  # starts a sentence
    if kind in NEGATIVE:
        turn = _turn(later, fresh if kind in UNDOING else [])  # 人手不够，不过会想办法搞定
        if turn is not None:
            return Reading(Verdict.RESPONSE, turn[0], turn[1])
        return Reading(Verdict.NOT, kind, words)
    undone = next(
        (
            (k, c)
            for k, c in later
            if (k in UNDOING and not nw.REPLY_LATER.fullmatch(c))
            or (k is Kind.INSTRUCTION and nw.ADDRESSED.search(c))
        ),
        None,
    )  # 了解，稍后回复: a yes, then a word on when the answer comes
    if undone is not None:
        remedy = _remedy(later) if kind in (Kind.ACK, Kind.PROMISE) else None
        if remedy is not None:  # 收到，明天值班去不了，已跟主任报备
            return Reading(Verdict.RESPONSE, Kind.PROMISE, remedy)
        return Reading(Verdict.NOT, *undone)
    if kind is Kind.PROMISE and _HEARSAY.search(words):
        return Reading(Verdict.NOT, Kind.OTHER, words)  # news of someone else's work
    if kind in (Kind.ACK, Kind.PROMISE):
        talk = [c for k, c in later if k is Kind.OTHER and not w.LABEL.fullmatch(c)]
        if any(nw.CHITCHAT.search(c) for c in talk):
            return Reading(Verdict.UNSURE, Kind.OTHER, talk[0])  # 好嘞，奶茶我请
        if ONES.fullmatch(words) and (talk or clauses[head][1][:1] in (".", "、", ")")):
            return Reading(Verdict.NOT, Kind.INSTRUCTION, words)  # 1 准备材料: a list
        answered = any(k in (Kind.ACK, Kind.PROMISE) for k, _ in later) or any(
            w.TIME.search(c) or _STATUS.search(c) or w.REMAINING.match(c) for c in talk
        )  # a plan or a status in the trade's own words: 周三前把实勘图传上去, 二号线已停机检修
        elsewhere = next((c for c in talk if _ELSEWHERE.search(c)), None)
        if sum(map(len, talk)) >= _LONG_TAIL and not answered and elsewhere is not None:
            return Reading(Verdict.UNSURE, Kind.OTHER, elsewhere)
        verdict = Verdict.ACK if kind is Kind.ACK else Verdict.RESPONSE
        return Reading(verdict, kind, words)
    if _REPORTED.search(words) or (
        nw.CHITCHAT.search(words) and all(k is not Kind.ACK for k, _ in later)
    ):
        return Reading(Verdict.NOT, Kind.OTHER, words)  # 供应商回复说好的; 收到我妈的电话了
    if any(k in NEGATIVE for k, _ in later):
        asked = any(k is Kind.QUESTION for k, _ in later)  # a question still awaits its answer
        turn = None if asked else _turn(later, fresh)  # 我现在才有空看手机。春游安排明白了，…
        if turn is not None:
            return Reading(Verdict.RESPONSE, turn[0], turn[1])
        return Reading(Verdict.NOT, next(k for k, _ in later if k in NEGATIVE), words)
    answer = next(((k, c) for k, c in later if k in (Kind.ACK, Kind.PROMISE) and c != AGREE), None)
    if answer is not None:
        return Reading(Verdict.RESPONSE, *answer)
    return Reading(Verdict.UNSURE, Kind.OTHER, words)


def _remedy(later: list[tuple[Kind, str]]) -> str | None:
    """After the last obstacle, a plan that still gets the work done: 已托小李帮我交; or an
    obstacle that carries its own (已跟组长请假并托小刘代为参会)."""
    remedy = None
    for k, c in later:
        if w.REMEDY.search(c) and (
            k in (Kind.ACK, Kind.PROMISE) or k in UNDOING and w.ON_IT.search(c)
        ):
            remedy = c
        elif k in NEGATIVE:
            remedy = None
    return remedy


def _turn(later: list[tuple[Kind, str]], fresh: list[bool]) -> tuple[Kind, str] | None:
    """A contrast that commits after a difficulty (不过会想办法搞定, 但是可以线上参加), or a new
    sentence that acknowledges and commits (…人手不够。通知收到了，我们会按时完成)."""
    for i, (k, c) in enumerate(later):
        committed = nw.CONTRAST.match(c) and k in (Kind.ACK, Kind.PROMISE)
        restart = (
            i < len(fresh)
            and fresh[i]
            and k is Kind.ACK
            and any(k2 is Kind.PROMISE for k2, _ in later[i + 1 : i + 2])
        )
        if (committed or restart) and not any(k2 in NEGATIVE for k2, _ in later[i + 1 :]):
            return k, c
    return None
