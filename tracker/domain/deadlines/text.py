"""Text preparation for the deadline reader: same-length cleaning and Chinese numerals.

`clean` keeps every character at its index, so a phrase found in the cleaned text can be cut from
the original message: full-width forms become ASCII, a few traditional characters become
simplified ones, ASCII letters become lower case, and numbers that are not times (@mentions,
links, e-mail addresses, phone, order and room numbers, amounts, percentages, versions, "第3季度")
are overwritten with spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Traditional characters that occur in deadline words, each followed by its simplified form.
_FOLD = (
    "週周點点時时號号後后內内兩两鐘钟個个於于遲迟終终間间禮礼會会議议樓楼層层線线門门廳厅館馆"
    "單单訂订編编學学開开過过這这當当幾几來来給给為为從从塊块萬万億亿碼码討讨論论聯联繫系決决"
    "調调補补電电網网斷断閉闭節节請请準准場场運运遞递項项帳帐證证車车櫃柜臺台歲岁設设辦办處处"
    "說说題题問问現现還还"
)


def _translation() -> dict[int, str]:
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "
    table.update({ord(c): c.lower() for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
    table.update({ord(_FOLD[i]): _FOLD[i + 1] for i in range(0, len(_FOLD), 2)})
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u301c":
        table[ord(dash)] = "-"
    return table


_TABLE = _translation()

_CN = "[零〇一二两三四五六七八九十百千]"
# Patterns start only where a run of their characters starts, so long runs stay linear.
_NUM = rf"(?:(?<![0-9.])[0-9]+(?:\.[0-9]+)?|(?<!{_CN}){_CN}+)"
_URL_CHARS = r"[a-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
_PLACE = "室楼线门口厅馆房床桌位机台车窗柜文令店院库仓展厂道路街站包箱球梯码座栋层屏件"

NOISE = re.compile(
    "|".join(
        (
            rf"(?:https?://|www\.){_URL_CHARS}+",
            r"(?<![a-z0-9._%+\-])[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)+",
            r"@[a-z0-9_]+",
            r"(?<![a-z0-9\-.])[a-z0-9\-]+(?:\.[a-z0-9\-]+)*"
            rf"\.(?:com|cn|net|org|io|gov|edu|cc|me|top|xyz)(?![a-z])(?:/{_URL_CHARS}*)?",
            r"(?<![0-9])(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}(?![0-9])",
            r"(?<![0-9])0[0-9]{2,3}-[0-9]{7,8}(?![0-9])",
            r"(?<![0-9])[48]00-?[0-9]{3}-?[0-9]{4}(?![0-9])",
            r"(?:(?<=订单|运单|快递|合同|发票|批次|项目|房间|车牌|证件|序列|流水|航班|车次|会议)"
            r"|(?<=[单编工学票账帐卡型])|(?<=身份证))号\s*[:：]?\s*[a-z0-9][a-z0-9\-_/]*",
            r"(?:no\.?|#)\s*[0-9][0-9a-z\-]*",
            r"(?<![a-z])v[0-9]+(?:\.[0-9]+)*",
            r"(?<![0-9.])(?!20[0-9]{2}\.[0-9]{1,2}\.[0-9]{1,2}(?![0-9.]))[0-9]+(?:\.[0-9]+){2,}",
            r"版本\s*[0-9]+(?:\.[0-9]+)*|(?<![0-9.])[0-9]+(?:\.[0-9]+)+\s*版",
            r"(?<![a-z])(?!ddl|deadline|due)[a-z]+[0-9][a-z0-9._\-]*",
            r"(?<![0-9a-z.])[0-9]+(?!(?:am|pm|h|hrs?|hours?|mins?|minutes?)(?![a-z]))[a-z]+",
            r"[¥$￥]\s*[0-9][0-9,]*(?:\.[0-9]+)?",
            rf"(?:人民币|rmb)\s*{_NUM}",
            rf"{_NUM}\s*(?:万|亿|千)?\s*(?:元|块|rmb|美元|美金|港币|欧元|日元|英镑)",
            rf"(?<![0-9.])[0-9]+(?:\.[0-9]+)?\s*(?:万|亿|[%‰])|百分之{_CN}+",
            rf"第\s*{_NUM}\s*(?:个|季度|季|期|次|名|条|章|节|点|批|轮|届|周|天|日|号|页|项|步"
            rf"|阶段|部分|组|年|月|位|次)?",
            rf"{_NUM}\s*号\s*(?:会议室?|会场|[{_PLACE}])[0-9a-z\-]*",
            rf"{_NUM}\s*(?:楼|层|栋|幢|座|单元|号线|线|室|路|排|列|号房)"
            r"\s*[0-9a-z\-]*(?:室|房|号)?",
            r"(?<![0-9])[0-9]{2,}(?:室|房)",
            r"(?<![0-9])[0-9]{5,}",
        )
    )
)


# Every match of NOISE starts with one of these.
NOISE_START = re.compile(r"[0-9a-z@#¥$￥.%+\-_号版人第零〇一二两三四五六七八九十百千]")


def scan(pattern: re.Pattern[str], start: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches `pattern.finditer(text)` finds, tried only where `start` matches.

    For a pattern whose matches all begin with one of a few characters this skips the rest of
    the text cheaply; a big alternation is otherwise tried at every position.
    """
    pos = 0
    while (hit := start.search(text, pos)) is not None:
        found = pattern.match(text, hit.start())
        if found is None or found.end() == found.start():
            pos = hit.start() + 1
            continue
        yield found
        pos = found.end()


def clean(text: str) -> str:
    """The text normalised for reading times, with every character still at its index."""
    text = text.translate(_TABLE)
    parts, done = [], 0
    for noise in scan(NOISE, NOISE_START, text):
        parts += [text[done : noise.start()], " " * (noise.end() - noise.start())]
        done = noise.end()
    return "".join(parts) + text[done:] if parts else text


_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_DIGITS.update({"五": 5, "六": 6, "七": 7, "八": 8, "九": 9})
_UNITS = {"十": 10, "百": 100, "千": 1000}


def cn_number(token: str, positional: bool = False) -> int | None:
    """An integer from ASCII digits or Chinese numerals ("十二", "零五"), else None.

    Digit by digit ("二〇二六") only when `positional`; otherwise "三五" is vague and gives None.
    """
    if token.isascii():
        return int(token) if token.isdigit() else None
    if not any(ch in _UNITS for ch in token):
        if len(token) > 1 and not positional:
            return None
        value = 0
        for ch in token:
            if ch not in _DIGITS:
                return None
            value = value * 10 + _DIGITS[ch]
        return value
    total, digit = 0, 0
    for ch in token:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _UNITS:
            total += (digit or 1) * _UNITS[ch]
            digit = 0
        else:
            return None
    return total + digit
