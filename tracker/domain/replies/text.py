"""Bring a chat reply to one spelling before it is read.

NFKC (full-width letters and digits), traditional to simplified characters (OpenCC), lower
case; emoji lose skin tones and joiners and fall into three tokens (👍 agrees, 👎 refuses, "?"
doubts; the rest are decoration and become a space); WeChat codes pasted as text ("[OK]",
"[抱拳]") become the same tokens; a quoted directive before the reply, @mentions and a short
name in brackets ("收到（李四）") are taken away; common English phrases become one word, and an
English work verb inside Chinese its Chinese word (已经share到群里了).
"""

from __future__ import annotations

import re
import unicodedata
from functools import partial

import opencc

AGREE, REFUSE = "👍", "👎"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_T2S = opencc.OpenCC("t2s")

_AGREE_EMOJI = set("👍👌✅☑✔✓🫡💪🙏🆗🤝✊👊✌🙆💯🉑⭕🙋🆒")
_REFUSE_EMOJI = set("👎❌❎🙅🚫✖⛔🈲💔")
_DOUBT_EMOJI = set("🤔❓❔\u2049\u2048😳😕🧐🤨😵")
# Skin tones, variation selectors, keycaps, zero-width marks and gender signs after a joiner.
_MODIFIERS = re.compile(
    "\u200d[\u2640\u2642\u2695\u2696\u2708]|"
    "[\U0001f3fb-\U0001f3ff\ufe00-\ufe0f\u20e3\u200b-\u200d\u2060\ufeff]"
)
_EMOJI = re.compile(
    "[\u2048\u2049\u2190-\u21ff\u2300-\u23ff\u2460-\u24ff\u25a0-\u27bf\u2900-\u297f\u2b00-\u2bff"
    "\U0001f000-\U0001faff\u3297\u3299\u2122\u2139]"
)
_WECHAT_CODE = re.compile(r"\[([^\[\]\s]{1,6})\]")
_WECHAT_AGREE = _words(
    "ok 强 拳头 抱拳 握手 胜利 好的 耶 奋斗 加油 鼓掌 666 赞 好 收到 嗯 嗯嗯 ok了 合十 比心 "
    "得意 机智 嘿哈 强壮 good yes"
)
_WECHAT_REFUSE = _words("弱 no 差劲 拒绝 叉")
_WECHAT_DOUBT = _words("疑问 问号 发呆 晕 what 黑人问号 ?")
_DIALECT_NEGATION = re.compile("木(?=有|问题)|莫(?=得|有)|冇")
# Spellings a phone's input method or a dialect gives for the same words (a homophone picked in
# a hurry, Cantonese 唔 for 不): read as the words they stand for.
_SPELLINGS = {
    "收到到": "收到",
    "收道": "收到",
    "收刀": "收到",
    "收倒": "收到",
    "收稻": "收到",
    "手到": "收到",
    "首到": "收到",
    "明掰": "明白",
    "明拜": "明白",
    "名白": "明白",
    "了姐": "了解",
    "问踢": "问题",
    "号的": "好的",
    "好德": "好的",
    "唔该": "谢谢",
    "咗": "了",
    "唔": "不",
}
_SPELLINGS["知到"] = "知道"  # not inside 通知到
_SPELLING = re.compile(
    "|".join(
        "(?<!通)知到" if w == "知到" else w for w in sorted(_SPELLINGS, key=len, reverse=True)
    )
)
_WECHAT_FACES = _words(
    "微笑 撇嘴 色 得意 流泪 害羞 闭嘴 睡 大哭 尴尬 发怒 调皮 呲牙 惊讶 难过 酷 冷汗 抓狂 吐 "
    "偷笑 愉快 白眼 "
    "傲慢 饥饿 困 惊恐 流汗 憨笑 悠闲 咒骂 嘘 衰 骷髅 敲打 再见 擦汗 抠鼻 坏笑 左哼哼 右哼哼 "
    "哈欠 鄙视 "
    "委屈 快哭了 阴险 亲亲 可怜 菜刀 西瓜 啤酒 咖啡 猪头 玫瑰 凋谢 嘴唇 爱心 心碎 蛋糕 炸弹 "
    "便便 月亮 太阳 "
    "拥抱 勾引 跳跳 发抖 怄火 转圈 捂脸 奸笑 皱眉 吃瓜 汗 天啊 emm 社会社会 旺柴 打脸 哇 "
    "翻白眼 让我看看 叹气 "
    "苦涩 裂开 烟花 爆竹 红包 福 礼物 庆祝 破涕为笑 失望 无语 生病 脸红 恐惧 好的呀"
)
# An English work verb written into a Chinese sentence (已经share到群里了, 我check一下再回您) reads
# as its Chinese word; a reply all in English is read word by word instead.
_EN_VERBS = {
    "check": "查看",
    "share": "分享",
    "sync": "同步",
    "update": "更新",
    "send": "发",
    "submit": "提交",
    "review": "审阅",
    "deliver": "交付",
    "confirm": "确认",
    "upload": "上传",
    "forward": "转发",
    "follow": "跟进",
    "fix": "修",
}
_EN_VERB = re.compile(rf"({'|'.join(_EN_VERBS)})(?:ed|ing)?(?![a-z])(?:\s*up(?![a-z]))?")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_ZERO_K = re.compile(r"(?<![0-9a-z])0k(?![a-z])")
_MENTION = re.compile(r"@[\w\u4e00-\u9fff.\-]+\s*")
_BRACKETED = re.compile(r"[(（【][^()（）【】]{1,12}[)）】]")
# A quoted directive: 「…」, 【引用：…】 or 【张经理：…】 anywhere, "…" or “…” before the answer.
_QUOTE_BLOCK = re.compile(
    r"[「『][^」』]*[」』]|【[^【】]{0,16}[:：][^【】]*】|^\s*[\"“][^\"“”\n]{2,}[\"”](?=\s*[^\s?])"
)
_REPLY_TO = re.compile(r"^\s*回复\s*[^:：\n]{1,16}[:：]")
_QUOTED_LINE = re.compile(r'^\s*["“][^"”]*["”]\s*$')
_DASH_LINE = re.compile(r"^\s*(?:[\-—–_=~·.。]\s*){3,}$")
_EN_PHRASES = re.compile(
    r"\b(?:got\s+(?:it|u|you|ya|that)|gotcha|will\s+do|on\s+it|on\s+my\s+way|i'?m\s+on\s+it"
    r"|copy\s+that|roger\s+that|sure\s+thing|no\s+problem|no\s+prob|no\s+worries|all\s+good"
    r"|right\s+away|consider\s+it\s+done|leave\s+it\s+to\s+me|sounds\s+good"
    r"|thumbs\s+up|ok\s+ok)\b"
)


def normalise(text: str) -> str:
    """The reply in one spelling; separators and "?" are kept for the clause reader."""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        text = _T2S.convert(text)
        if _DIALECT_NEGATION.search(text):
            text = _DIALECT_NEGATION.sub("没", text)
        if _SPELLING.search(text):
            text = _SPELLING.sub(lambda m: _SPELLINGS[m[0]], text)
    text = text.lower().replace("’", "'")
    text = _without_quote(text)
    if "[" in text:
        text = _WECHAT_CODE.sub(_wechat, text)
    if not text.isascii():
        text = _MODIFIERS.sub("", text)
        text = _EMOJI.sub(_emoji, text)
        text = text.replace("\u3000", " ")
    if "@" in text:
        text = _MENTION.sub(" ", text)
    if "(" in text or "（" in text or "【" in text:
        text = _BRACKETED.sub(" ", text)
    if not text.isascii() and _EN_VERB.search(text):
        text = _EN_VERB.sub(partial(_en_verb, text), text)
    if "0k" in text:
        text = _ZERO_K.sub("ok", text)
    if " " in text and _EN_PHRASES.search(text):
        text = _EN_PHRASES.sub(" ok ", text)
    return text.strip()


def addresses_everyone(text: str) -> bool:
    """@所有人 outside any quoted directive: the author speaks to the whole group."""
    unquoted = _without_quote(text)
    return "@所有人" in unquoted or "@全体" in unquoted


def _without_quote(text: str) -> str:
    """The reply after a quoted directive: 「…」, a line of dashes, or 回复 张经理：."""
    if "「" in text or "『" in text or "【" in text or '"' in text or "“" in text:
        text = _QUOTE_BLOCK.sub(" ", text)
    if "\n" in text:
        lines = [line for line in text.split("\n") if not _QUOTED_LINE.match(line)] or [""]
        text = "\n".join(lines)
        cut = [i for i, line in enumerate(lines) if _DASH_LINE.match(line)]
        if cut and cut[-1] + 1 < len(lines):
            text = "\n".join(lines[cut[-1] + 1 :])
        text = "\n".join(line for line in text.split("\n") if not line.startswith(">"))
    if "回复" in text and _REPLY_TO.match(text):
        head, newline, rest = text.partition("\n")  # 回复 刘经理：<the quote>\n<the reply>
        text = rest if newline and rest.strip() else _REPLY_TO.sub(" ", text)
    return text


def _en_verb(text: str, m: re.Match[str]) -> str:
    """check -> 查看 when it touches a Chinese character; an English clause keeps its words."""
    start, end = m.start(), m.end()
    before = text[start - 1] if start else " "
    if "a" <= before <= "z":
        return m[0]  # prefix, checklist
    return _EN_VERBS[m[1]] if _HAN.match(before) or _HAN.match(text, end) else m[0]


def _wechat(m: re.Match[str]) -> str:
    code = m[1]
    token = _token(code, _WECHAT_AGREE, _WECHAT_REFUSE, _WECHAT_DOUBT)
    if token is not None:
        return token
    if code.isdigit():
        return m[0]
    return " " if code in _WECHAT_FACES else code  # [已完成], [图片]: words, not a face


def _emoji(m: re.Match[str]) -> str:
    ch = m[0]
    token = _token(ch, _AGREE_EMOJI, _REFUSE_EMOJI, _DOUBT_EMOJI)
    if token is not None:
        return token
    return "+" if ch == "➕" else " "


def _token(key: str, agree, refuse, doubt) -> str | None:
    """👍, 👎 or "?" for an emoji or a WeChat code that agrees, refuses or doubts."""
    if key in agree:
        return AGREE
    if key in refuse:
        return REFUSE
    return "?" if key in doubt else None
