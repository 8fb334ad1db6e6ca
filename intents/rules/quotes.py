"""Quotes: `create_quote` (报价/quote with a figure) and the managers' `approve_quote` /
`reject_quote` (102批了, reject quote 103, 蓝鲸的报价驳回, approve both 101 and 103).

A decision needs a verb and a quote: a quote number (Q-101, #101, 101号报价, quote 101, or a bare
number next to the verb), or a customer with the word quote (the Acme quote). Each number gets the
verb of its clause (102批了，104驳回), or the nearest one; the text after a decision, up to the next
one, is its comment. A quote request owns its sentence: amount, discount (not applied to the
amount), product (产品是…, a clause like 影像归档模块, "for the fraud detection add-on") and note
(备注…, note: …); an unstated amount is asked for.
"""
from __future__ import annotations

import re
from typing import NamedTuple

from intents.rules import deals, trailing
from intents.rules.facts import AccountRef, Draft, Facts
from intents.rules.lexicon import (
    APPROVAL_REQUEST, APPROVE, NEXT_STEP, NOTE, PRODUCT, QUOTE_CREATE, QUOTE_WORD, REJECT, VISIT_VERBS, YES_NO_EN,
)
from intents.rules.money import find_quote_ids
from intents.rules.text import Span

_COMMENT_LEAD = re.compile(r"(?:[\s,，:：;\-—–.。!！)）]|了|掉|吧|啊|呢|先|另外|然后|但是|但|不过|备注|\b(?:but|and|however|though|so)\b|"
                           r"\b(?:w/|with)\s+(?:a\s+|the\s+)?(?:comment|note)\b|\b(?:comment|note)\b(?=\s*[:：'\"])|['\"‘“])+", re.ASCII)
_COMMENT_TRAIL = re.compile(r"[\s'\"’”,，]+$")
# a decision's next sentence that passes it on is its comment even when it names people or deals
_RELAY = re.compile(r"\s*(?:(?:pls|please)\s+)?(?:\b(?:tell|ask|have|let|get)\b|让|叫|告诉|通知|请)", re.ASCII)
_NAMED_AFTER = re.compile(r"\s*[(（]\s*$", re.ASCII)
_NAMED_BEFORE = re.compile(r"^\s*(?:'s|’s|的)?\s*(?:quote|报价单?)?\s*(?:no\.?|number|#)?\s*$", re.ASCII)
_QUOTE_TAIL = re.compile(r"\s*(?:号\s*)?(?:报价单?|quote)?", re.ASCII)
_ALSO = re.compile(r"^\s*(?:and\s+|还有|以及)?(?:q-?|#)?\d{2,7}\s*号?\s*(?:too|also|as well|也是?|也一样|同样)\s*$", re.ASCII)
_ID_PREFIX = re.compile(r"(?:(?<![a-z])q\s*[-#]?|#|编号|第|\bquotes?\s*(?:#|no\.?|number|id)?)\s*$", re.ASCII)
_OF = re.compile(r"\s*(?:的|'s\b)?\s*", re.ASCII)
_FOR_PRODUCT = re.compile(r"\bfor (?:the |their |our )?([a-z0-9][\w\- ]{2,60})$", re.ASCII)
_THE = re.compile(r"\s*(?:(?:the|their|our|a|an)\s+)?", re.ASCII)
_PRODUCT_IS = re.compile(r"(?:产品是|产品[:：]|\bproduct\s*[:：]\s*)(.+)$", re.ASCII)


_ASKED_AFTER = re.compile(r"\s*(?:了)?\s*(?:吗|么|嘛|没有|没呢|没|与否)")


def _asked(facts: Facts, start: int, end: int) -> bool:
    """Whether a decision verb sits in a yes/no question (批了没有, 批了吗, has it been approved?)."""
    msg, low = facts.msg, facts.msg.low
    sentence = msg.sentences[msg.sentence_of(start)]
    if _ASKED_AFTER.match(low, end, sentence.end) and not low.startswith("没问题", end):
        return True
    return msg.asked(sentence) and bool(YES_NO_EN.match(low, sentence.start, sentence.end)
                                        or "吗" in low[sentence.start:sentence.end])


# --- decisions --------------------------------------------------------------------------------


class _Decision(NamedTuple):
    tool: str  # approve_quote / reject_quote
    first: int  # where its words start
    last: int  # where its words end: the comment follows
    targets: list[dict]  # {"quote_id": n} or {"account": AccountRef}, one call each
    clause_start: int


def decisions(facts: Facts, taken: list[Span]) -> tuple[list[Draft], list[Span]]:
    """Approvals and rejections outside the `taken` spans, and the text they own."""
    msg, low = facts.msg, facts.msg.low
    blocked = taken + [Span(m.start(), m.end()) for m in APPROVAL_REQUEST.finditer(low)]
    verbs: list[tuple[int, int, str]] = []
    for kind, rx in (("reject_quote", REJECT), ("approve_quote", APPROVE)):
        for m in rx.finditer(low):
            span = Span(m.start(), m.end())
            if any(span.overlaps(b) for b in blocked) or any(s < m.end() and m.start() < e for s, e, _ in verbs):
                continue
            if _asked(facts, m.start(), m.end()):
                continue  # 海纳的报价批了没有, did you approve 104 yet?: a question, not a decision
            verbs.append((m.start(), m.end(), kind))
    if not verbs:
        return [], []
    verbs.sort()
    values = [x.span for x in facts.money + facts.dates + facts.times + facts.discounts]
    explicit = {(s, e) for s, e, _ in find_quote_ids(low, bare=False)}
    verb_clauses = {msg.clause_of(s) for s, _, _ in verbs}
    verb_sentences = {msg.sentence_of(s) for s, _, _ in verbs}
    ids = []
    for s, e, value in find_quote_ids(low, bare=True):
        span = Span(s, e)
        if any(span.overlaps(b) for b in taken) or (any(span.overlaps(v) for v in values) and (s, e) not in explicit):
            continue
        alone = _ALSO.match(low[msg.clauses[msg.clause_of(s)].start:msg.clauses[msg.clause_of(s)].end])
        if alone and msg.sentence_of(s) in verb_sentences:
            ids.append((s, e, value))
            continue
        if (s, e) in explicit or msg.clause_of(s) in verb_clauses or QUOTE_WORD.search(low) \
                or (explicit and msg.sentence_of(s) in verb_sentences):  # Q-101 approved. 103 … reject
            ids.append((s, e, value))
    groups = _by_id(facts, ids, verbs) if ids else _by_account(facts, verbs)
    drafts, owned = [], []
    for n, (kind, first, last, args, clause_start) in enumerate(groups):
        sentence = msg.sentences[msg.sentence_of(first)]
        end = groups[n + 1].first if n + 1 < len(groups) and groups[n + 1].first < sentence.end else sentence.end
        for t in taken:
            if last <= t.start < end:
                end = t.start
        end = trailing.cut(facts, last, end)
        comment = _comment(facts, last, end) or _comment_before(facts, sentence, clause_start, n == 0, taken)
        if not comment and n == len(groups) - 1:
            comment, end = _comment_after(facts, sentence, taken, end)
        for arg in args:
            draft = Draft(kind, first, dict(arg))
            if "account" in arg:
                draft.args["account"] = arg["account"].name
                if "quote_id" not in arg:
                    draft.certainty *= arg["account"].certainty
            if comment:
                draft.args["comment"] = comment
            drafts.append(draft)
        owned.append(Span(min(clause_start, sentence.start) if n == 0 else clause_start, end))
    return drafts, owned


def _by_id(facts: Facts, ids, verbs):
    """Group quote numbers by the verb that decides them: the verb of their clause (the one before
    them when a clause holds both kinds), else the nearest verb of their sentence."""
    msg = facts.msg
    groups = []
    for s, e, value in ids:
        ci = msg.clause_of(s)
        same = [v for v in verbs if msg.clause_of(v[0]) == ci]
        if not same:
            in_sentence = [v for v in verbs if msg.sentence_of(v[0]) == msg.sentence_of(s)] or verbs
            same = [min(in_sentence, key=lambda v: abs(v[0] - s))]
        before = [v for v in same if v[0] < s]
        if len({v[2] for v in same}) > 1 and before:
            verb = before[-1]
        else:
            verb = min(same, key=lambda v: abs(v[0] - s))
        prefix = _ID_PREFIX.search(msg.low, max(0, s - 12), s)
        first, last = min(prefix.start() if prefix else s, verb[0]), max(e, verb[1])
        last = max(last, _QUOTE_TAIL.match(msg.low, e).end())
        target: dict = {"quote_id": value}
        named = _named_beside(facts, s, last)
        if named is not None:
            target["account"], named_end = named
            last = max(last, named_end)
        clause_start = msg.clauses[ci].start
        if groups and groups[-1].tool == verb[2] and groups[-1].clause_start == clause_start:
            g = groups[-1]
            groups[-1] = g._replace(first=min(g.first, first), last=max(g.last, last),
                                    targets=g.targets + [target])
        else:
            groups.append(_Decision(verb[2], first, last, [target], clause_start))
    return groups


def _named_beside(facts: Facts, start: int, end: int) -> tuple[AccountRef, int] | None:
    """The account a quote number is named with: "#102 (Bluewhale)", "the Acme quote #101",
    "蓝鲸的102号报价"; the ref and where its naming ends."""
    msg, low = facts.msg, facts.msg.low
    sentence = msg.sentences[msg.sentence_of(start)]
    for ref in facts.account_refs(sentence):
        if ref.via_contact or ref.entry is None:
            continue
        m = ref.mention
        if m.start >= end and _NAMED_AFTER.match(low[end:m.start]):
            close = re.compile(r"\s*[)）]").match(low, m.end)
            if close:
                return ref, close.end()
        if m.end <= start and _NAMED_BEFORE.match(low[m.end:start]):
            return ref, end
    return None


def _by_account(facts: Facts, verbs):
    """Decisions naming quotes by customer (the Acme quote, 蓝鲸的报价): each account named in a
    verb's sentence gets the verb of its clause (the nearest one when its clause holds several or
    none). Without the word quote, a manager's verb right on an account decides that account's
    quote (蓝鲸的批了，青松的驳回; approve Acme, reject Initech)."""
    msg = facts.msg
    manager = facts.ctx.user.role == "manager"
    groups, seen = [], set()
    for s_index in sorted({msg.sentence_of(v[0]) for v in verbs}):
        sentence = msg.sentences[s_index]
        in_sentence = [v for v in verbs if msg.sentence_of(v[0]) == s_index]
        previous = msg.sentences[s_index - 1] if s_index > 0 else None
        if previous is not None and not facts.account_refs(sentence) and QUOTE_WORD.search(msg.low, previous.start, previous.end) \
                and not any(msg.sentence_of(v[0]) == s_index - 1 for v in verbs):
            sentence = Span(previous.start, sentence.end)  # the Globex quote? that's a no from me
        words = [m for m in QUOTE_WORD.finditer(msg.low, sentence.start, sentence.end)]
        if words and any(x.start > words[0].start() for x in facts.within(facts.money, sentence)):
            continue  # 报价：80万 is a request; 那个一百二十万的报价驳回 is a decision
        for ref in facts.account_refs(sentence):
            if ref.key in seen or ref.via_contact:
                continue
            start, end, kind = _verb_of(facts, ref, in_sentence)
            if not words and not (manager and _attached(facts, ref, (start, end))):
                continue
            seen.add(ref.key)
            last = max(end, ref.mention.end)
            tail = _DECIDED_TAIL.match(msg.low, last)
            if tail:
                last = tail.end()
            first = min(start, ref.pos)
            groups.append(_Decision(kind, first, last, [{"account": ref}], msg.clauses[msg.clause_of(first)].start))
    groups.sort(key=lambda g: g.first)
    return groups


_DECIDED_TAIL = re.compile(r"(?:\s*(?:'s|’s|的|那个|这个|那份|这份))?\s*(?:报价单?|quotes?\b|one\b)", re.ASCII)
_ATTACHED_CN = re.compile(r"\s*(?:的|那边的?|这边的?)\s*(?:那个|这个|那份|这份)?\s*(?:也|都|就|先|我)?\s*$|\s*(?:那个|这个|那份|这份)\s*(?:也|都|就|先|我)?\s*$")
_ATTACHED_EN = re.compile(r"\s*(?:the\s+)?$", re.ASCII)


def _verb_of(facts: Facts, ref: AccountRef, verbs):
    """The verb that decides an account's quote: its clause's, else the nearest in the sentence."""
    msg = facts.msg
    same = [v for v in verbs if msg.clause_of(v[0]) == msg.clause_of(ref.pos)] or verbs

    def gap(v):
        after = v[0] >= ref.mention.end
        distance = v[0] - ref.mention.end if after else ref.pos - v[1]
        if _attached(facts, ref, v):
            distance = -1
        return distance, not after

    return min(same, key=gap)


def _attached(facts: Facts, ref: AccountRef, verb) -> bool:
    """Whether the verb sits right on the account: 蓝鲸的批了, 青松那个驳回, approve (the) Acme."""
    low = facts.msg.low
    if verb[0] >= ref.mention.end:
        return bool(_ATTACHED_CN.match(low[ref.mention.end:verb[0]]))
    return bool(_ATTACHED_EN.match(low[verb[1]:ref.pos])) and ref.pos >= verb[1]


def _comment(facts: Facts, start: int, end: int) -> str:
    lead = _COMMENT_LEAD.match(facts.msg.low, start, end)
    begin = lead.end() if lead else start
    trail = _COMMENT_TRAIL.search(facts.msg.low, begin, end)
    return facts.msg.original(begin, trail.start() if trail else end)


def _comment_after(facts: Facts, sentence: Span, taken: list[Span], end: int) -> tuple[str, int]:
    """The next sentence, when it only explains the decision (Q-101: rejected. too much discount)."""
    msg = facts.msg
    index = msg.sentences.index(sentence)
    if index + 1 >= len(msg.sentences):
        return "", end
    nxt = msg.sentences[index + 1]
    low = msg.low
    if any(nxt.overlaps(t) for t in taken) or \
            any(rx.search(low, nxt.start, nxt.end) for rx in (APPROVE, REJECT, QUOTE_WORD, VISIT_VERBS)) or \
            _numbers(facts, nxt):
        return "", end
    if not _RELAY.match(low, nxt.start) and (facts.stages_in(nxt) or facts.within(facts.money, nxt)):
        return "", end  # Q-101 approved. Acme signed 200k: news of its own
    return facts.text(nxt), nxt.end


def _numbers(facts: Facts, span: Span) -> list:
    """Numbers in the span that could be quote numbers (not dates or amounts: before the 20th)."""
    values = [x.span for x in facts.money + facts.dates + facts.times + facts.discounts]
    return [n for n in find_quote_ids(facts.msg.low[span.start:span.end], bare=True)
            if not any(Span(span.start + n[0], span.start + n[1]).overlaps(v) for v in values)]


def _comment_before(facts: Facts, sentence: Span, clause_start: int, is_first: bool, taken: list[Span]) -> str:
    start = max([sentence.start] + [t.end for t in taken if sentence.start <= t.end <= clause_start])
    if not is_first or clause_start <= start:
        return ""
    return facts.msg.original(start, clause_start)


# --- requests -------------------------------------------------------------------------------


def requests(facts: Facts, taken: list[Span], context: list[AccountRef]) -> tuple[list[Draft], list[Span]]:
    msg, low = facts.msg, facts.msg.low
    triggers: list[tuple[int, int]] = [(m.start(), m.end()) for m in QUOTE_CREATE.finditer(low)]
    for m in QUOTE_WORD.finditer(low):
        sentence = msg.sentences[msg.sentence_of(m.start())]
        if _QUOTE_FEEDBACK.search(low, max(sentence.start, m.start() - 20), min(sentence.end, m.end() + 8)):
            continue  # 对报价没意见, happy with the quote: what the customer thinks of one already sent
        if any(x.start >= m.end() for x in facts.within(facts.money, sentence)):
            triggers.append((m.start(), m.end()))
    for m in _PRICING_WANTED.finditer(low):  # Tailspin wants pricing on the crew module - $310k: with a figure
        if any(x.start >= m.end() and not x.relative for x in facts.within(facts.money, msg.sentences[msg.sentence_of(m.start())])):
            triggers.append((m.start(), m.end()))
    # …asked for a formal quote. raise it: €140,000, 8% off; 她们要二期报价。帮我提：渠道订货平台二期，七十五万
    for m in [*_RAISE_IT.finditer(low), *_RAISE_IT_CN.finditer(low)]:
        if QUOTE_WORD.search(low, 0, m.start()) and facts.within(facts.money, msg.sentences[msg.sentence_of(m.start())]):
            triggers.append((m.start(), m.end()))
    drafts, owned = [], []
    for start, end in sorted(triggers):
        span = _request_span(facts, start)
        if any(span.overlaps(t) for t in taken + owned):
            continue
        sentence = msg.sentences[msg.sentence_of(start)]
        if NEXT_STEP.search(low, sentence.start, start) and not facts.within(facts.money, span):
            continue  # next steps: send renewal quote by friday — a plan, not a request
        if owned and not facts.within(facts.money, span) and msg.sentence_of(owned[-1].end - 1) == msg.sentence_of(span.start) - 1:
            owned[-1] = Span(owned[-1].start, span.end)  # Globex wants pricing on X - $180k. Can you send it for approval?
            continue
        owned.append(span)
        drafts.append(_request(facts, span, Span(start, end), context))
    return drafts, owned


_PRICING_WANTED = re.compile(r"\b(?:wants?|needs?|asked for|asking for|requested|requesting)\s+(?:a\s+|our\s+|some\s+)?"
                             r"(?:pricing|prices?)\s+(?:on|for)\b", re.ASCII)
# a request that points back at a quote the message just named
_RAISE_IT_CN = re.compile(r"(?:帮我|帮忙|麻烦你?|请你?)(?:提|报|申请|走|起)(?:一下|个|一个)?(?:审批)?(?=\s*[:：,，])")
# what a customer thinks of a quote already sent: not a request for one
_QUOTE_FEEDBACK = re.compile(r"对(?:我们的?|咱们?的?)?报价(?:单)?(?:没|无|很|挺|比较|还)|报价(?:单)?(?:他们|她们|对方|客户)?(?:没意见|没问题|认可|同意|接受|满意|可以)|"
                             r"(?:认可|接受|同意)了?(?:我们的?|咱们?的?)?报价|"
                             r"\b(?:happy|fine|ok|okay|good)\s+with\s+(?:the|our)\s+(?:quote|pricing)\b|"
                             r"\baccepted\s+(?:the|our)\s+(?:quote|pricing)\b", re.ASCII)
_RAISE_IT = re.compile(r"\b(?:raise|submit|file|create|prepare|draft|do|put in|send)\s+(?:it|one|that)\b(?=\s*[:：,，-])", re.ASCII)


def _request_span(facts: Facts, trigger_start: int) -> Span:
    msg = facts.msg
    s_index = msg.sentence_of(trigger_start)
    start = msg.clauses[msg.clause_of(trigger_start)].start
    end = msg.sentences[s_index].end
    if s_index > 0 and not facts.within(facts.money, Span(start, end)) \
            and facts.within(facts.money, msg.sentences[s_index - 1]) \
            and not QUOTE_CREATE.search(msg.low, msg.sentences[s_index - 1].start, msg.sentences[s_index - 1].end):
        start = msg.sentences[s_index - 1].start  # …$180k with 10% off. Can you send it for approval?
    following = msg.sentences[s_index + 1:]
    if following and not facts.within(facts.money, Span(start, end)) and facts.within(facts.money, following[0]) \
            and not QUOTE_CREATE.search(msg.low, following[0].start, following[0].end):
        end = following[0].end  # can you raise a quote for Globex? 250k, 12% off
        following = following[1:]
    for nxt in following:
        if NOTE.match(msg.low, nxt.start) or re.match(r"产品|product", msg.low[nxt.start:nxt.end]):
            end = nxt.end
        else:
            break
    return Span(start, end)


def _request(facts: Facts, span: Span, trigger: Span, context: list[AccountRef]) -> Draft:
    msg, low = facts.msg, facts.msg.low
    draft = Draft("create_quote", span.start)
    refs = facts.account_refs(span, context=context)
    before = [r for r in context if r.pos < span.start]
    ref = refs[0] if refs else (before[-1] if before else None)
    draft.set_account(ref)
    amounts = [m for m in facts.within(facts.money, span) if not m.relative]
    if amounts:
        draft.args["amount"] = amounts[0].amount
        if amounts[0].currency:  # unstated stays unstated: the tool takes the deal's currency
            draft.args["currency"] = amounts[0].currency
    else:
        draft.missing.append("amount")
        draft.certainty *= 0.5
    discounts = facts.within(facts.discounts, span)
    if not discounts:  # Bill wants a 15% discount on the suite, can you raise a quote at $90k
        index = msg.sentence_of(span.start)
        discounts = facts.within(facts.discounts, Span(msg.sentences[index].start, span.start))[-1:]
        if not discounts and index > 0 and not facts.within(facts.money, msg.sentences[index - 1]):
            discounts = facts.within(facts.discounts, msg.sentences[index - 1])[-1:]  # Acme asks 10% off. Raise a quote…
    if discounts:
        draft.args["discount_pct"] = discounts[0].pct_off
    note_at = NOTE.search(low, span.start, span.end)
    note_span = Span(note_at.start(), span.end) if note_at else None
    if note_at:
        lead = re.compile(r"[:：\s]*").match(msg.text, note_at.end())
        note = msg.original(lead.end(), span.end)
        if note:
            draft.args["note"] = note
    product = _product(facts, span, trigger, note_span) or \
        deals.known_deal(facts, ref.entry if ref else None, [span])  # 东方精工的渠道管理系统试点出个报价
    if product:
        draft.args["product"] = product
    return draft


def _product(facts: Facts, span: Span, trigger: Span, note: Span | None) -> str | None:
    msg, low = facts.msg, facts.msg.low
    clauses = [c for c in msg.clauses if span.start <= c.start and c.end <= span.end
               and not (note and c.start >= note.start)]
    for c in clauses:
        m = _PRODUCT_IS.search(low, c.start, c.end)
        if m:
            return msg.original(m.start(1), c.end)
    named = [x.span for x in facts.mentions]
    for c in clauses:
        if APPROVAL_REQUEST.search(low, c.start, c.end):
            continue
        values = facts.within(facts.money, c) + facts.within(facts.discounts, c)
        if values:
            m = _FOR_PRODUCT.search(low, c.start, c.end)
            if m:
                return msg.original(m.start(1), m.end(1))
            head = Span(max(c.start, trigger.end) if c.overlaps(trigger) else c.start, min(v.start for v in values))
            tail = Span(max(v.end for v in values), c.end)
            parts = [head, tail]
            if c.overlaps(trigger) and c.start < trigger.start:  # 海纳门店补货系统报价一百一十万: named before the word
                after_names = max([c.start] + [n.end for n in named if c.start <= n.start < trigger.start])
                lead = _OF.match(low, after_names, trigger.start)
                parts.append(Span(lead.end() if lead else after_names, trigger.start))
            for part in parts:
                if part.end - part.start >= 2 and PRODUCT.search(low, part.start, part.end) \
                        and not any(part.overlaps(n) for n in named):
                    return msg.original(part.start, part.end)
            continue
        if c.overlaps(trigger):
            m = _FOR_PRODUCT.search(low, trigger.end, c.end)
            if m and not any(Span(m.start(1), m.end(1)).overlaps(n) for n in named):
                return msg.original(m.start(1), m.end(1))
            rest = _THE.match(low, trigger.end, c.end)  # wants pricing on the crew scheduling module
            if trigger.end > c.start and PRODUCT.search(low, rest.end(), c.end) \
                    and not any(Span(rest.end(), c.end).overlaps(n) for n in named):
                return msg.original(rest.end(), c.end)
            continue
        if PRODUCT.search(low, c.start, c.end) and not any(c.overlaps(n) for n in named):
            return msg.original(c.start, c.end)
    return None
