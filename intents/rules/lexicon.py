"""The words that signal what a message is about: stages, channels, visits, reminders, quote
decisions, reports. Patterns run on the lower-cased message; they are compiled with re.ASCII so
that \\b separates an English word from a Chinese character (visit了, remind我).

Stage cues follow CONTRACT.md and are checked for negation and for the future (没中标 is a loss,
预计下月签约 is not a win yet, "won't" is not "won").
"""
from __future__ import annotations

import re
from dataclasses import dataclass


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.ASCII)


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    value: str


# --- stages -----------------------------------------------------------------------------------

STAGES: list[tuple[str, re.Pattern]] = [
    ("lost", _rx(
        r"\blost\b(?!\s+(?:touch|track|contact|my|his|her))|\bwent with\b(?!\s+us\b)|\bgoing with\b(?!\s+us\b)|(?<!not )(?<!n't )(?<!never )\bchose\b(?!\s+us)|"
        r"(?<!not )(?<!n't )(?<!never )\bpicked\b(?!\s+us)|\bsigned with\b|\blost to\b|\b(?:have|'ve|has|had)\s+gone\s+(?:with|for)\b(?!\s+us\b)|\bopted for\b(?!\s+us\b)|\bswitched to\b|closed[- ]lost|\bdeal is dead\b|"
        r"\bcancel(?:led|ed|ling|ing|s)?\b(?=[^,.;:!?\-]{0,30}\b(?:project|deal|order|purchase|contract|rfp|initiative|it)\b)|"
        r"\b(?:project|deal|order|rfp)\b[^,.;:!?\-]{0,20}\bcancel(?:led|ed)\b|no longer (?:interested|moving forward)|"
        r"丢单|丢了|单子丢|流失|输了|输给|选了竞品|选了别家|选择了别家|选了别人|用了别家|落标|没中标|未中标|"
        r"(?:项目|订单|采购|合同)(?:被)?取消|取消了?(?:项目|订单|采购|合作)|黄了|没戏了?|"
        r"被[^,，。!?]{1,8}?(?:拿走|抢走|抢了|拿下|截胡)|不做了|不上了|放弃了(?:采购|合作|项目)?|凉了|凉凉|输掉")),
    ("won", _rx(
        r"\bsigned\b(?!\s+(?:off|an?\s+nda|an?\s+mou|an?\s+loi|the nda|with))|closed[- ]won|"
        r"\b(?:picked|chose|selected|went with|going with)\s+us\b|选了我们|选择了我们|定了我们|"
        r"\bwe won\b(?!['’])|\bwon\b(?!['’]t)(?!\s+(?:the\s+)?(?:lottery))|"
        r"\bpo\b(?:\s+for\b[^,.;!?]{0,20}?)?\s*(?:received|came in|came through|went through|issued|is in|arrived|landed|cut|signed)|(?:received|got|have)\s+(?:the\s+|a\s+|their\s+)?po\b|"
        r"\bclosed\b(?!\s*(?:-?lost|date|the most|most|by))|"
        r"\bclosed?\s*了|签约|签了|签下|签完|签单|签字了|签合同|盖章|盖好章|盖了章|回签|双签|成交|拿下|中标|赢单|赢了|po\s*下来|收到\s*po|po\s*到了|合同签|落单|"
        r"订单(?:已经|已|也)?(?:下了|下来了|到了|来了)|下了订单|下单了|\b(?:the\s+)?order (?:is in|came in|was placed|landed)\b|\bplaced (?:the|an|their) order\b")),
    ("negotiation", _rx(
        r"negotiat\w*|pricing (?:talks|discussion|negotiation)s?|price (?:talks|negotiation)s?|contract review|"
        r"\bredlin\w*|commercial terms|in legal review|"
        r"\b(?:infosec|security|compliance)\b[^,.;!?]{0,30}?\b(?:signed off|approved|cleared|passed)\b|\blegal signed off\b|"
        r"(?:安全|信息安全|合规)(?:评审|审查|审核|部门)?(?:已经|已)?(?:通过|过了|签字|批了)|采购在(?:改|审|压|砍)(?:合同|条款|价)|"
        r"谈判|议价|谈价格?|价格谈判|合同审核|(?:过|对|抠|改)(?:了)?(?:一遍|一下|下)?合同(?:条款)?|合同(?:已经|已|正|也)?在走(?:法务|审批|流程|盖章)?|走法务|在走审批|(?:磨|砍|讲|还|压)了?(?:半天|很久|一下午|一上午|好久|一轮|几轮)?(?:的)?价|审合同|走合同|谈合同|合同谈判|砍价|压价|谈折扣|谈条款|商务谈判|谈妥|敲定价格|价格敲定|卡在法务|法务(?:那边|在审|审核|审|流程|在看)|合同(?:条款)?(?:还|正)?在审|审条款|"
        r"\bwith legal\b|\bstuck (?:in|with) legal\b|\blegal (?:is|are) reviewing\b|"
        r"\b(?:ready|about|set|going|due) to sign\b|\bmov(?:e|ed|ing) to (?:the )?contract\b|out for signature|\bsent (?:over )?(?:the )?contract\b")),
    ("evaluation", _rx(
        r"\bpoc\b|proof of concept|\bpilot\b|\btrial\b|\bdemo(?:ed|'d|s)?\b|\bevaluat(?:ing|ion|e)\b|"
        r"试用|试点|测试|评估|方案评审|演示|对比|选型|比选|\bcompar(?:ing|e)\b|\bshortlist\w*|\bpoc")),
    ("prospect", _rx(
        r"\bnew lead\b|\bnew prospect\b|first contact|initial contact|first call|intro call|"
        r"初次接触|首次接触|第一次接触|初步接触|刚开始接触|刚接触|才开始接触|刚开始聊|初步沟通|有意向|意向客户|新线索|新客户|新商机|潜在客户|新(?:开|建|增)了?(?:一个|个)?商机|"
        r"\bnew opp(?:ortunity)?\b|\bopened (?:a |an )?(?:new )?opp(?:ortunity)?\b")),
]
_STAGE_NEG_CN = re.compile(r"(?:没|未|不|别|没有|还没|尚未|并未|无法)[^,，。]{0,2}$")
_STAGE_FUTURE_CN = re.compile(r"(?:预计|预期|目标|力争|准备|打算|计划|争取|有望|可能|快要?|即将|马上|希望|应该|估计|能|要|会|下周|下个?月|明天|月底|年底)[^,，。]{0,3}$")
_STAGE_NEG_EN = re.compile(r"\b(?:not|n't|never|no|yet to|hasn't|haven't|didn't|won't|will|to be|to|expected to|should|might|may|could|about to|plan to|hope to|going to|before)\s+(?:\w+\s+){0,1}$", re.ASCII)
# a signature about to happen (准备签合同, 马上签约) is the contract stage, not a win yet
_SIGN_SOON = re.compile(r"(?:准备|马上|即将|快要?|就要|就快|等着|下周[一二三四五六日天]?|这周[一二三四五六日天]?|本周[一二三四五六日天]?|明天|后天|周[一二三四五六日天])[^,，。]{0,3}$")
# a signing aimed at, with its date in between (目标12月20号签合同): the close date, not a win
_TARGET_CN = re.compile(r"(?:目标|力争|争取|预计|计划|打算)[^,，。]{0,12}$")
_ESTIMATE = re.compile(r"预计|预期|目标|力争|估计|争取|有望|可能|应该|希望|计划|打算")  # a forecast, not a signing set up
_STAGE_AFTER_EXCLUDE = re.compile(r"^\s*(?:日期|时间|时|date|nda|保密|意向书|框架|mou|loi|验收|回执|确认单|到货|收货|the nda|an nda)", re.ASCII)


_TOPIC_EN = re.compile(r"(?<!['’])\b(?:about|re:?|regarding|through|over|discuss(?:ed)?|review(?:ed)?|recap(?:ped)?)\s+(?:the\s+|our\s+|their\s+|her\s+|his\s+)?$", re.ASCII)


_GOAL = re.compile(r"(?:怎么|如何|怎样|咋|\bhow (?:to|do|can|could|should)\b)[^,，。?？]{0,12}$", re.ASCII)
_NOT_YET_EN = re.compile(r"\b(?:not|n't|never|yet to)\s+(?:[\w']+\s+){0,3}$", re.ASCII)  # has not even run the pilot


# the start of an English yes/no question (is Globex still evaluating?, did you approve 104?)
YES_NO_EN = _rx(r"^\s*(?:is|are|was|were|did|does|do|has|have|had|will|would|any(?:one|body)?|whether)\b")
_ROLE_CN = re.compile(r"(?:负责|主管|分管)[\u4e00-\u9fff]{0,4}$")


def stage_cues(low: str, start: int = 0, end: int | None = None) -> list[Cue]:
    """Stage cues between start and end, negation and future applied (没中标 → lost)."""
    end = len(low) if end is None else end
    found: list[Cue] = []
    for stage, rx in STAGES:
        for m in rx.finditer(low, start, end):
            if any(m.start() < c.end and c.start < m.end() for c in found):
                continue
            before = low[max(start, m.start() - 12):m.start()]
            after = low[m.end():m.end() + 6]
            if stage in ("won", "negotiation", "evaluation") and _STAGE_AFTER_EXCLUDE.match(after):
                continue
            if stage == "evaluation" and (_TOPIC_EN.search(low[max(start, m.start() - 24):m.start()])
                                          or _NOT_YET_EN.search(low[max(start, m.start() - 30):m.start()])):
                continue  # called Nancy about the pilot, walked her through the pilot results: a topic, not a move
            if _ROLE_CN.search(before):
                continue  # 新来的叫陈静，负责技术评估: what a person does, not where the deal is
            if stage == "won" and _GOAL.search(low[max(start, m.start() - 20):m.start()]):
                continue  # 怎么push他们签约, how do we get them closed: a goal asked about, not a win
            if stage == "won" and _TARGET_CN.search(low[max(start, m.start() - 16):m.start()]):
                continue
            if stage == "won" and (_STAGE_NEG_CN.search(before) or _STAGE_FUTURE_CN.search(before)
                                   or _STAGE_NEG_EN.search(before)):
                if m.group() in ("中标",) and _STAGE_NEG_CN.search(before):
                    found.append(Cue(m.start(), m.end(), "lost"))
                elif "签" in m.group() and _SIGN_SOON.search(before) and not _STAGE_NEG_CN.search(before) \
                        and not _ESTIMATE.search(before):
                    found.append(Cue(m.start(), m.end(), "negotiation"))
                continue
            if stage == "lost" and _STAGE_NEG_CN.search(before[-3:]) and not m.group().startswith(("没", "未")):
                continue
            found.append(Cue(m.start(), m.end(), stage))
    found.sort(key=lambda c: c.start)
    return found


# --- channels and visits --------------------------------------------------------------------

CHANNELS: list[tuple[str, re.Pattern]] = [  # in priority order within one clause
    ("event", _rx(r"展会|博览会|博会|交易会|展览|峰会|论坛|大会|研讨会|沙龙|发布会|展台|展位|[\u4e00-\u9fff]展(?=上|里|期间|现场)|"
                  r"在[\u4e00-\u9fffa-z0-9]{1,8}?展(?![示开望现业期])|"
                  r"\bexpo\b|conference(?! call)|trade ?show|\bsummit\b|\bfair\b|meetup|\bbooth\b|webinar")),
    ("video", _rx(r"视频|腾讯会议|飞书会议|钉钉会议|线上会议?|远程会议|zoom|\bteams\b|webex|google meet|\bvideo\b|facetime|skype")),
    ("message", _rx(r"微信(?!电话|语音)|企业微信|短信|发消息|发了消息|回消息|留言|wechat|whatsapp|slack|\btext(?:ed)?\b|messaged|\bdm(?:ed)?\b|\bchat(?:ted)?\b|pinged me|linkedin")),
    ("email", _rx(r"邮件|邮箱|\be-?mail(?:ed|s)?\b|\bmailed\b")),
    ("phone", _rx(r"电话(?!\s*(?:号码?|是|[:：])?\s*[0-9+＋(（]{3})|通话|致电|来电|微信语音|打给|\bcall(?:ed|s)?\b|\bphon(?:e|ed|ing)\b|\brang\b|\bdialed\b")),
    ("onsite", _rx(r"(?<![过回失进出下上不拿送发寄传死离除])去(?![年掉除])了?"
                   r"(?=[^,，。!?;:\s]{2,8}?(?:做|开|聊|谈|演示|拜访|见|交流|汇报|培训|调研|送|参加|考察|现场|那边|那儿|一趟|趟|过了?一遍|过一下|对接|碰|签)|[\u4e00-\u9fff]{2,6}(?:$|[\s,.;!?]))|"
                   r"(?:跑|去|拜访)了[两三四五六几多]\s*家|(?<![过回失进出下上不拿送发寄传死离除])去了(?!解)(?=[\u4e00-\u9fff]{2})|"
                   r"\b(?:went|drove|flew|headed) (?:over |out |down |up )?to (?!contract|legal|procurement|(?:a |the )?competitor|\d)|"
                   r"\b(?:dropped|stopped|swung|popped) (?:by|in|into)\b|"
                   r"在[^,，。;:\s]{1,8}?(?:跟|和|与)[^,，。;:\s]{1,6}?(?:过|聊|谈|对|讨论|开|碰|讲|砍|磨|压)|"
    r"在[^,，。;:\s]{1,6}?开了[^,，。;:]{0,8}?会|"
                   r"在[^,，。;:\s]{1,8}?(?:那边|那儿|那里|公司|办公室|厂里)(?:又|待|呆|坐)?了?[^,，。;:\s]{0,2}?(?:聊|唠|谈|坐|待|呆|开|过|磨)|拜访|上门|登门|到访|来访|当面|面谈|面见|见面|现场|去了趟|去了一趟|跑了一趟|跑了趟|\bvisit(?:ed|ing)?\b|"
                   r"\bon-?site\b|in[- ]person|face[- ]to[- ]face|\boffice\b|\bplant\b|\bfactory\b|\bhq\b|headquarters|"
                   r"\blunch\b|\bdinner\b|\bcoffee\b|\bbreakfast\b|\bmet\b|\bsat down with\b|"
                   r"见了|见到|见面|刚从|从[^,，。]{1,8}?回来|办公室|客户现场|工厂|厂里|车间|他们公司|"
                   r"开会|开了个?会|开的会|开过会|开了[^,，。]{1,4}?会(?!员)|碰头|碰了个?面|见了面|吃了?个?饭|饭局|喝了?个?茶|来公司|来我们公司|参观")),
]
VISIT_VERBS = _rx(
    r"(?:跑|去|拜访|见)了[两三四五六几多]\s*(?:家|个客户)|唠了|聊完|\bphon(?:ed|ing)\b|\bfollowed up\b|\bsat down with\b|"
    r"在[^,，。;:\s]{1,8}?(?:跟|和|与)[^,，。;:\s]{1,6}?(?:过|聊|谈|对|讨论|开|碰|讲|砍|磨|压)|"
    r"(?:跟|和|与)[^,，。;:\s]{1,8}?(?:砍|磨|讲|压|谈|还)了?(?:半天|很久|一下午|一上午|好久|一轮|几轮|一下)?(?:的)?价|碰到|遇到|见了|见到|聊了|沟通了?|交流了|开了个?会|开的会|开过会|开了[^,，。]{1,4}?会(?!员)|约见|面谈|跟进了|回访了|汇报了|过了一遍|对了下|"
    r"吃了?个?饭|喝了?个?茶|碰了个?面|来公司|参观|"
    r"\bmet\b|\bmeetings?\b|\bmtgs?\b|\bvisit|spoke (?:with|to)|talked (?:with|to)|caught up|catch-?up|\bsynced\b|sync with|"
    r"checked in with|walked (?:them|him|her) through|\bpresented\b|ran (?:the|a) demo|\bdemo(?:ed|'d)?\b|"
    r"pinged me|heard from|reached out|got a call|had a call|log(?:ged)? a (?:visit|call|meeting)|做了.{0,4}demo|demo.{0,4}做完|演示")

# the visit happened moments ago: today (刚从青松出来, 刚开完会, just got off a call)
JUST_NOW = _rx(r"刚才|刚刚|刚(?!好|需|性|度|开始|要)|\bjust now\b|\bjust (?:got off|got back|left|finished|wrapped|hung up|had|met|spoke|came out|walked out|heard|sent|told|[a-z]+ed)\b|\ba (?:few|couple of) minutes ago\b")


def channel_in(low: str, start: int, end: int) -> str | None:
    for name, rx in CHANNELS:
        if rx.search(low, start, end):
            return name
    return None


# --- what a message asks for ----------------------------------------------------------------

REMINDER = _rx(
    r"提醒我|提醒一下|提醒下|提个醒|设个提醒|设置提醒|设置一个提醒|加个提醒|建个提醒|定个提醒|记个提醒|提醒[:：]|"
    r"到时候?提醒|别让我忘了|记得提醒|[叫喊]我一(?:声|下)|\bremind\s*(?:me|us)\b|\bremind\s*我(?:一下|下)?|"
    r"\b(?:set|add|create|make|schedule)\s+(?:a\s+|up\s+a\s+|me\s+a\s+)?reminder|\breminder\s*(?:for|to|at|on|:|-)|\bping me\b|\bnudge me\b")
LIST_REMINDERS = _rx(
    r"(?:列|看|查|拉)(?:一下|一列|下)?[^,，。!?]{0,6}?的?(?:提醒|待办|日程)(?!我)|待办|to-?dos?\b|on my plate|我的提醒|有(?:哪些|什么|啥)提醒|提醒列表|提醒都有|(?:有|有啥|有什么)(?:安排|事)|"
    r"要做什么|有什么要做|有啥要做|该做什么|要干(?:啥|什么|嘛)|要做啥|该干(?:啥|什么)|日程|\bwhat do i have\b|\bwhat(?:'s| is) next\b|"
    r"要跟进的|需要跟进的|跟进(?:的)?(?:事|事情|事项)|要做的事|没做的|没办的|待办清单|\bmy reminders\b|\blist (?:my )?reminders\b|"
    r"\banything (?:i|we) (?:need|have) to (?:do|follow up)|\bwhat do i need to (?:do|follow up)|\bwhat(?:'s| is) on (?:my|the) (?:list|agenda)\b|"
    r"what reminders|\bwhat(?:'s| is) (?:due|coming up)|\bagenda\b|\bmy follow-?ups\b|"
    r"\bfollow[- ]?ups?\s*(?:都有|有啥|有哪些|有什么|都是|清单|列表)|\bwhat follow[- ]?ups\b|\bfollow[- ]?ups (?:for|due|this|next|today|tomorrow)\b")
QUOTE_WORD = _rx(r"报价|报个价|\bquotes?\b|\bquotations?\b")
QUOTE_CREATE = _rx(
    r"出个?报价|提个?报价|做个?报价|报个价|申请报价|报价[:：]|发个?报价|给个?报价|要个?报价|"
    r"(?:need|want|wants|submit|raise|create|prepare|draft|send|request|requesting|put in|log|make|new)\b.{0,20}\bquote|"
    r"\bquote\s+(?:for|to)\b|\bquote\s*:|"
    r"\b(?:submit|send|put|raise|file)\s+(?:it|this|that|one)\s+(?:in\s+|through\s+|up\s+)?for approval\b")
APPROVE = _rx(r"\bappr\b|\b(?:a|is a|it'?s a|that'?s a)\s+(?:firm\s+|clear\s+|big\s+)?yes\b(?:\s+from\s+(?:me|my side|us)\b)?|(?<![审特请])批(?=\s*(?:$|[,.!;:]))|批了|批准|核准|核可|准予|同意|通过|可以批|批吧|准了|过了|没问题|\bok(?:ay)?\b|\bapprov(?:e|ed|es|ing)\b|\blgtm\b|green ?light|sign(?:ed)? off|\bgo ahead\b|\baccept(?:ed)?\b")
REJECT = _rx(r"\brej\b|\b(?:a|is a|it'?s a|that'?s a)\s+(?:hard\s+|firm\s+|clear\s+|big\s+)?no\b(?:\s+from\s+(?:me|my side|us)\b)?(?!\s+(?:discount|more|longer|need|change|deal))|(?:(?<=\d)|(?<=\d ))no\b(?=\s*(?:$|[,!;]|\.(?!\s*\d)))|驳回|不批|别批|先不批|暂不批|不要批|拒绝|打回|退回|否决|否了|不通过|不行|不同意|不能批|\bhold off\b|\bdon'?t approve\b|\bdo not approve\b|\breject(?:ed|s|ing)?\b|\bdecline[ds]?\b|\bden(?:y|ied)\b|turn(?:ed)? down|send (?:it )?back|\bno go\b|\bnope\b")
APPROVAL_REQUEST = _rx(r"批一下|帮忙批|请.{0,4}批|麻烦.{0,6}批|审批一下|需要特批|特批|申请审批|for approval|approval on|approve it pls|please approve")
PENDING = _rx(
    r"(?:报价|quotes?|approvals?|审批).{0,12}(?:等我|待审|待批|没审|未审|还没批|没批|批了(?:吗|没有?)|pending|waiting|awaiting|需要我|要我批|审批|"
    r"(?:been|got|get|it) approved|approved yet)|"
    r"待审批|待批|等我审批|等我批|pending (?:my |your )?(?:approval|sign-?off)|(?:waiting|awaiting|pending)\s+(?:for\s+|on\s+)?my\s+(?:sign-?off|approval|review|ok|decision)|待我(?:审批|审|批)|等我(?:审|批)|pending approvals?|waiting (?:on|for) me|\bwhat(?:'s|\s+is)?(?:\s+else)?(?:'s|\s+is)?\s+(?:still\s+)?(?:waiting|pending|outstanding)\b|awaiting (?:my )?approval|needs? my approval|approval queue")
TOP = _rx(
    r"\btop\s*\d+|\btop (?:three|five|ten)\b|\btop\b|前\s*(?:\d+|[一二三四五六七八九十]+)\s*(?:个|名|家)?|排名|排个名|排行|排序|"
    r"最活跃|最多|最大|最高|最好|\bmost\b|\bbiggest\b|\blargest\b|\bhighest\b|\bbest\b|\brank(?:ing|ed)?\b|leaderboard")
ACCOUNT_WORD = _rx(r"客户|排名|排行|排个名|\baccounts?\b|\bcustomers?\b|\bclients?\b|\blogos?\b|\branking\b|leaderboard")
PIPELINE_REPORT = _rx(
    r"pipeline|漏斗|funnel|转化率?|\bconversion|预测|forecast|\bkpis?\b|业绩|达成|\bquota\b|win ?rate|赢率|赢单率|成交率|签单率|胜率|\bhow (?:did|are|is|have) (?:i|we|the team|my team)\s+(?:do|doing|done|been doing|tracking|performing)\b|报表|销售额|"
    r"销售数据|dashboard|看板|\bpipe\b|新增商机|商机(?:数量?|总额|多少)|多少(?:个)?商机|目标完成|完成率|完成情况|\btarget\b|\battainment\b|\btracking\b|签了多少|成交了多少|多少单|几单|成交额|成交金额|签约额|签约金额|签单额|签单金额|回款|营收|\brevenue\b|\bbookings\b|\bhow many deals\b|\bhow much (?:have|did) (?:i|we) (?:close|sign|book)")
DATA_HEALTH = _rx(
    r"数据质量|数据健康|数据完整|重复|重名|同名|录重了|查重|缺漏|遗漏|漏填|缺失|缺(?:少)?(?:了)?(?:联系人|字段|信息|电话|邮箱|资料|行业)|不完整|没填|\bdupes?\b|"
    r"\bduplicates?\b|missing (?:fields?|contacts?|data|info)|data (?:quality|health|hygiene)|completeness|incomplete|clean ?up")
OVERVIEW = _rx(
    # a yes/no question about where a deal is (是不是快签了, 进入谈判了吗, is Globex still evaluating?, did Acme sign yet?)
    r"是不是(?:快|要|已经|还在)?(?:签|成交|丢|谈判|评估)|(?:签|成交|丢|谈判|评估)了?(?:吗|没有?)\s*$|"
    r"^\s*(?:is|are)\s+.{1,40}\b(?:still\s+)?(?:evaluating|negotiating|in negotiation|in evaluation|signing|closing)\b.*\?\s*$|"
    r"^\s*(?:did|has|have)\s+.{1,40}\b(?:sign|signed|close|closed|decide|decided)\b.*\?\s*$|"
    r"情况|汇总|概况|档案|资料|详情|全貌|来龙去脉|360|overview|到哪一?步|什么进度|啥进度|进度(?:如何|怎么样|咋样)|(?:有啥|有什么|有没有|啥|什么)新?进展|近况|咋样了|最近如何|"
    r"(?:我|给我|帮我)?(?:看下|瞅瞅|瞧瞧|过一下|过下|捋一下|捋捋|梳理一下)(?:吧|呗)?\s*$|everything (?:on|about|we have)|pull up|\bsummary\b|"
    r"summari[sz]e|status of|tell me about|brief me|what do we (?:have|know)|背景|怎么样了|进展如何|进展怎么样|最新进展|"
    r"看看|看一下|查一下|查查|\blook up\b|\bshow me\b|全部信息|所有信息|基本信息|客户信息|详细信息|客户画像|"
    r"\brun-?down\b|\blowdown\b|\bbackground on\b|\bcatch me up\b|where are we (?:at )?(?:with|on)\b|\bwhat(?:'s| is) (?:the )?(?:latest|status) (?:on|with)\b")
SUGGEST = _rx(
    r"怎么(?!样)|如何(?!了)|推进吗|有什么办法|有啥办法|有何建议|什么建议|啥建议|给点建议|支招|下一步该|策略|打法|思路|\bideas?\b|\bhow to\b|"
    r"怎么跟进|如何跟进|怎么打动|how (?:do|should|can|could) (?:i|we)\b|what should (?:i|we)\b|any (?:advice|ideas|tips|suggestions)|"
    r"\bsuggest|re-?engage|\bwhat(?:'s| has)? worked\b|\b(?:past|similar|previous|earlier) deals\b|\bdeals like\b|next best|\b(?:best|next) move\b|talk track|话术|what(?:'s| is) the best way|\btips?\b|怎么破|咋办|咋整|出出主意")
# asking the bot for advice, whatever else the message tells (Tailspin went dark after the demo, any tips?)
ADVICE = _rx(
    r"该怎么|怎么办|怎么破|怎么搞|咋办|咋整|如何推进|怎么推进|怎么推(?=[^,，。]{0,4}(?:好|呢|[?？]|$))|怎么(?:往下)?走(?=[^,，。]{0,4}(?:好|呢|[?？]|$))|怎么跟进|如何跟进|怎么打动|怎么突破|有什么办法|有啥办法|"
    r"有什么建议|有啥建议|有何建议|给点建议|支招|出出主意|(?:有什么|有啥|有没有)(?:好的?)?(?:跟进)?(?:策略|打法|思路|招)|\bideas? (?:on|for) how\b|\bany (?:tips|advice|ideas|suggestions)\b|"
    r"\bhow (?:do|should|can|could) (?:i|we)\b|\bwhat should (?:i|we)\b|"
    r"\bhow to (?:get|re-?engage|win|move|push|unblock|handle|speed|close|convince|accelerate|revive|save|approach|respond)\b|"
    r"what(?:'s| is) the best way|\bnext best\b|\b(?:best|next) move\b|\bwhat(?:'s| is) my (?:play|move)\b")
# a report of visits and touches over a period (我上周的拜访记录汇总, visit summary for last week)
ACTIVITY_REPORT = _rx(
    r"拜访(?:记录|情况|量|次数|统计|汇总|明细|数据)|跟进(?:记录|情况|统计)|活动量|客户活跃度|"
    r"\b(?:visit|call|meeting|activity) (?:log|summary|report|count|stats)s?\b|\bhow many (?:visits|calls|meetings|touches)\b")
REASSIGN = _rx(
    r"转给|转交给?|交给|移交给?|划给|划到|划归|归到|分给|分配给|转到|过户给|接手|接管|由(?=[^,，。]{1,6}?(?:负责|接手|接管|跟进|来跟|来管|管))|"
    r"(?:都|全|全部|就|以后|今后)归(?=[^,，。;；]{1,5}(?:[吧了啦。!！,，;；]|$))|(?:客户|名下)[^,，。;；]{0,6}?归|"
    r"(?:以后|今后|往后|之后|从今天起|从现在起|改)(?:就|都)?(?:让|由|交给?)(?=[^,，。;；]{1,5}?(?:来)?(?:跟|负责|管|接))|"
    r"我(?:先|来|就|暂时|临时|帮她|帮他)*(?:接着|接过来|接手|来接|接)(?=\s*(?:[吧了啦呗哈。!！,，;；]|$|这段|几天|一段))|"
    r"\btak(?:e|es|ing) over\b|\btook over\b|(?:客户|名下)[^,，。;；]{0,6}?给(?!我)|\baccounts? (?:go|goes|move|moves) (?:over )?to\b|(?<=\w)\s+(?:goes|go|going|moves)\s+(?:back\s+|over\s+)?to\b|\bpass(?:es|ed|ing)?\b(?=[^.;!?]{0,40}\bto\b)|\bcover(?:s|ing)?\s+(?:his|her|their|\w+'s)\s+(?:accounts?|customers?|book|territory)\b|\breassign\w*|\bhand(?:ed)?(?:\s+(?:over|off))?\b|\btransfer\w*|\bmove\b|\bgive\b|\bassign\b")
NEXT_STEP = _rx(r"下一步(?!该|怎么|如何)|下步|接下来|后续(?:计划)?[:：]?|\bnext steps?\b(?!\?)|\baction items?\b|\bfollow[- ]up:")
NOTE = _rx(r"备注|注[:：]|说明[:：]|\bnotes?\s*[:：-]|\bnote that\b|\bps\b|p\.s\.")
PRODUCT = _rx(
    r"产品是|产品[:：]|\bproduct\s*[:：]|模块|系统|平台|版|二期|三期|一期|项目|license|licen[cs]es|\bmodule|add-?on|"
    r"\bsuite\b|\bplatform\b|\bedition\b|\bpackage\b|\bseats?\b|subscription|renewal|方案|套件|服务|"
    r"升级|改造|扩容|扩展|\bupgrade\b|\bexpansion\b|\brollout\b|\bphase\b|\btier\b|\bbundle\b|\bapp\b|\bsystem\b|\bsoftware\b|\banalytics\b|\bsupport\b|\bmaintenance\b|\bportal\b|\bintegration\b|\bmigration\b|"
    r"\bimplementation\b|\bdashboards?\b|\bconnectors?\b|\bapi\b|\bpilot\b|\bonboarding\b|\btraining\b|维保|许可")
REASON = _rx(
    r"因为|由于|原因|看重|预算|价格|太贵|贵了|便宜|冻结|不上了|不需要|没需求|没钱|砍了|\bbudget|\bprice|\bpricing\b|expensive|"
    r"cheaper|frozen|freeze|because|due to|\bsince\b|reason|timing|priorit|cost|reorg|restructur|merger|acquisition|"
    r"layoff|\bafter\b|in-house|\bciting\b|\bcited\b|\btoo (?:slow|long|expensive|pricey|high|late|complex|risky|big|small|early)\b|"
    r"\balready (?:had|have|has|use|used|using|work)\b|\bincumbent\b|\brelationship\b|\btimeline\b|收购|并购|叫停|搁置|暂停|\bkilled\b|\bblocker\b|\bbuild it\b|合并|重组|裁员|领导|政策|没批|没预算|不划算|性价比|品牌|功能|不满足|不符合|"
    r"自研|自己做|自己开发|自己搞|自建|内部开发|决定")
QUESTION = _rx(r"[?？]|吗|呢|怎么|如何|什么|哪些|多少|几个|\bhow\b|\bwhat\b|\bwhich\b|\bany\b|\bwho\b")
CHITCHAT = _rx(
    r"^(?:谢谢|多谢|感谢|好的|好滴|收到|ok|okay|嗯+|哈+|呵呵|你好|您好|早上好|早安|晚上好|下午好|中午好|晚安|再见|拜拜|辛苦|"
    r"hi|hello|hey|thanks?|thank you|thx|ty|lol|got it|cool|great|nice|bye|good (?:morning|night|evening)|yo|sure|"
    r"morning|evening|how(?:'s| is) it going|how are you|what'?s up|never ?mind|nvm)")
# questions about the product itself, not requests: can I export my reminders?, 怎么设置提醒?
HOW_TO_USE = _rx(
    r"\b(?:can|could|does|do|is|will)\s+(?:i|you|it|this|the bot|we|salesbot)\b[^?.!]{0,50}?"
    r"\b(?:export|import|sync|integrat\w*|connect|calendar|outlook|excel|csv|pdf|api|voice notes?|languages?|"
    r"undo|turn off|disable|notifications?|settings|print|back ?up|offline)\b|"
    r"\bhow (?:do|can|should) (?:i|we)\s+(?:export|import|sync|delete|undo|edit|change|turn off|disable|connect|use\b|"
    r"(?:set|create|add|make|log|submit|raise|enter|record)\s+(?:up\s+)?(?:a|an|the|my)?\s*(?:reminder|visit|quote|call|meeting|deal|opportunity)s?\b)|"
    r"(?:能不能|能否|可不可以|可以|支持|怎么|如何|怎样)[^,，。？?!！]{0,10}?(?:导出|导入|同步到|对接|集成|接入|日历|excel|表格|撤销|关闭通知|打印|备份)|"
    r"(?:怎么|如何|怎样)(?:设置|设|加|建|添加|新建|记录|录入|提交|创建|删除|修改|取消)(?:一个|个|一条|条)?(?:提醒|拜访|报价|商机)")
# asking to be briefed on an account (先给我过一下他们的情况, 联系人和拜访记录我看下): a question, whatever
# visit the message plans
BRIEFING = _rx(
    r"(?:给我|帮我|让我|替我)(?:先)?(?:过一下|过下|捋一下|捋捋|梳理一下|介绍一下|讲讲|说说|看下|看看|看一下|查下|查一下|拉一下|调一下|调出)"
    r"[^,，。;；!！?？]{0,10}?(?:情况|资料|背景|档案|概况|信息|记录|联系人|进展|近况)|"
    r"(?:情况|资料|背景|档案|概况|信息|记录|联系人|进展|近况)(?:给我|我)(?:先)?(?:看下|看看|看一下|过一下|瞅瞅)")
# a request to the bot that opens the message: what follows is what to look up, not a report
ASK_FIRST = _rx(
    r"^\s*(?:(?:pls|please|can you|could you|hey)\s+)?(?:brief me|catch me up|tell me about|pull up|look up|give me (?:an? )?(?:overview|summary|rundown)|"
    r"what(?:'s| is) (?:the )?(?:status|latest)|where are we|rundown|summary of|summari[sz]e)\b")
ABOUT_THE_BOT = _rx(r"你|机器人|you|your|this (?:thing|bot|app|tool)|bot")

COMPETITORS = _rx(
    r"华为云?|阿里云|阿里巴巴|阿里|腾讯云|腾讯|用友|金蝶|浪潮|神州数码|东软|中软|字节跳动|字节|飞书|钉钉|京东|百度|顺丰科技|顺丰|海康威视|海康|"
    r"大华|中兴|联想|曙光|紫光|华三|新华三|帆软|泛微|致远|纷享销客|销售易|明源|"
    r"\bsap\b|\boracle(?: retail)?\b|salesforce|microsoft|dynamics|hubspot|\bzoho\b|\baws\b|amazon|google|\bibm\b|workday|"
    r"servicenow|snowflake|databricks|siemens|\bdell\b|\bhp\b|cisco|accenture|deloitte|\binfor\b|epicor|pipedrive|"
    r"freshworks|veeva|tableau|palantir|kingdee|yonyou|huawei|alibaba|tencent")
COMPETITOR_LEAD = _rx(
    r"(?:被|选了|选择了|用了|换成了?|换了|输给了?|输掉给|对手是?|竞品是?|竞争对手是?|"
    r"(?:也|还|同时)(?:在)?(?:跟|和|与)|(?:也|还|同时)在(?:看|比|谈|接触|评估|对比)|(?:跟|和|与)(?=[^,，。]{2,12}?(?:竞争|pk|比拼|抢))|"
    r"\b(?:went with|going with|gone with|gone for|opted for|chose|picked|signed with|switched to|lost to|losing to|"
    r"lost (?:the |our |this |that )?[\w\- ]{2,30}? to|vs\.?|versus|against|"
    r"also (?:talking|speaking|meeting) (?:to|with)|also (?:looking at|evaluating|considering)|(?:up|competing) against|competing with|"
    r"compar\w+ (?:us )?(?:with|to)))\s*(?:the\s+)?")
# a rival named before what it does: Oracle is in the mix, 用友也在投, 华为也参与了
COMPETITOR_AFTER = _rx(
    r"\s*(?:is|are)\s+(?:also\s+)?(?:in the mix|in the running|bidding|pitching|competing|at the table)\b|"
    r"\s*(?:也|还|同时)(?:在)?(?:投|投标|参与|竞标|报价|来抢|在抢|进来了)")
RIVALRY = _rx(r"竞争|对手|竞品|比较|pk|\bvs\b|versus|against|compet\w*|rival")
NOT_COMPETITOR = {"别家", "别人", "竞品", "其他家", "对手", "友商", "我们", "us", "them", "another vendor",
                  "a competitor", "competitor", "the competition", "other vendor", "其他"}
