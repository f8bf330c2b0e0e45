"""Checks on candidate phrases: reject those that set no deadline.

Rejected are past times, recurring schedules, "after" phrases (3点以后), durations without 内/后,
times relative to an event ("明天开会前"), dates given as information ("明天放假"), deferrals
("下周再说"), a day or period that only describes something ("明天的会议", "本月回款情况")
and numbers that only look like clocks or dates ("以下三点", "快一点", "完成了1/3").
"""

from __future__ import annotations

import re

from tracker.domain.deadlines.grammar import DAY_LEVEL, Candidate, effective, strength
from tracker.domain.deadlines.tokens import Token

_INFO = re.compile(
    r"[\s)\]】]*(?:开始|也|都|全天|全体|正常|照常|早点|好好)?(?:放假|休假|休息|调休|补班|停电|停水"
    r"|停网|断网|不上班|不用上班|上班|休市|闭馆|不办公|是假期|过节|出差|请假|外出|年假)"
    r"|的?(?:会|会议|活动|培训|例会)?(?:取消|暂停)"
)
_DEFERRAL = re.compile(
    r"[^，,。.!！？?；;\n]{0,20}?(?:再(?:说|议|定|看|商量|讨论|处理|安排|决定|通知|联系|研究|聊)"
    r"|待定|另行通知)"
)
# 开会 in 明天开会前; a gap opening a new clause (把/将/给/请 …: 下班前把售后记录补齐) is no event
_EVENT_GAP = re.compile(r"(?![把将给请让叫要先])的?[\u4e00-\u9fff]{1,6}")
_CLOCK_NOUN = re.compile(
    r"\s*(?:要求|意见|建议|注意|事项|内容|问题|原因|理由|说明|看法|想法|措施|体会|儿|[：:、])"
)
_BARE_PERIODS = frozenset({"本周", "这周", "本月", "这个月", "这月", "今年", "本年", "本季度"})
# After a bare 本周/本月 these start a predicate ("本周把计划交了", "本月完成"); any other Chinese
# character makes the period an attribute of a noun ("本周客户拜访计划", "本月回款情况").
_PERIOD_PREDICATE = re.compile(
    r"\s*(?:[把将要得须需就都请先再也还给内前底末，,。.!！;；\s]|$|之内|以内|结束|务必|一定|尽快|抓紧"
    r"|完成|提交|上交|交[给到齐上了]|发[给我到群出送]|报[给上送]|上报|做[完好出]|写[完好]|整理|准备"
    r"|落实|跟进|处理|安排|确认|回复|反馈|核对|检查|联系|统计|汇总|补[齐全交]|修改|更新|搞定|弄好)"
)
_DOT_DATE_VERB = re.compile(r"\s*(?:交|提交|上交|完成|报送)")
_FRACTION_AFTER = re.compile(r"\s*(?:的|左右|以上|以下|多|强|弱)")
_FRACTION_BEFORE = re.compile(r"(?:[了约占近超达过有的]|完成|进度)$")
_CLOCK_PREV = frozenset("第这那几哪有共讲说提述了")
_CLOCK_PREV2 = frozenset({"以下", "如下", "以上", "上述", "下面", "前面", "最后", "其中"})


def usable(cand: Candidate, text: str, next_token: Token | None) -> list[Token] | None:
    """The tokens to resolve, or None when the candidate sets no deadline."""
    if cand.kinds() & {"PAST", "RECUR"}:
        return None
    tokens = effective(cand)
    if not _well_formed(tokens, text) or _context_rejects(cand, tokens, text, next_token):
        return None
    return tokens


def _first(tokens: list[Token], kind: str) -> Token | None:
    return next((t for t in tokens if t.kind == kind), None)


def _well_formed(tokens: list[Token], text: str) -> bool:
    """A duration needs 内/后/未来 and is past with 前; 后/起 after a point means "after it";
    a lone 12.15 or 1/3 must read as a date; a bare 三点 must not be a count."""
    kinds = {t.kind for t in tokens}
    dur, suffix = _first(tokens, "DUR"), _first(tokens, "SUF")
    if not kinds - {"PRE"}:
        return False
    if dur is None and "AFTER" in kinds:
        return False
    if dur is not None and not (kinds & {"SUF", "AFTER", "PRE"} or dur.value[2]):
        return False
    if dur is not None and suffix is not None and suffix.value[1]:
        return False
    date = _first(tokens, "DATE")
    if date is not None and date.value[5] and not kinds - {"DATE", "DAY"}:
        return _bare_short_date(date, text)
    clock = _first(tokens, "CLOCK")
    return clock is None or not _clock_is_number(tokens, clock, text)


def _context_rejects(
    cand: Candidate, tokens: list[Token], text: str, next_token: Token | None
) -> bool:
    """True for 明天放假 (information), 下周再说 (deferral), 周一到周五每天 (recurring) and
    明天开会前 / 周四回来后 (a time hanging on an event)."""
    if _INFO.match(text, cand.end):
        return True
    if text.startswith("的", cand.end) and not any(t.kind == "CLOCK" for t in tokens):
        return True  # 明天的会议, 本周的工作: the day only describes something
    if text[cand.start : cand.end] in _BARE_PERIODS and not _PERIOD_PREDICATE.match(
        text, cand.end
    ):
        return True  # 本周客户拜访计划, 本月回款情况: the period names which data, not when
    if strength(tokens, text) <= 0 and _DEFERRAL.match(text, cand.end):
        return True
    if next_token is None:
        return False
    gap = text[cand.end : next_token.start]
    if next_token.kind == "RECUR" and not gap.strip():
        return True
    loose = not any(t.kind in ("CLOCK", "DUR", "SUF", "AFTER", "APPROX") for t in tokens)
    loose = loose and not any(t.kind == "POD" and t.value[1] for t in tokens)  # 下班前 is firm
    around_event = next_token.kind == "AFTER" or (next_token.kind == "SUF" and next_token.value[1])
    return loose and around_event and _EVENT_GAP.fullmatch(gap) is not None


def _bare_short_date(date: Token, text: str) -> bool:
    """A lone 12/1 is a date unless it reads as a fraction; a lone 12.15 only before 交/完成."""
    if date.value[5] == ".":
        return _DOT_DATE_VERB.match(text, date.end) is not None
    before = text[max(date.start - 2, 0) : date.start]
    return not (_FRACTION_AFTER.match(text, date.end) or _FRACTION_BEFORE.search(before))


def _clock_is_number(tokens: list[Token], clock: Token, text: str) -> bool:
    """True when a bare "三点"/"3点" is more likely a count ("以下三点要求", "快一点")."""
    hour, guard = clock.value[0], clock.value[3]
    if not guard or any(t.kind in DAY_LEVEL or t.kind == "POD" for t in tokens):
        return False
    marked = any(t.kind in ("PRE", "SUF") for t in tokens)
    if guard == "cn" and hour == 1 and not marked:
        return True
    start = tokens[0].start
    prev = not marked and (
        text[max(start - 1, 0) : start] in _CLOCK_PREV
        or text[max(start - 2, 0) : start] in _CLOCK_PREV2
    )
    return prev or bool(_CLOCK_NOUN.match(text, clock.end))
