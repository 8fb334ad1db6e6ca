"""Leads in a rep's words: a new lead, and what happened to one.

- "新线索：远航物流 刘经理 13800001111，展会上认识的", "new lead: Harbor Freight, Ms. Lin, lin@hf.com,
  met at the expo" → create_lead when the CRM works leads (`ParseContext.leads`, LEADS_IN_CHAT;
  without it such a message is CONTRACT.md's prospect deal, read by `activity`). A "new lead" that
  already has a size ("新线索：嘉禾农业，预算800k", "New lead at Fabrikam, $45,000, close by January")
  is a sized opportunity, so it stays the prospect deal either way. Otherwise the company is the first phrase; a phone, an email and a person
  with a title (刘经理, 王总, Ms. Lin) are picked out wherever they are; a channel word (展会, 官网,
  转介绍, expo, website, referral) gives the source; a city the region; the rest is the note;
- "远航物流的线索联系过了", "contacted the Harbor Freight lead" → update_lead contacted;
- "远航物流的线索不合适，预算太低" → update_lead disqualified with the reason;
- "远航物流的线索我来跟", "accept the Harbor lead" → update_lead accepted; "…线索有效" → qualified;
- "把远航物流转成商机", "convert the Harbor Freight lead to a deal" → convert_lead.
"""
from __future__ import annotations

import re

from intents.rules.facts import Draft, Facts

_CREATE = re.compile(r"^\s*(?:有个|有一个|来了个|来了一个|记一?个|记录一?个|加一?个)?\s*新(?:的)?(?:销售)?线索\s*[:：,，\-—\s]\s*"
                     r"|^\s*(?:a\s+)?new\s+(?:sales\s+)?lead\s*[:：,\-—]?\s+", re.I)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(?:\+?86[-\s]?)?(?:1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}|0\d{2,3}[-\s]?\d{7,8})(?!\d)"
                    r"|\+\d{1,3}[\s-]?\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}")
_TITLES = r"(?:总经理|总监|经理|主任|老师|先生|女士|小姐|部长|处长|科长|老板|总|董|工)"
_PERSON_ZH = re.compile(r"[\u4e00-\u9fa5]{1,2}?" + _TITLES)
_PERSON_AT_END = re.compile(r"[\u4e00-\u9fa5]" + _TITLES + "$")  # 远航物流刘经理: one-character surname
_ORG_END = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|公司|集团|工厂|厂|中心|医院|学校|大学|银行|研究所|事务所|工作室)")
_LABEL = re.compile(r"^(?:电话|手机|手机号|联系电话|座机|tel|phone|mobile|邮箱|email|e-mail|联系人|contact)\s*[:：]?\s*", re.I)
_PERSON_EN = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)?")
_SEP = re.compile(r"[，,。;；、\n]+|\s+(?=[\u4e00-\u9fa5])")
_SOURCES = [
    (re.compile(r"展会|博览会|展台|展上"), "展会"), (re.compile(r"官网|网站|网上留言|在线表单"), "官网"),
    (re.compile(r"转介绍|朋友介绍|客户介绍|介绍的|推荐的"), "转介绍"), (re.compile(r"门店|到店|店里"), "门店"),
    (re.compile(r"来电|打电话进来|400"), "电话"), (re.compile(r"天猫"), "天猫"), (re.compile(r"京东"), "京东"),
    (re.compile(r"抖音"), "抖音"), (re.compile(r"微信|公众号"), "微信"), (re.compile(r"广告|投放"), "广告"),
    (re.compile(r"\b(?:trade\s*show|expo|fair|conference)\b", re.I), "trade show"),
    (re.compile(r"\bwebsite|web\s*form|online\s+form\b", re.I), "website"),
    (re.compile(r"\breferr(?:al|ed)\b", re.I), "referral"),
]
_CITIES = ("北京 上海 天津 重庆 广州 深圳 杭州 苏州 南京 无锡 宁波 成都 武汉 西安 长沙 郑州 合肥 济南 青岛 厦门 福州 "
           "东莞 佛山 珠海 昆明 贵阳 南宁 南昌 沈阳 大连 长春 哈尔滨 石家庄 太原 兰州 乌鲁木齐 海口 香港 澳门 台北").split()
_LEAD = r"(?:的|那条|这条|那个|这个)?\s*(?:销售)?线索"
_CONTACTED = re.compile(r"^(?P<lead>.+?)" + _LEAD + r"\s*(?:我|已经|已)*\s*(?:联系过了|联系过|联系了|联系上了|已联系|"
                        r"打过电话了|打过电话|打了电话|通过电话了|沟通过了|沟通过|聊过了|见过了)")
_DISQUALIFY = re.compile(r"^(?P<lead>.+?)" + _LEAD + r"\s*(?P<cue>不合适|不太合适|无效|不靠谱|没戏|不是目标客户|不跟了|放弃)"
                         r"\s*[,，:：。]?\s*(?P<reason>.*)$")
_ACCEPT = re.compile(r"^(?P<lead>.+?)" + _LEAD + r"\s*(?:我来跟|我接了|我来接|我跟进|我来负责|我接手)|"
                     r"^(?:我来跟|我接|接受|接手)(?P<lead2>.+?)" + _LEAD)
_QUALIFIED = re.compile(r"^(?P<lead>.+?)" + _LEAD + r"\s*(?:有效|靠谱|确认有需求|有需求|合格)")
_CONVERT = re.compile(r"(?:把|将)\s*(?P<lead>.+?)(?:的|这条|那条)?\s*(?:线索)?\s*转(?:成|为|化为|化成|到)\s*(?:商机|机会|客户|订单机会)"
                      r"|^(?P<lead2>.+?)" + _LEAD + r"\s*转(?:成|为)?\s*(?:商机|机会|客户)")
_EN_CONTACTED = re.compile(r"\b(?:contacted|called|reached|spoke\s+(?:to|with)|emailed)\s+the\s+(?P<lead>[^,;.!?]{1,60}?)\s+lead\b"
                           r"|^(?:the\s+)?(?P<lead2>.+?)\s+lead\s+(?:is\s+|was\s+|has\s+been\s+)?contacted\b", re.I)
_EN_CONVERT = re.compile(r"\bconvert\s+(?:the\s+)?(?P<lead>[^,;.!?]{1,60}?)(?:\s+lead)?\s+(?:to|into)\s+(?:an?\s+)?"
                         r"(?:deal|opportunity|customer|account)\b", re.I)
_EN_DISQUALIFY = re.compile(r"^(?:the\s+)?(?P<lead>[^,;.!?]{1,60}?)\s+lead\s+(?:is\s+)?(?P<cue>not\s+a\s+fit|disqualified|dead|junk)"
                            r"\s*[,:\-—]?\s*(?:because\s+)?(?P<reason>.*)$", re.I)
_EN_ACCEPT = re.compile(r"\b(?:accept|take|i'?ll\s+take)\s+the\s+(?P<lead>[^,;.!?]{1,60}?)\s+lead\b", re.I)
_TRIM = " \t。.!！~～?？"


def detect(facts: Facts) -> Draft | None:
    text = facts.msg.text.strip()
    created = _create(text) if facts.ctx.leads and not facts.money else None
    if created is not None:
        return created
    for rx, status in ((_CONVERT, None), (_EN_CONVERT, None), (_DISQUALIFY, "disqualified"),
                       (_EN_DISQUALIFY, "disqualified"), (_CONTACTED, "contacted"), (_EN_CONTACTED, "contacted"),
                       (_ACCEPT, "accepted"), (_EN_ACCEPT, "accepted"), (_QUALIFIED, "qualified")):
        m = rx.search(text)
        if m is None:
            continue
        lead = _name(m.group("lead") or (m.groupdict().get("lead2") or ""))
        if not lead:
            continue
        if status is None:
            draft = Draft("convert_lead", m.start(), certainty=0.9)
            draft.args["lead"] = lead
            return draft
        draft = Draft("update_lead", m.start(), certainty=0.9)
        draft.args.update(lead=lead, status=status)
        if status == "disqualified":
            reason = (m.group("reason") or "").strip(_TRIM) or m.group("cue")
            draft.args["reason"] = reason
        return draft
    return None


def _name(text: str) -> str:
    name = re.sub(r"^(?:我|刚才|刚刚|今天|已经|把|将|那个|这个|the)\s*", "", text.strip(), flags=re.I)
    return name.strip(_TRIM + "，,：:")[:100]


def _split_person(company: str) -> tuple[str, list[str]] | None:
    """The company and what follows it in the first phrase (the person, then any rest)."""
    ends = list(_ORG_END.finditer(company))
    if ends and ends[-1].end() < len(company) and _PERSON_ZH.fullmatch(company[ends[-1].end():].strip()):
        return company[:ends[-1].end()].strip(), [company[ends[-1].end():].strip()]
    person = _PERSON_EN.search(company) or _PERSON_AT_END.search(company, 2)
    if person is not None and person.start() > 0:
        rest = company[person.end():].strip()
        return company[:person.start()].strip(), [person.group().strip()] + ([rest] if rest else [])
    return None


def _create(text: str) -> Draft | None:
    m = _CREATE.search(text)
    if m is None:
        return None
    body = text[m.end():].strip()
    args: dict[str, str] = {}
    email = _EMAIL.search(body)
    if email:
        args["email"] = email.group()
        body = body.replace(email.group(), " ")
    phone = _PHONE.search(body)
    if phone:
        args["phone"] = phone.group().strip()
        body = body.replace(phone.group(), " ")
    parts = [_LABEL.sub("", p.strip(_TRIM + " ")) for p in _SEP.split(body)]
    parts = [p for p in parts if p and p.strip(_TRIM + " ")]
    if not parts:
        return None
    company = parts.pop(0)
    split = _split_person(company)
    if split is not None:  # 远航物流刘经理, 星辰医药有限公司王总: the company runs into the person
        company, rest = split
        parts[:0] = rest
    args["company"] = company
    notes = []
    for part in parts:
        if "contact" not in args:
            found = _PERSON_EN.fullmatch(part) or _PERSON_ZH.fullmatch(part)
            if found:
                args["contact"] = part
                continue
        notes.append(part)
    note = "，".join(notes) if any("\u4e00" <= ch <= "\u9fff" for ch in "".join(notes)) else ", ".join(notes)
    if note:
        args["note"] = note
    source = next((name for rx, name in _SOURCES if rx.search(note)), None)
    if source:
        args["source"] = source
    region = next((city for city in _CITIES if city in note or city in company[:len(city)]), None)
    if region:
        args["region"] = region
    draft = Draft("create_lead", m.start(), certainty=0.92)
    draft.args.update(args)
    return draft
