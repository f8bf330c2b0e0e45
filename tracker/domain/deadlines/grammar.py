"""Grammar rules: join adjacent tokens into candidate phrases.

A candidate reads left to right as [marker] [day] [part of day] [clock] [marker]:
"截止到本周五下午五点", "明天上午10点前", "半小时内". A range ("3点到5点", "周一至周三")
keeps its two halves; `effective` picks the half that names the deadline. `deadlines.checks`
then rejects the candidates that set none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from tracker.domain.deadlines.tokens import Token

DAY_LEVEL = frozenset({"DAY", "WEEKDAY", "DATE", "PERIOD", "PAST"})
_LEVEL = {"PRE": 0, "RECUR": 1, "POD": 3, "CLOCK": 4, "SUF": 5, "AFTER": 5, "APPROX": 5}
_LEVEL.update({kind: 2 for kind in (*DAY_LEVEL, "DUR")})
_ENDERS = frozenset({"SUF", "AFTER", "APPROX"})
_DAY_OR_POD = frozenset({"DAY", "WEEKDAY", "POD"})
_GAP = re.compile(r"[\s的()\[\]【】]*")
_CLOSING = re.compile(r"[\s)\]】]*")
_RANGE = re.compile(r"\s*(?:到|至|-|~|～)\s*")
_ADVERBS = re.compile(
    r"(?:务必|一定|必须|须|需要|需|要|请|就|得|也|都|在|于|尽量|最好|可以|能|的){1,4}"
)
_PAIRS = frozenset(
    {("DAY", "WEEKDAY"), ("DATE", "WEEKDAY"), ("WEEKDAY", "DATE"), ("PERIOD", "WEEKDAY")}
)


@dataclass(slots=True)
class Candidate:
    tokens: list[Token] = field(default_factory=list)
    split: int | None = None  # where the second half of a range starts

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end

    def kinds(self) -> set[str]:
        return {t.kind for t in self.tokens}


def _joins(cand: Candidate, tok: Token, gap: str) -> str | None:
    """How `tok` continues the candidate across `gap`: "join", "range" (after 到/至/-) or None."""
    last = cand.tokens[-1]
    if last.kind in _ENDERS or (last.kind == "PRE" and len(cand.tokens) > 1):
        return None
    if tok.kind in _ENDERS or tok.kind == "PRE":
        firm_suffix = tok.kind != "PRE" or tok.value[0] == 2
        closing = _CLOSING.fullmatch(gap) is not None
        return "join" if firm_suffix and last.kind != "PRE" and closing else None
    if "DUR" in (last.kind, tok.kind) and last.kind not in ("PRE", "RECUR"):
        return None
    if _GAP.fullmatch(gap):
        if _LEVEL[tok.kind] > _LEVEL[last.kind] or tok.kind == last.kind == "POD":
            return "join"
        days = [t.kind for t in cand.tokens if t.kind in DAY_LEVEL]
        pair = len(days) == 1 and last.kind == days[0] and (days[0], tok.kind) in _PAIRS
        return "join" if pair else None
    if last.kind in DAY_LEVEL and tok.kind in ("POD", "CLOCK") and _ADVERBS.fullmatch(gap):
        return "join"  # 明天务必下班前, 周五一定要在下午3点前
    if cand.split is not None or not _RANGE.fullmatch(gap):
        return None
    kinds = cand.kinds()
    if tok.kind in ("CLOCK", "POD"):
        return "range" if "CLOCK" in kinds else None
    ranged = tok.kind in ("DAY", "WEEKDAY", "DATE") and bool(kinds & DAY_LEVEL)
    return "range" if ranged else None


def assemble(tokens: Iterable[Token], text: str) -> list[Candidate]:
    """Adjacent tokens joined into candidates, in text order."""
    found: list[Candidate] = []
    cand: Candidate | None = None
    for tok in tokens:
        if cand is not None:
            gap = text[cand.end : tok.start]
            tok = _dotted_clock(cand, tok, text, gap)
            how = _joins(cand, tok, gap)
            if how is not None:
                if how == "range":
                    cand.split = len(cand.tokens)
                cand.tokens.append(tok)
                continue
            found.append(cand)
            cand = None
        if tok.kind not in _ENDERS:
            cand = Candidate([tok])
    if cand is not None:
        found.append(cand)
    return found


def _dotted_clock(cand: Candidate, tok: Token, text: str, gap: str) -> Token:
    """H.MM right after a day or a part of the day is a clock: 明天10.30, 下午3.30."""
    if tok.kind != "DATE" or tok.value[5] != "." or cand.tokens[-1].kind not in _DAY_OR_POD:
        return tok
    if not _GAP.fullmatch(gap):
        return tok
    hour, minute = tok.value[2], tok.value[4]
    if len(text[tok.start : tok.end].partition(".")[2]) != 2 or minute > 59:
        return tok
    return replace(tok, kind="CLOCK", value=(hour, minute, hour > 12, ""))


def _week_days(tokens: list[Token]) -> list[Token]:
    """A bare weekday after a week takes that week: 下周 周三, 下周的周三."""
    week = next((t for t in tokens if t.kind == "PERIOD" and t.value[0] == "week"), None)
    if week is None:
        return tokens
    return [
        replace(t, value=(week.value[1], t.value[1])) if t.kind == "WEEKDAY" else t
        for t in tokens
        if t is not week or not any(u.kind == "WEEKDAY" for u in tokens)
    ]


def effective(cand: Candidate) -> list[Token]:
    """The tokens naming the instant: of a range, its end when a marker follows, else its start."""
    if cand.split is None:
        return _week_days(cand.tokens)
    head, tail = cand.tokens[: cand.split], cand.tokens[cand.split :]
    pre = [t for t in head if t.kind == "PRE"]
    if any(t.kind in DAY_LEVEL for t in tail):
        return pre + tail
    if not any(t.kind == "SUF" for t in tail):
        return head
    days = [t for t in head if t.kind in DAY_LEVEL]
    pods = [] if any(t.kind == "POD" for t in tail) else [t for t in head if t.kind == "POD"]
    return pre + days + pods + tail


def strength(tokens: list[Token], text: str) -> int:
    """2 for a firm limit (截止, 最晚, 为止), 1 for 前/内/改到/a duration, 0 for a plain time,
    -1 for a time that only qualifies a noun ("明天的会议")."""
    if any(t.kind in ("PRE", "SUF") and t.value[0] == 2 for t in tokens):
        return 2
    if any(t.kind in ("PRE", "SUF", "DUR") or (t.kind == "POD" and t.value[1]) for t in tokens):
        return 1
    return -1 if text.startswith("的", tokens[-1].end) else 0
