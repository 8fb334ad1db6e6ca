"""What a message says about a deal beyond its stage: which deal, the competitor, why it was lost.

`deal_name` prefers an open deal of the account that the text names (exactly, or by a telling part
of its name: 扩容 for 数据平台扩容, GMP for GMP 合规系统); otherwise a phrase shaped like a deal
name (北辰的产线质检项目, the fraud detection deal, a clause like 智慧教务系统).
"""
from __future__ import annotations

import re

from intents.rules.facts import Facts
from intents.rules.lexicon import (
    COMPETITOR_AFTER, COMPETITOR_LEAD, COMPETITORS, NOT_COMPETITOR, PRODUCT, REASON, RIVALRY,
)
from intents.rules.text import CJK, Span, tidy
from storage.names import Entry

_GENERIC_CJK = {"系统", "平台", "项目", "数据", "管理", "方案", "一期", "二期", "三期", "升级", "服务", "软件",
                "合同", "采购", "客户", "产品", "模块", "中心", "智能", "信息", "技术", "解决", "建设", "改造"}
_GENERIC_EN = {"system", "platform", "project", "suite", "deal", "module", "data", "the", "and", "for",
               "pilot", "phase", "upgrade", "renewal", "services", "service", "solution", "program"}
_CN_DEAL = re.compile(r"(?:的)?([\u4e00-\u9fffA-Za-z0-9 ]{2,12}?)(?:项目|这单|那单|这个单子?|单子|的单|一单)")
# a deal named by what is built, right after the account: 明远的智慧教务系统, 海纳门店补货平台
_CN_BUILT = re.compile(r"(?:的)?([\u4e00-\u9fffA-Za-z0-9]{2,10}?(?:系统|平台|模块|中台|一期|二期|三期|扩容|升级|改造))")
_TALKED_ABOUT = re.compile(r"(?:聊了?|谈了?|讨论了?|介绍了?|演示了?|过了一遍|关于)(?:一下|下)?([\u4e00-\u9fffA-Za-z0-9]{2,10}?(?:系统|平台|模块|中台|一期|二期|三期|扩容|升级|改造))")
# a built thing that is what a clause talks about (明年的储能监控二期要上, 郑总说仓储调度二期选了顺丰,
# ，订货平台二期她们老板点头了): after 的, 说 or the start of a clause, named by what it is, with
# a phase or an upgrade after it kept in the name
_BUILT_SUBJECT = re.compile(r"(?:^|(?<=[，,。；;：:！!？?\s])|(?<=的)|(?<=说))"
                            r"((?:(?![的了着过说问签谈聊拜访改到推定在是要把让给跟和])[\u4e00-\u9fffA-Za-z0-9]){2,10}?(?:系统|平台|模块|中台|[一二三四五]期)"
                            r"(?:[一二三四五]期|扩容|升级|改造)?)(?![\u4e00-\u9fff]{0,2}(?:的|之))")
# words that point at a deal without naming it: 这个项目, 那边的单子
_NOT_A_NAME = re.compile(r"^(?:这|那|哪|此|该|本|这个|那个|这次|那次|这边|那边|这边的|那边的|他们|他们的|对方|对方的|客户|我们|我们的|新|大|小)$")
_CN_CONTRACT = re.compile(r"把([\u4e00-\u9fffA-Za-z0-9 ]{2,12}?)的?合同")
_EN_KINDS = r"(deal|project|opportunity|opp|initiative|upgrade|rollout|expansion|renewal|rfp|module|integration|migration|implementation|pilot|portal|platform|suite)"
# kinds that are part of the name (the MES upgrade, the fraud module); the others only point at it (the Acme deal)
_EN_KIND_KEPT = {"upgrade", "rollout", "expansion", "renewal", "rfp", "module", "integration", "migration",
                 "implementation", "pilot", "portal", "platform", "suite"}
_EN_DEAL = re.compile(r"^\s*(?:'s\s+)?((?:[A-Za-z0-9][\w\-]*\s+){0,3}?[A-Za-z0-9][\w\-]*?)\s+" + _EN_KINDS + r"\b", re.ASCII)
# a deal named after "the" anywhere in the text: signed the MES upgrade, lost the fraud module to FICO
_EN_THE_DEAL = re.compile(r"\bthe\s+((?:[A-Za-z0-9][\w\-]*\s+){0,2}?[A-Za-z0-9][\w\-]*?)\s+" + _EN_KINDS + r"\b", re.ASCII)
_EN_NOT_A_NAME = re.compile(r"^(?:whole|new|big|same|other|next|first|last|current|entire|original|this|that|our|their|"
                            r"whole new|full|main|q[1-4]|[0-9]+)$", re.ASCII)
_VERBISH = re.compile(r"[了着过说问签谈聊拜访改到推定在是要把让给跟和]|\b(?:is|was|are|we|they|got|has|have|to|in|on|a|an|"
                      r"signed|closed|won|lost|moved|pushed|slipped|bought|renewed|agreed|wants?|needs?)\b", re.ASCII)


def deal_name(facts: Facts, account: Entry | None, spans: list[Span], account_end: int | None) -> str | None:
    """The deal the spans talk about, if they name one."""
    return known_deal(facts, account, spans) or _phrase(facts, spans, account_end)


def known_deal(facts: Facts, account: Entry | None, spans: list[Span]) -> str | None:
    """The name of the account's deal the spans name: in full, or by a telling part of its name
    that no other deal of the account shares."""
    if account is None:
        return None
    low = " ".join(facts.msg.low[s.start:s.end] for s in spans)
    deals = facts.index.deals_of(account.id)
    exact = [d for d in deals if d.name.lower() in low]
    if len(exact) == 1:
        return exact[0].name
    partial = [d for d in deals if any(t in low for t in _telling_parts(d.name))]
    if len(partial) == 1:
        return partial[0].name
    return None


def _telling_parts(name: str) -> set[str]:
    low = name.lower()
    parts = {w for w in re.findall(r"[a-z0-9][a-z0-9\-]{2,}", low) if w not in _GENERIC_EN}
    for run in re.findall(r"[\u4e00-\u9fff]+", low):
        parts.update(run[i:i + 2] for i in range(len(run) - 1) if run[i:i + 2] not in _GENERIC_CJK)
    return parts


def _phrase(facts: Facts, spans: list[Span], account_end: int | None) -> str | None:
    msg = facts.msg
    text = msg.text
    if account_end is not None:
        after = text[account_end:account_end + 40]
        m = _EN_DEAL.match(after)
        if m and not _VERBISH.search(m.group(1)):
            keep_kind = m.group(2) in _EN_KIND_KEPT
            end = account_end + (m.end(2) if keep_kind else m.end(1))
            return msg.original(account_end + m.start(1), end)
        for rx in (_CN_DEAL, _CN_BUILT):
            m = rx.match(after)
            found = Span(account_end + m.start(1), account_end + m.end(1)) if m else None
            if m and not _VERBISH.search(m.group(1)) and CJK.search(m.group(1)) \
                    and not _NOT_A_NAME.match(m.group(1).strip()) \
                    and not any(found.overlaps(x.span) for x in facts.mentions):  # 明远吴老师演示…: a person
                return msg.original(account_end + m.start(1), account_end + m.end(1))
    for s in spans:
        m = _CN_CONTRACT.search(text, s.start, s.end)
        if m:
            return msg.original(m.start(1), m.end(1))
    for s in spans:  # signed the MES upgrade, lost the fraud module to FICO
        for m in _EN_THE_DEAL.finditer(text, s.start, s.end):
            words = m.group(1).strip()
            if not _VERBISH.search(words) and not _EN_NOT_A_NAME.match(words.lower()) \
                    and not any(Span(m.start(1), m.end(1)).overlaps(x.span) for x in facts.mentions):
                return msg.original(m.start(1), m.end(2) if m.group(2) in _EN_KIND_KEPT else m.end(1))
    for s in spans:  # 聊了储能监控二期的预算: a built thing after a verb of talking
        m = _TALKED_ABOUT.search(text, s.start, s.end)
        if m and not _VERBISH.search(m.group(1)) and not _NOT_A_NAME.match(m.group(1)):
            return msg.original(m.start(1), m.end(1))
    taken = [x.span for x in facts.mentions + facts.dates + facts.money + facts.discounts]
    for s in spans:  # 明年的储能监控二期要上: a built thing a clause is about
        for m in _BUILT_SUBJECT.finditer(text, s.start, s.end):
            found = Span(m.start(1), m.end(1))
            if not _VERBISH.search(m.group(1)) and not _NOT_A_NAME.match(m.group(1)) \
                    and not any(found.overlaps(t) for t in taken):
                return msg.original(m.start(1), m.end(1))
    for s in spans:  # a clause that is only a name: 智慧教务系统 (not 方案他们基本认可, a sentence)
        chunk = tidy(text[s.start:s.end])
        if 3 <= len(chunk) <= 14 and _name_shaped(chunk) and not _VERBISH.search(chunk) \
                and not any(ch.isdigit() for ch in chunk) and not any(s.overlaps(t) for t in taken) \
                and not facts.stages_in(s):
            return msg.original(s.start, s.end)
    return None


_SUBJECT = re.compile(r"他们|她们|我们|咱们|对方|他|她|基本|已经|认可|同意|满意|觉得|认为|希望|考虑|很|没有|不错")


def _name_shaped(chunk: str) -> bool:
    """A product or project name ends with what it is (教务系统, 补货平台, 仓储调度升级) and holds
    no subject or predicate words (他们, 基本, 认可)."""
    low = chunk.lower()
    if _SUBJECT.search(chunk):
        return False
    ends = [m.end() for m in PRODUCT.finditer(low)]
    return bool(ends) and (not CJK.search(chunk) or max(ends) >= len(low) - 2)


def competitor(facts: Facts, spans: list[Span], lost: bool) -> str | None:
    """The named competitor: 被华为拿走, 选了顺丰科技的方案, went with Salesforce, vs Oracle."""
    low, text = facts.msg.low, facts.msg.text
    for s in spans:
        for m in COMPETITOR_LEAD.finditer(low, s.start, s.end):
            if low.startswith("被", m.start()) and not _TAKEN.match(low, m.end(), s.end):
                continue  # 被收购了, 被砍了: something happened to the customer, no rival named
            known = COMPETITORS.match(low, m.end(), s.end)
            name = text[known.start():known.end()] if known else _name_at(text, m.end(), s.end)
            if name and name.casefold() not in NOT_COMPETITOR:
                return name
    for s in spans:  # Oracle is in the mix, 用友也在投
        for m in COMPETITOR_AFTER.finditer(low, s.start, s.end):
            name = _name_before(facts, s.start, m.start())
            if name:
                return name
    for s in spans:
        if lost or RIVALRY.search(low, s.start, s.end):
            m = COMPETITORS.search(low, s.start, s.end)
            if m:
                return text[m.start():m.end()]
    return None


def rival_named(facts: Facts, spans: list[Span]) -> bool:
    """Whether the spans name a competitor in the deal, in any of the ways people say it (对手是X,
    也在跟X谈, X is in the mix, also talking to X), with no stage change needed."""
    low = facts.msg.low
    leads = any(COMPETITOR_AFTER.search(low, s.start, s.end) or
                any(not low.startswith("被", m.start()) and not _IS_OUTCOME.match(m.group())
                    and (not _WEAK_LEAD.match(m.group()) or COMPETITORS.match(low, m.end(), s.end))
                    for m in COMPETITOR_LEAD.finditer(low, s.start, s.end))
                for s in spans)
    return leads and competitor(facts, spans, lost=False) is not None


# leads that compare anything (HIPAA vs GDPR): a rival only when a known competitor follows
_WEAK_LEAD = re.compile(r"vs|versus|against|compar|跟|和|与")
# leads that tell an outcome (a loss) rather than a rival in the running
_IS_OUTCOME = re.compile(r"选了|选择了|用了|换成|换了|输|went with|going with|chose|picked|signed with|switched to|lost to|losing to")
_NAME_BEFORE = re.compile(r"(?:[A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*)*|[\u4e00-\u9fff]{2,4})\s*$")


def _name_before(facts: Facts, start: int, end: int) -> str | None:
    text, low = facts.msg.text, facts.msg.low
    known = [m for m in COMPETITORS.finditer(low, start, end) if not low[m.end():end].strip()]
    if known:
        return text[known[-1].start():known[-1].end()]
    m = _NAME_BEFORE.search(text[start:end])
    if not m:
        return None
    name = m.group().strip()
    taken = [x.span for x in facts.mentions]
    at = Span(start + m.start(), start + m.end())
    if name.casefold() in NOT_COMPETITOR or any(at.overlaps(t) for t in taken) or name in _NOT_RIVAL_WORDS:
        return None
    return name


_NOT_RIVAL_WORDS = {"They", "We", "It", "He", "She", "Price", "Budget", "Legal", "Procurement"}


_TAKEN = re.compile(r"[^,，。!?]{1,8}?(?:拿走|抢走|抢了|拿下|截胡|撬走|挖走)")


def _name_at(text: str, start: int, end: int) -> str | None:
    chunk = text[start:end]
    m = re.match(r"[A-Z][\w&\-]*(?:\s+[A-Z][\w&\-]*)*", chunk)
    if m:
        return m.group()
    m = re.match(r"([\u4e00-\u9fff]{2,6}?)(?:的|了|拿|抢|截|家|公司|那边|这边|方案|产品|$|,|，)", chunk)
    if m and m.group(1) not in NOT_COMPETITOR:
        return m.group(1)
    return None


def lost_reason(facts: Facts, spans: list[Span], skip: list[Span]) -> str | None:
    """The clause that explains a loss (对方更看重品牌, budget was the main issue)."""
    for s in spans:
        for m in REASON.finditer(facts.msg.low, s.start, s.end):
            if not any(Span(m.start(), m.end()).overlaps(k) for k in skip):
                return facts.text(s)
    return None
