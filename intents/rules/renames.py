"""Renaming a deal: "把这个商机改名为星河智能仓储", "rename the deal to Fleet Analytics 2"; and a
customer: "蓝鲸数据改名叫蓝鲸科技了", "Globex is now called Globex Energy" (what precedes the cue is
the customer alone, or says it is the company: 公司/客户/account/company).

The new name is what follows the rename cue (quotes and end punctuation dropped); what precedes it
says which deal: a customer (`account`) and the name of one of its deals (`opportunity`), or
nothing ("这个商机", "the deal": the deal the user last wrote, which the tool finds).
"""
from __future__ import annotations

import re

from intents.rules import deals
from intents.rules.facts import Draft, Facts
from intents.rules.text import Span

_ZH = re.compile(r"(?:改名为|改名成|改名叫|改名|重命名为|重命名成|重命名|更名为|更名|"
                 r"(?:名字|名称|名)(?:改成|改为|改叫|换成|叫)|改叫)\s*[:：]?\s*")
_EN = re.compile(r"\b(?:rename\b(?P<target>.*?)\b(?:to|as)\b|"
                 r"change\b(?P<target2>.*?)\bname\s+to\b|"
                 r"call\s+(?:this|the|that)\s+(?:deal|opportunity|opp|project)\b)\s*[:\-]?\s*", re.ASCII)
_QUOTES = "「」『』“”\"'‘’《》 "
_END = re.compile(r"[。.!！~～]+$|(?:了|吧|吧。|好了|就行|可以吗)$")
_NOW_CALLED = re.compile(r"\b(?:is now called|is now named|has been renamed to|was renamed to|renamed itself)\s*[:\-]?\s*", re.ASCII)
# words that make the target a deal (这个商机, the deal) or the company itself (公司, the account)
_DEAL_TARGET = re.compile(r"商机|单子|这单|那单|项目|\bdeal\b|\bopp(?:ortunity)?\b|\bproject\b", re.ASCII)
_COMPANY_TARGET = re.compile(r"公司|客户|企业|\bcompany\b|\baccount\b|\bcustomer\b", re.ASCII)


def detect(facts: Facts) -> Draft | None:
    msg = facts.msg
    m = _ZH.search(msg.low) or _EN.search(msg.low) or _NOW_CALLED.search(msg.low)
    if m is None:
        return None
    new_name = _END.sub("", msg.text[m.end():].strip()).strip(_QUOTES).strip()
    if not new_name or len(new_name) > 60:
        return None
    named = next((g for g in ("target", "target2") if m.re is _EN and m.group(g)), None)
    target = Span(m.start(named), m.end(named)) if named else Span(0, m.start())
    refs = [r for r in facts.account_refs(target) if r.entry is not None or r.candidates]
    if refs and _renames_the_account(facts, target, refs[0]):
        draft = Draft("rename_account", m.start(), certainty=0.9)
        draft.args["new_name"] = new_name
        draft.set_account(refs[0])
        return draft
    if m.re is _NOW_CALLED:
        return None
    draft = Draft("rename_opportunity", m.start(), certainty=0.9)
    draft.args["new_name"] = new_name
    if refs:
        draft.set_account(refs[0], required=False)
        known = deals.known_deal(facts, refs[0].entry, [target])
        if known:
            draft.args["opportunity"] = known
    return draft


def _renames_the_account(facts: Facts, target: Span, ref) -> bool:
    """The text before the cue is the customer (蓝鲸数据改名叫…, Globex is now called…) or says it
    is the company (客户名称改成…), and names no deal."""
    low = facts.msg.low
    if _DEAL_TARGET.search(low, target.start, target.end) or deals.known_deal(facts, ref.entry, [target]):
        return False
    if _COMPANY_TARGET.search(low, target.start, target.end):
        return True
    rest = low[target.start:ref.mention.start] + low[ref.mention.end:target.end]
    return not re.sub(r"[\s把将的,，:：'\"“”]|\bthe\b|\brename\b|\bchange\b", "", rest)
