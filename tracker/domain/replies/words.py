"""The words a reply is read by, grouped by what they say: here what acknowledges, promises or
reports work, and the fillers and labels around it; what says no, asks, puts off or talks about
something else is in `replies.not_words`. Text here is already normalised
(simplified characters, lower case, 👍/👎/? tokens: see `replies.text`).

Each group is a regular expression; `replies` decides in which order they are tried.
"""

from __future__ import annotations

import re


def word_set(text: str) -> frozenset[str]:
    """The words of a space-separated list."""
    return frozenset(text.split())


CJK = "\u4e00-\u9fff"

# Idioms that carry a negator but say yes, or are politeness; rewritten before anything else.
POSITIVE_IDIOMS = {
    "妥": r"(?<![有是])没有?(?:什么|啥|得|一点|任何|其他|别的)?问[题提]|无问题|毫无问题|不成问题|"
    r"没毛病|没得说|(?<![有是])[没无]有?(?:任何)?(?:意见|异议)"
    r"|没(?:啥|什么)?好?说的(?![\u4e00-\u9fff])"
    r"|不在话下|义不容辞|责无旁贷|没二话|不反对|绝不拖后腿|不拖后腿|不会?耽误|决不|绝不|"
    r"绝对不会?误"
    r"|不会?迟到|不掉链子|没(?:有)?发现(?:任何)?问题|无异常"
    r"|(?:一点儿?|半点|啥|什么|任何)(?:问题|毛病)(?:都|也)没有?",  # 一点问题都没有
    "": r"(?:领导|老师|[\u4e00-\u9fff]总|各位|大家|师傅)好(?![的滴嘞哒吧了啊呀])|不客气|不用谢|"
    r"不辛苦|没事儿?|没关系|不要紧|不碍事|不影响|不错|马不停蹄|不见不散|么么哒?|不胜感激|懂的都懂"
    r"|明白的都懂"
    r"|[早晚]上好|下午好|中午好|大家好|你好|您好|[早晚]安(?![排装全置顿检])|明白人都(?:知道|懂)",
    "抱歉": r"不好意思|对不起|sorry|抱歉",
}
_IDIOM = re.compile("|".join(f"(?P<g{i}>{p})" for i, p in enumerate(POSITIVE_IDIOMS.values())))
_IDIOM_TOKENS = tuple(POSITIVE_IDIOMS)


def without_idioms(text: str) -> str:
    """没问题 -> 妥, 不好意思 -> 抱歉, 不客气 -> "": negators that do not negate are gone."""
    if not _IDIOM.search(text):
        return text
    return _IDIOM.sub(lambda m: _IDIOM_TOKENS[int(m.lastgroup[1:])], text)


# 马上 about the weather or the calendar (马上要下雨了, 马上就放假了) says nothing of the work.
NOT_SOON = (
    r"(?!(?:就|就要|要|到)?(?:下雨|下雪|刮风|降温|升温|变天|天黑|天亮|入冬|入夏|过年|过节|放假|"
    r"开学|放学|下班|开会|上课|下课|考试|周末|月底|年底|春节|国庆|中秋|元旦|端午|清明|到期|截止|"
    r"结束|明年|后年|下个?月|下辈子|退休))"
)
SEPARATORS = r"\s,，.。!！;；、~…:：\-—_/|\"“”‘《》<>()（）\[\]【】*=#"

FIRST_PERSON = re.compile(r"我|咱|俺|本人")
ADDRESSEE = (
    rf"(?:[{CJK}]{{0,2}}(?:总|哥|姐|领导|老板|老师|经理|主任|书记|部长|处长|科长|局长|老大|"
    rf"总监|组长|队长|主管"
    r"|校长|院长|班长|大人|董事长|董|老铁|兄弟们?|姐妹们?|导演|制片|主编|站长|所长|师傅|师父|"
    r"大夫|医生"
    r"|护士长|村长|社长|会长|秘书长|店长|老板娘|头儿|教授|博士)|亲爱的|亲们|家人们|宝子们|"
    r"小伙伴们|同事们|亲|宝|您|各位|大家|boss|"
    r"sir)"
)
PARTICLE = (
    r"(?:了(?!解)|"
    r"[啦拉呀啊哦喔噢嘞勒咧叻的滴哒咯啰嗷哈哟唷耶哇捏吖呐哩撒呢嘛吧鸭嘅噻惹晒哂喇额喵!~👍+]|der|de|"
    r"尊嘟(?!假)|ing|"
    r"[a-z](?![a-z]))"
)
# Words that acknowledge on their own, even after a name or topic: 市场部李四收到, 文件收到了.
STRONG_CORE = (
    r"收到|收悉|已收|收讫|知悉|已知晓|知晓|已查阅|查阅|已阅|阅知|已接收|接收到|已读|了然|已知|"
    r"已明|"
    r"已查看|查看了"
    r"|(?:看|瞅|瞧)(?:到|见|倒)|看了|已看|看过|见到|刚看|看着了"
    r"|明白|了解|理解|懂|知道|晓得|清楚|造了|知道惹|领会|get到?|明了|记住|记下|记好|"
    r"心里有数|有数"
    r"|妥妥?(?:的|当|了)?|欧了|欧啦|欧克|噢啦|哦了|okay|ok+|okok+|要得|好说|放心"
    r"|服从[\u4e00-\u9fff]{0,4}安排|听从[\u4e00-\u9fff]{0,3}安排|听从|得令|遵命|遵旨|领旨|领命|"
    r"接旨|照办|照做|遵照|遵办|执行|落实|服从|谨遵|听(?:指挥|安排|指示"
    rf"|[{CJK}]{{0,3}}的)|[按照依][{CJK}]{{0,6}}(?:要求|安排|指示|意思|吩咐|说的)"
    r"(?:办|做|执行|落实|来)|(?:马上|"
    rf"立即|立刻|即刻|这就|尽快|速)去?"
    r"(?:办|做|弄|安排|处理|跟进)|(?:坚决|保证|一定|确保)(?:完成|做到|办好|做好|落实|"
    r"执行)(?:任务)?|我负责|负责|包的|包在我身上|识做|嗻|喳|[搞整]起|开干|开搞|开工|得嘞|阔以"
    r"|嗯呐|"
    r"嗯哪|嗯哼|嗯嗯"
    r"|yes|yep|yeah|yup|sure|roger|copy|noted|received|understood|acknowledged|affirmative|alright"
    r"|gotcha|omw|aye|seen|👍"
)
# Words that acknowledge only as the whole reply, or after a filler: 好, 行, 对, 嗯, 可以.
WEAK_CORE = (
    r"好得|好的?|好滴|好嘞|好勒|好哒|好吧|好嘅|号的|hao的|hd|彳亍|那好|行的?|行吧|那行|可以的?|"
    r"可|中|成|对的?|是的?|嗯+|恩+"
    r"|哦+|噢+|喔+|收|收啦|阅|稳|冲|安排(?:上|好)?|k+|ya|np|fine|ack|get|扣?1+|\+1+"
)
# Before the words: 马上执行, 坚决照办, 我这边收到, 都明白了.
ACK_MODIFIER = (
    r"(?:坚决|马上|立即|立刻|即刻|一定|保证|全力|遵照|按要求|按时|准时|认真|及时|尽快|尽力|"
    r"这就|我们?|这边"
    r"|都|也|已经?|全部|会|立马|必定|必须|好的|收到|那就|那)"
)
# After a receipt word, what was received: 收到通知, 已阅文件.
RECEIVED_OBJECT = (
    r"(?:通知|消息|信息|文件|附件|任务|指示|指令|安排|要求|邮件|材料|资料|表格|链接|内容|精神|"
    r"工作|命令"
    r"|您的?(?:消息|通知|指示|意思)|领导的?(?:指示|安排|意思)|您的意思|意思)"
)
ON_IT = re.compile(
    r"(?:给|向)(?:您|你|领导)(?:回复|答复|反馈|汇报|发|交|送)|[干冲整搞]就完(?:了|事)"
    # a check before the answer: 跟护士长对一下排班再报上来, 查看一下再回您
    r"|一下[\u4e00-\u9fff]{0,4}(?:再|然后|就)(?:回|报|反馈|答复|给|汇报|告诉|通知|发|交)"
    # an arrangement made: 已托小李帮我交, 已跟主任报备
    r"|(?:(?:已经?|并|我)[拜委]?托|已经?(?:请|让|叫|找))[\u4e00-\u9fff]{1,4}"
    r"(?:帮|代|替|顶|补|在|去)"
    r"|找[\u4e00-\u9fff]{1,4}(?:补|代|顶)"
    r"|(?:已经?|先)跟[\u4e00-\u9fff]{1,5}(?:报备|打过?招呼|报告|汇报)"
    r"|^(?:我|我们|我这边)[\u4e00-\u9fff]{0,4}后?去[\u4e00-\u9fff]{1,4}$|"
    r"正在|^(?:我|我们|这边|已经?)?在(?:弄|做|搞|办|处理|跟|改|写|整理|准备|对接|联系|安排|"
    r"落实|核对|查|赶|统计"
    r"|跑|算|填|画|盘|催|问|汇总|核|录|排|测|修|调|沟通|协调|搞了|路上|赶来|过来|装|卸|搬|运|"
    r"打印|回复|清点|打扫|施工|拆|巡)"
    r"|在(?:去|赶去|赶往)[^,，]{0,8}路上"  # 在去b区的路上了
    # delegated or staffed: 已让班组长组织学习, 排了三个人轮流值守, 我盯着
    r"|已经?(?:让|叫|派|交代|嘱咐|吩咐)了?(?![你您我])[\u4e00-\u9fff]"
    r"|(?:安排|排|派|调|抽)(?:了|好了?)?[\d一二三四五六七八九十两]+(?:个|名|位)?(?:人|同事|保安"
    r"|师傅)"
    r"|(?:我|我们)(?:来|去|亲自|会)?(?:盯|守)着?"
    # relayed: 我跟老王说了
    r"|(?:我|已经?)跟(?![你您])[\u4e00-\u9fff]{1,4}(?:说|讲|交代)(?:了|过|好了)"
    r"|(?:跟进|处理|办理|进行|推进|执行|落实|安排|整理|准备|统计|核对|修改|制作|对接|沟通|协调|"
    r"联系|汇总|编写"
    r"|撰写|赶制|加急处理|加班|核实|筹备|排查|修复)中|这就|"
    rf"马上{NOT_SOON}|立即|立刻|即刻|立马|我来|"
    r"交给我|包在我身上"
    r"|已经?(?:安排|着手|开始|开工|启动|动手|在|排进|排上|提上)|安排(?:了|好了|上了)|着手|"
    r"准时(?:到|参加|参会|出席)"
    r"|准时|按时|(?:一定|保证|马上|准)到|[弄做搞写改理]好(?:了|后)?(?:就|再)?(?:发|给|交|传|"
    r"报)|^(?:等我|给我)[\d一二三四五六七八九十两半]"
    r"|^(?:这个|这事|这件事|此事)?(?:我|我们|我这边|这边)(?:先(?!下|撤|走|忙)|去(?!年)|"
    r"来(?!不)|会|得|马上|现在就|这就|立刻|"
    r"尽快|抓紧|争取|一定"
    r"|保证|负责|明天|今天|下午|晚上|稍后|跟进|处理|对接|落实|安排|联系|协调|提前)"
)
# A promise not to fail again, its negator a promise: 这次不会再漏了, 保证不违规动火.
NEG_PROMISE = re.compile(
    r"(?:不会|不再|绝不|决不|保证不|确保不|一定不|再也不)(?:会|再)?[\u4e00-\u9fff]{0,2}?"
    r"(?:漏|错|迟|忘|犯|误|拖|违|乱|丢|落下|出问题|出岔子|掉链子)"
)
# What is left of work under way: 还有12个待处理, 还剩两排货架.
REMAINING = re.compile(r"^(?:还|只)?(?:有|差|剩下?)[\d一二三四五六七八九十两几半]+")
# How the work still gets done after an obstacle: 已托小李帮我交, 找同事补, 先按文字版做.
REMEDY = re.compile(
    r"托|代[交办签劳班]|替我|帮我|顶[班上替]|补[上交齐发]?|报备|打过?招呼|调班|换班|先按|先用|"
    r"照[\u4e00-\u9fff]{0,6}做|线上|远程|修好"
)
COMMITMENT = re.compile(
    r"尽快|抓紧|争取|保证|一定|届时|稍后|随后|晚点|晚些|待会|等会|等下|一会|回头|预计|计划|"
    r"打算|先|"
    r"我得|得先|提前"
    r"|会|将|去|之后|完了|忙完|以内|之内|前|后|内|就|现在|准时|按时|第一时间|等我|给我|asap|"
    r"soon|will|shortly"
)
TIME = re.compile(
    r"今天|今晚|今日|明天|明早|明日|后天|上午|下午|中午|晚上|早上|傍晚|下班|"
    r"周[一二三四五六日末]|星期.|礼拜."
    r"|\d{1,2}[点时:]|[一二三四五六七八九十两]{1,3}点|\d+号|月底|周末|本周|这周|稍后|随后|"
    rf"一早|这两天|马上{NOT_SOON}|今后|即日起?|从今(?:天|日)?起"
    r"|(?:\d+|[一二三四五六七八九十两半]+)\s*(?:个)?(?:分钟|小时|钟头)|tonight|today|tomorrow|"
    r"eod|\d{1,2}\s*(?:am|pm)"
)
DELIVER = re.compile(
    r"发|给|交|提交|上交|完成|弄|做|搞|办|处理|答复|回复|回你|回您|反馈|汇报|上报|报|安排|落实|"
    r"跟进|跟|核对"
    r"|核实|整理|准备|送|带|出|改|更新|联系|确认|对接|通知|转达|传达|执行|补|填|写|拟|查|检查|"
    r"统计|汇总|提供"
    r"|(?:洗|调|补|摆|贴|装|修|整|收|写|改|做|弄|办|搞|排|放|备|填|录|拍|剪|审|送|交|发|传|打|画"
    r"|搬|印|"
    r"扫|擦|清|理|查"
    r"|核|算|订|约|签)(?:好|完|齐|上去|掉|出来)"
    r"|上传|打印|到场|到岗|到会|到位|(?<![看收听见得])到[\u4e00-\u9fff]{0,3}$|赶到|值班|到校|"
    r"上岗|出勤|到公司|到单位|到现场|参加|"
    r"参会|出席|过去|赶|搞定|解决|修|落地|推进|过一遍|审|签|订|约|同步|问|催|盘|核|算"
    r"|[录导输]入|装车|卸|[回走]访|清点|测|巡|组织|值守|盯|扫描|存档|归档|加固|支援|"
    r"我[\u4e00-\u9fff]{0,4}把(?![我你他她它])[\u4e00-\u9fff\d]{2,}"  # 今晚我把名单整理出来
    r"|send|submit|finish|deliver|reply|update|check|handle|revise|do\b|be\s+there|join|attend"
)
FILLER = re.compile(
    rf"(?:(?:请|麻烦)[{CJK}]{{0,3}}(?:查收|查看|查阅|审阅|过目|确认|审核|看下|看一下|review|"
    rf"check)|[嗯哦噢喔啊呀哈嘿嘻呵哇诶欸唉]+|谢谢|多谢|感谢|谢|辛苦|麻烦了|好嘞|领导|老板|"
    rf"(?:谢谢|多谢|感谢)[{CJK}]{{0,4}}(?:提醒|通知|告知|关心|指导|信任)|"  # 谢谢护士长提醒
    rf"亲|您好|"
    rf"你好|早上好|早安"
    rf"|抱歉|在的?|来了|我在|我|这边|我这边|{ADDRESSEE}|{PARTICLE}|thanks?|thx|ty|hi|hello|"
    rf"haha+|lol|boss"
    rf"|sir|team|dear|guys|嗨)+"
)
LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十])\s*[.、)）:]\s*\S")
CIRCLED = re.compile(
    r"^\s*(?:[\u2460-\u2473\u2776-\u277f]|第[一二三四五六七八九十\d]{1,3}[条点项步]?[:：、,，])"
)
LABEL = re.compile(
    rf"[{CJK}]{{2,3}}|[{CJK}]{{1,6}}(?:部|组|科|处|室|中心|班|队|办|分公司)[{CJK}]{{0,4}}|"
    rf"[a-z]{{2,12}}|[{CJK}]{{1,4}}(?:妈妈|爸爸|家长|奶奶|爷爷|外婆|姥姥|外公|姥爷|妈|爸)"
)

# English: a clause of Latin words is read word by word.
EN_ACK = re.compile(
    r"(?:ok+|okay|okey|okie|dokie|k+|ojbk|oj8k|hd|sd|shoudao|haode|mingbai|zhidao(?:le)?|yes|"
    r"yep|yeah|yup|ya|sure|roger|copy|noted|"
    r"received"
    r"|understood|acknowledged|ack|affirmative|alright|fine|np|gotcha|omw|aye|seen|get|\+?1)+"
)
EN_FILLER = word_set(
    "boss sir madam thanks thank thx ty team dear guys lol haha hi hello all good and the a i "
    "im well "
    "i'm we will be with that it you u too also got right away now sure thing noted der"
)
EN_PROMISE = word_set(
    "will i'll ill gonna going asap soon tonight today tomorrow eod by later send sending do "
    "doing "
    "handle handling on it check checking revise submit finish finishing working there join "
    "attend "
    "be at 9 10 11 12 am pm"
)
# A report of one's own work done: 已发, 搞定了, 报表已发邮箱, 锁已经换了, done.
_DONE_VERB = (
    r"(?:接龙|上报|报送|报|张贴|贴|填报|填|登记|录入|打卡|上传|回收|收齐|统计|签|盖章|寄|转|通知|"
    r"传达|落实|安排|部署|完成|提交|发|交|处理|办|搞定|整理|改|弄|做|核对|核实|联系|对接|回复|"
    r"反馈|换|装|修|退款|退货|[入出]库|清点|清理|消毒|补办|录|派|下单|补货|归档|发放|送)"
)
DONE = re.compile(
    rf"已经?{_DONE_VERB}(?:好|完|出|到位|到|过)?了?(?:群里|邮箱|群|微信|钉钉|您|你|给您|给你)?了?$"
    # 已经把保单资料交到内勤了: what was done with what, in the sender's voice
    rf"|已经?把(?![我你他她它])(?![^,，]*[丢坏忘错漏])[\u4e00-\u9fff\d]{{1,10}}?{_DONE_VERB}"
    r"[\u4e00-\u9fff]{0,6}了$"
    r"|^(?:都|全都|我|我们|这边)?(?:发|交|做|弄|搞|办|写|改|填|传|寄)(?:好|完|出)?了|搞定|"
    r"弄好了|做好了|完成了?$"
    r"|已经?[\u4e00-\u9fff]{1,3}(?:到|给|至)[\u4e00-\u9fff]{1,6}$|^(?:done|finished|completed|"
    r"all\s*done|sent)$"
)
