"""The words that keep a reply from acknowledging: a negated receipt, an excuse, a refusal, a
deferral, a question, an instruction to others, talk about something else. Text is normalised
as in `replies.words`; `replies` decides in which order the groups are tried."""

from __future__ import annotations

import re

from tracker.domain.replies.words import CJK, word_set

CONTRAST = re.compile(r"^(?:但是?|不过|可是|可惜|只是|然而|就是|可|but|however)")

# Negated receipt or understanding: 没收到, 还没到, 看不懂, 不太明白, 打不开.
NOT_RECEIVED = re.compile(
    r"[没未无](?:有|能)?(?:太|怎么|很|完全|全|咋|大|看|听)?"
    r"(?:收到|收着|接到|接收|看到|看见|瞅见|瞧见|看懂|看明白|看清|懂|明白|理解|清楚|了解|知道|"
    r"收|到|见"
    r"|注意到|听懂|听清|弄懂|搞懂|get)"
    r"|[看收听搞弄读找][不没](?:懂|到|明白|清|见|了解|太懂|太明白|着)"
    r"|(?:打|点|下载|加载|显示|登|登录)不(?:开|了|出|上|进)"
    r"|不(?:太|是很|大|怎么|很|是太|甚)?(?:明白|懂|清楚|理解|了解|知道|看懂|听懂|弄懂|搞懂|"
    r"收到|接到|ok|妥)"
    r"|还没(?:到|来|发|收|看)|没有?(?:附件|文件|通知|消息|链接|数据|权限|资料|账号|模板)|"
    r"看不了|没看(?:到|见)?$|还没有?$"
    r"|not\s*(?:yet|received|sure|ok|clear)|didn'?t|haven'?t|don'?t\s+(?:get|understand|see|know)"
    r"|no\s+idea|idk|\bno\b|confused"
)

# An excuse before the reply: what was missed is the phone, not the task.
EXCUSE = re.compile(
    r"下次(?:一定)?(?:及时|早点)回|"
    r"(?:刚|才|之前|午休|睡|开车|开会|忙|路上|抱歉)[^,，]{0,6}?没(?:看|注意|留意|听)(?:到|"
    r"见)?(?:提示音?|消息|手机)?$|抱歉|久等|回复?(?:晚|迟)|晚了?点?回|刚(?:才|刚)?(?:在|去|忙|开|"
    r"下|醒|午休)|开会|开车|路上|在外|信号|没网"
    r"|没(?:看|注意|留意|顾上看|来得及看)到?(?:手机|消息|群|微信|信息|@)|没(?:及时|第一时间)|"
    r"在忙|忙完"
    r"|刚醒|睡着|午休|没听到|不方便(?:看|回)|没法回|没来得及回|才(?:有空)?(?:回|看)"
)

REFUSAL = re.compile(
    rf"[排腾抽派挤找]不(?:开|出|到)|[{CJK}]不(?:了(?!解)|来|过来)|"
    rf"[做干弄办搞去赶完写交跑接]不(?:成|完|"
    rf"上|定)|来不及"
    r"|赶不上|没空|没时间|顾不上|忙不过来|没(?:法|办法)|无法|不能|(?<!都)不行|不太行|不方便|"
    r"不可以|不去|不做"
    r"|不干|不弄|不参加|不接|不归我|不负责|不是(?:我|这个)|不在(?:这个|那个)?(?:组|部门|项目|"
    r"公司)|调岗|离职"
    r"|请了?假|休假|调休|算了|才怪|(?:下次|下回|下个?月|明年|改天)一定$|不加班|恕难从命|难以从命|"
    r"爱莫能助|无能为力|够呛|"
    r"不一定|恐怕|"
    r"可能(?:不|没)|人手不够|没人手|另请|另找|找别人|你找|"
    r"让[^我]{1,4}(?:弄|做|办|去|来|处理|负责)吧"
    r"|你们(?:弄|做|处理)吧|不想|拒绝|没精力|不同意|反对|有意见|不会(?:弄|做|用|写|搞|操作|整)|"
    r"做不来|搞不来|才有空|有事"
    # a yes turned round (OK个鬼, 收到个屁, 1你个头), a joke (下辈子一定), opting out (那我不管了)
    r"|(?<![一两几每这那哪某半整单])个(?:鬼|屁|锤子|毛线?|球|头|蛋|啥)$|你个(?:大头)?(?:鬼|头)"
    r"|下辈子"
    r"|不管(?:了|啦|喽|这|那)|不掺和|不关我(?:的)?事|与我无关|爱咋咋"
    # quitting (那我退出, 退群了), a flat no to the order itself (我们不执行, 不配合)
    r"|退出(?!登录|账号|重)|退群|辞职|不(?:执行|配合|参与|接受|服从)"
    # mockery before a quoted promise: 好一个“马上完成”, 所谓的“马上”
    r"|^(?:好|真是|真)一?个$|^所谓的?$"
    r"|can'?t|cannot|won'?t|unable|not\s+(?:today|now|available|me|possible|able)|busy|nope|👎"
)

DEFERRAL = re.compile(
    r"再(?:查?看|说|议|定|研究|商量|考虑|讲|聊|确认)|回头再|改天|以后再|有空再|先放|放一放|搁置|"
    r"不急|等等看|想想$"
    r"|等.{0,8}再说|考虑(?!到)|再想想|想一想$"
    r"|(?:待会|晚点|回头|稍后|有空|改天|下周|下个月|以后|过几天|"
    r"过两天)(?:再)?(?:看看?|看一下|瞧瞧|研究)"
    r"|(?:下周|下个月|以后|过段时间|过阵子|下次)再|得等|等.{1,8}再[弄做搞办看发]|先忙完|(?:先|"
    r"得)问问|请示一下|"
    r"忙完手上|马上(?:就|到)?(?:明年|后年|下个?月|下辈子|退休)|^(?:稍后|晚点|"
    r"等会|待会)(?:再)?回复?$|"
    r"later|maybe\s+tomorrow"
)

QUESTION = re.compile(
    rf"\?|什么|啥|哪|谁|(?<![这那前后好头们])几(?:点|时|号|天|个|份|页|张|位|月|周|小时|分钟)|怎么"
    rf"|怎样|咋|多少|"
    rf"如何|为何|为什么"
    rf"|是否|([{CJK}])[不没]\1|还是.{{1,12}}$|吗|(?<![这那怎什多要])么|(?<![好行是对的得说以])嘛|"
    rf"(?<![不说得])[没否]有?$"
    r"|(?:收到|看到|明白|懂|ok|好|到|看|发|交|了)不$|ok不ok|(?:^|\s)(?:what|which|when|where|"
    r"why|how|who)\b"
    rf"|[{CJK}]{{2}}不$|是吧|对吧|(?:收到|到|看到|明白|了)吧$"
)

REPLY_LATER = re.compile(r"(?:稍后|晚点|等会|待会)(?:再)?回复?")

QUESTION_PARTICLE = re.compile(r"(?:了|过)?(?:吗|么|呢|嘛|吧|没有?|否|不)")

INSTRUCTION = re.compile(
    # not 请王老师查收: politeness after one's own work (请大家查收 is a leader's)
    r"^(?:请(?!指示|指正|批示|领导|(?!大家|各位|所有|全体|家长|同学|[\u4e00-\u9fff]{0,2}们)"
    r"[\u4e00-\u9fff]{0,3}(?:查收|查看|审阅|审核|过目|验收|放心))|务必"
    # 大家都挺累的 describes; 大家都回复一下 tells
    r"|大家(?!都?(?:挺|很|太|比较|特别|有点|非常|蛮|辛苦|忙))|各位|所有人|全体|没回复?的|"
    r"未回复?的"
    r"|麻烦(?:大家|各位|你|您)|速回)|回(?:复)?(?:1|个|一下|收到)|的扣1|请扣1|都扣1|请回|"
    r"(?<!已)(?<!已经)接龙(?!了|啦|好)|"
    r"的请|的(?:同事|同学|各位)(?=请|务必|要|都|注意|准时)|的抓紧|别忘|不要忘|的话|强调|扣钱|"
    r"罚款|重申|^注意|(?<!我)记得|"
    r"把.{1,12}(?:发|交|"
    r"传|报|拿)(?:给)?我|(?:发|传)(?:给)?我$"
    r"|(?<!我)你们?(?:几个|俩|两个)?(?:也|赶紧|快|抓紧|先|记得|去|要|把|再|负责|帮|来)|@所有人"
    r"|必须|(?<!交)给我$"
)

# Whom an instruction is told to; after a yes, one that names nobody restates the order to
# oneself (明白，今天起出库单必须双人签字) rather than giving one (收到，请各位准时交接).
ADDRESSED = re.compile(
    r"你|您|大家|各位|所有|全体|们|^请|务必|记得|别忘|不要忘|帮忙|[发给交]我|扣1|回复|接龙"
    r"|同志|同事|同学"
)

# Words that tell others what to do; a promise says them about oneself (我会保持手机畅通).
IMPERATIVE = re.compile(r"带上|加强|保持|提前准备|的同志|同志们|全员|一律|不得")

# A leader's words to a group of people or a changed plan: 各科室周三前报送材料, 组会改到周四.
ROLE_ORDER = re.compile(
    r"^(?:各[\u4e00-\u9fff]{1,3}|[\u4e00-\u9fff]{1,3}(?<![他她它])(?:员|们|同学|同志|同事))"
    r"(?=今|明|本|下|周|每|这|务必|请|要|必须|把|于)"
    r"|改到|改为|改成|调整为|推迟到|顺延|延期到|给我看|拍一下给我"
)

# A record's own number (订单1234567已退款) or someone else's doing (客户已经退货了): news.
RECORD = re.compile(r"[\u4e00-\u9fff]\d{5,}|^(?:客户|买家|顾客|对方|供应商|他|她)们?(?:已经?|都)")
HANDED_OVER = re.compile(r"(?:交|送|还|放|锁)(?:给|到|回|进)")  # 钥匙已经交给保安了: the work

# A name or topic before the words; these cannot be one (reported speech, someone else's).
OTHER_TOPIC = re.compile(r"快递|红包|包裹|外卖|礼物|货物|工资|奖金|转账|钥匙|网线|电脑好了")

# News of the day, not the sender's plan: the weather, health, a mood, a crowd, a sale, a spouse.
NEWS = re.compile(
    r"天气|预报|下[雨雪]|大风|降温|升温|台风|暴雨|雾霾|气温|[好真]冷|[好真]热|发烧|感冒|咳嗽|生病|"
    r"开心|高兴|郁闷|好多人|人好多|人真多|卖(?:出去|了|掉)|^我?(?:老婆|老公|媳妇|儿子|女儿|闺女)"
)

# Talk about life, not work: after an acknowledgement it shows the yes was about something else.
CHITCHAT = re.compile(
    r"奶茶|咖啡|钓鱼|吃饭|吃啥|火锅|聚餐|唱歌|打球|爬山|逛街|电影|游戏|[妈爸]|老婆|老公|孩子|"
    r"宝宝|我请|请客|猫|狗"
    r"|念叨|周末一起"
)

BAD_PREFIX = re.compile(
    r"(?<![您你]说)的(?!消息|通知|指示|安排|文件|意思|要求|任务|事|流程|规定|制度"
    r"|方案)[\u4e00-\u9fff]{1,4}$|^请|"
    r"^[这那](?![边事条])|货|钱|[不没未别非莫勿甭]|(?<![您你])说|讲|告诉|(?<![顾访学慰疑])问|人都"
    r"|帮|替|给你|的$|^你|"
    r"他|"
    r"她|它|客户|供应商"
)

EN_DEFERRAL = word_set("later maybe tbd")

EN_NEGATIVE = word_set(
    "not no nope didn't didnt can't cant cannot won't wont don't dont haven't havent unable "
    "busy leave off sick "
    "what which when where why how who idk sorry? confused"
)
