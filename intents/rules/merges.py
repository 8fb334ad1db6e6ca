"""Merging duplicate accounts: "把蓝鲸数据科技和蓝鲸数据合并", "把B并入A", "merge Acme Corp into Acme".

Read only when the message names exactly two accounts and says to merge them (or that they are the
same customer). The direction is read from the words: "把B并入/合并到/合到A", "merge B into A" keep
A; a symmetric "A和B合并", "merge A and/with B", "A和B是同一个客户" leaves the choice to the tool
(`pick_keep`: the account with more history stays), and the card says which one stays before
anything moves. Permissions (managers and admins) are the tool's; the engine only reads.
"""
from __future__ import annotations

import re

from intents.rules.facts import AccountRef, Draft, Facts
from intents.rules.text import Span

# "B 并入 A": the account after the cue stays
_INTO_ZH = re.compile(r"(?:并入|合并到|合并进|合到|并到|归到|归并到|合进)")
_INTO_EN = re.compile(r"\bmerge\b.*\b(?:into|under)\b", re.ASCII)
_BOTH_ZH = re.compile(r"(?:合并|合成一个|并成一个|合二为一|是同一(?:个|家)(?:客户|公司|企业)?|是一家)")
_BOTH_EN = re.compile(r"\b(?:merge|combine|dedupe|de-dupe)\b|\bsame\s+(?:customer|company|account|client)\b", re.ASCII)
_NOT_ACCOUNTS = re.compile(r"(?:合并(?:报价|开票|发票|付款|订单|商机|合同)|报价单?合并)")


def detect(facts: Facts) -> Draft | None:
    low = facts.msg.low
    into = _INTO_ZH.search(low) or _INTO_EN.search(low)
    both = _BOTH_ZH.search(low) or _BOTH_EN.search(low)
    if not (into or both) or _NOT_ACCOUNTS.search(low):
        return None
    refs = _distinct(facts.account_refs(Span(0, len(facts.msg.text))))
    if len(refs) != 2 or any(r.via_contact for r in refs):
        return None
    first, second = refs
    draft = Draft("merge_accounts", min(first.pos, second.pos), certainty=0.9)
    if into is not None:
        cue = into.start() if into.re is _INTO_ZH else _last(r"\b(?:into|under)\b", low)
        dropped, kept = (first, second) if first.pos < cue <= second.pos else (second, first)
        draft.set_account(kept, "keep")
        draft.set_account(dropped, "merge")
    else:
        draft.set_account(first, "keep")
        draft.set_account(second, "merge")
        draft.args["pick_keep"] = True
    return draft


def _distinct(refs: list[AccountRef]) -> list[AccountRef]:
    seen: set[str] = set()
    out = []
    for ref in refs:
        if ref.key not in seen:
            seen.add(ref.key)
            out.append(ref)
    return out


def _last(pattern: str, text: str) -> int:
    found = [m.start() for m in re.finditer(pattern, text)]
    return found[-1] if found else len(text)
