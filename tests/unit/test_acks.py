"""Ack, done and cancel classification of free-text chat replies."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tracker.domain.replies.acks import is_ack, is_cancel, is_done

ACKS = [
    "收到", "收到！", "收到。", "收到!!", "收到收到", "收到了", "收到啦", "已收到", "好的收到",
    "收到，马上执行", "收到！马上执行", "执行", "马上执行", "立即执行", "坚决执行", "遵照执行",
    "照办", "马上办", "好的", "好", "好滴", "好嘞", "好哒", "好勒", "好的好的", "行", "可以",
    "没问题", "明白", "明白了", "了解", "知道了", "清楚", "是", "是的", "遵命", "得令", "嗯",
    "嗯嗯", "妥", "OK", "ok", "Ok", "okay", "OK👌", "ok👌", "okk", "1", "１", "11", "111", "👍",
    "👍🏻", "👍👍👍", "👌", "✅", "☑️", "✔️", "🫡", "💪", "🙏", "王五收到", "张三：收到",
    "销售部-张三 收到", "我这边收到了", "文件收到了", "收到，下午发你", "好的，我下午发给你",
    "收到👍", "roger", "copy", "noted", "got it", "received", "  收到  ", "@wangzong 收到",
    "收到 谢谢", "收到，是哪个合同？",
]  # fmt: skip

NOT_ACKS = [
    "没收到", "还没收到", "未收到", "并没有收到", "没有收到附件", "收不到", "收到了吗？",
    "收到了吗", "收到吗", "收到没", "收到没有", "收到了没", "收到否", "收到？", "收到?",
    "有没有收到", "是否收到", "大家收到了吗", "是哪个合同？", "好的？", "好不好", "好吗",
    "明白吗", "不明白", "不太明白", "不是很清楚", "不行", "不可以", "执行不了", "无法执行",
    "没法执行", "不执行", "我收到一个投诉", "收到的文件有问题", "1个问题", "10点开会",
    "12345", "好多问题", "行不行", "可以吗", "是吗", "是不是", "是哪个", "什么意思", "嗯？", "👎",
    "", "   ", "谢谢", "辛苦了", "明天再说",
]  # fmt: skip

# Phrasings outside the brief's lists, to check that the rule generalises.
MORE_ACKS = [
    "收到领导", "好的王总", "王总，收到", "收到😊", "好的🌹", "1️⃣", "Got it!", "收到～",
    "我 收到了", "1，收到", "坚决落实", "马上安排", "知悉", "已阅", "市场部 王小明 收到",
    "Roger that", "Will do", "收到👍🏻👍🏻",
]  # fmt: skip

MORE_NOT_ACKS = [
    "你好", "大家好", "book", "1.先做这个", "1、合同", "收到 吗", "有没有问题", "可不可以",
    "请大家执行", "怎么办", "请查收", "好👎", "收到❓", "收到吧", "是吧", "1?", "谁收到了？",
    "你收到了吗", "好像没收到", "什么时候执行？", "看不懂", "不知道", "不妥", "明天可以吗",
]  # fmt: skip

DONE = [
    "已完成", "完成了", "搞定", "搞定了", "做完了", "弄好了", "办好了", "已办结", "已处理",
    "处理好了", "已提交", "交了", "done", "finished", "Done!", "报告已提交", "已完成，请查收",
    "全部完成", "张三：已完成", "已经完成了✅",
    # a report that ends in a firm done phrase
    "合同核对完了，第5条要改，其他没问题，已完成", "报告发你了，完成了", "收到，已完成",
]  # fmt: skip

NOT_DONE = [
    "还没完成", "完成了吗", "完成没", "没搞定", "快完成了", "马上完成", "收到", "明天完成",
    "完成了没有", "搞没搞定", "undone", "已完成吗？", "正在处理", "差不多完成了", "要提交了", "",
    "第5条要改，还没完成", "好的，明天完成", "这个是不是，已完成？", "还差一点，未完成",
]  # fmt: skip

CANCEL = [
    "取消", "#取消", "任务取消", "撤销", "作废", "不用做了", "这个任务取消", "取消吧", "算了",
]  # fmt: skip
NOT_CANCEL = ["取消了吗？", "取消吗", "不取消", "别取消", "要不要取消", "是否取消", "收到", ""]

NAMES = ["", "张三", "李四", "王五", "王总", "张三：", "销售部-张三 ", "@wangzong "]
NEGATORS = ["没", "没有", "未", "还没", "还没有", "并没有", "有没有", "是否", "不是", "并未"]
QUESTION_TAILS = [
    "吗", "了吗", "没", "没有", "了没", "了没有", "否", "?", "？", "了吗？", "吗？", "嘛",
]  # fmt: skip
FOLLOW_UPS = ["", "？", "?", "，", "。", " 张三", "，张三", "大家", "附件", "啊", "，谢谢"]
NEGATED_TAILS = ["", "了", "啊", "呢", "附件", "文件", "，谢谢", "！", "。", " 麻烦再发一次"]
WHITESPACE = st.text(alphabet=st.sampled_from([" ", "\t", "\n", "\r", "\u3000"]), max_size=6)


@pytest.mark.parametrize("text", ACKS + MORE_ACKS)
def test_acknowledgement_phrases_count_as_acks(text):
    assert is_ack(text)


@pytest.mark.parametrize("text", NOT_ACKS + MORE_NOT_ACKS)
def test_negations_questions_and_chatter_are_not_acks(text):
    assert not is_ack(text)


def test_extra_words_from_chat_config_count_as_acks():
    assert not is_ack("拜读")
    assert is_ack("拜读", extra_words=("拜读",))
    assert is_ack("张三：拜读", extra_words=("拜读",))
    assert not is_ack("拜读吗？", extra_words=("拜读",))


@pytest.mark.parametrize("text", DONE)
def test_completion_reports_count_as_done(text):
    assert is_done(text)


@pytest.mark.parametrize("text", NOT_DONE)
def test_unfinished_future_or_questioned_work_is_not_done(text):
    assert not is_done(text)


@pytest.mark.parametrize("text", CANCEL)
def test_leader_cancel_words_cancel_the_directive(text):
    assert is_cancel(text)


@pytest.mark.parametrize("text", NOT_CANCEL)
def test_questioned_or_negated_cancel_is_not_a_cancel(text):
    assert not is_cancel(text)


@given(st.sampled_from(NAMES), st.sampled_from(NEGATORS), st.sampled_from(NEGATED_TAILS))
def test_negated_receipt_is_never_an_ack(name, negator, tail):
    assert not is_ack(f"{name}{negator}收到{tail}")


@given(st.sampled_from(NAMES), st.sampled_from(QUESTION_TAILS), st.sampled_from(FOLLOW_UPS))
def test_asking_whether_received_is_never_an_ack(name, question, follow_up):
    assert not is_ack(f"{name}收到{question}{follow_up}")


@given(st.text(), st.lists(st.text(max_size=5), max_size=3))
@example("\u0000", [])
@example("@", ["@"])
@example("收到" * 500 + "吗", [])
def test_classifiers_never_raise(text, extra_words):
    for result in (is_ack(text, tuple(extra_words)), is_done(text), is_cancel(text)):
        assert isinstance(result, bool)


@given(st.sampled_from(ACKS + MORE_ACKS), WHITESPACE, WHITESPACE)
def test_surrounding_whitespace_does_not_change_an_ack(text, before, after):
    assert is_ack(f"{before}{text}{after}")


RECEIPT_WORDS = ["收到", "看到", "看见", "接到", "收着"]
UNDERSTANDING_WORDS = ["明白", "懂", "理解", "清楚", "了解", "知道", "看懂", "听懂"]
ANY_ACK_WORDS = [*RECEIPT_WORDS, *UNDERSTANDING_WORDS, "好的", "可以", "ok", "OK", "行", "明白了"]
NOT_UNDERSTOOD = ["不", "不太", "不是很", "没", "没太", "还没", "没有", "不大", "并不"]
FILLERS = ["", "嗯", "哦哦，", "抱歉，", "王总，", "张三：", "@wangzong "]


@given(
    st.sampled_from(FILLERS),
    st.sampled_from(NEGATORS),
    st.sampled_from(RECEIPT_WORDS),
    st.sampled_from(NEGATED_TAILS),
)
def test_negated_receipt_of_any_receipt_word_is_never_an_ack(filler, negator, word, tail):
    assert not is_ack(f"{filler}{negator}{word}{tail}")


@given(
    st.sampled_from(FILLERS),
    st.sampled_from(NOT_UNDERSTOOD),
    st.sampled_from(UNDERSTANDING_WORDS),
    st.sampled_from(NEGATED_TAILS),
)
def test_not_understanding_is_never_an_ack(filler, negator, word, tail):
    assert not is_ack(f"{filler}{negator}{word}{tail}")


# 嘛 asks after a receipt word (收到嘛?) but agrees after 行 or 好的 (行嘛, 好的嘛: "fine then").
ASKING_TAILS = [tail for tail in QUESTION_TAILS if "嘛" not in tail]


@given(
    st.sampled_from(FILLERS),
    st.sampled_from(ANY_ACK_WORDS),
    st.sampled_from(ASKING_TAILS),
    st.sampled_from(FOLLOW_UPS),
)
def test_asking_with_any_ack_word_is_never_an_ack(filler, word, question, follow_up):
    assert not is_ack(f"{filler}{word}{question}{follow_up}")


@given(st.sampled_from(FILLERS), st.sampled_from(RECEIPT_WORDS + UNDERSTANDING_WORDS))
def test_receipt_or_understanding_with_ma_asks(filler, word):
    assert not is_ack(f"{filler}{word}嘛")
