"""Visits and deal changes: `log_visit` and `update_opportunity` from what a rep reports.

The message (less what handovers, reminders and quotes took) is read clause by clause. Each
clause belongs to the account it names — directly or through a contact (李总 → 蓝鲸数据) — or,
naming none, to the account named last; clauses before the first name of a sentence are shared by
every account of that sentence (昨天拜访了两家：海纳…；云帆…), and so is a clause that says both
(两边都在走合同). Per account:

- a visit is logged when its clauses carry a channel (电话, Zoom, 展会…) or a visit verb (拜访,
  met, caught up), or name a contact with an agreed next step; reported speech alone (郑总说预算
  被砍) is news about the deal, not a visit. Date: the first past date (a part of day alone means
  today); channel: the first clause with one, its own clauses before shared ones; summary: its
  clauses as written; next_step: what follows 下一步 / next step, or a clause planning something
  for a later day (下周二前给个初步方案);
- the deal is updated when its clauses carry a stage cue, an amount (not a budget) or a close date
  (a later date next to 推迟到 / 能定 / close / slipped…, or next to 预计 / expected when the clause
  is about the deal), with the deal's name, the competitor and the reason of a loss when stated.

A visit dated only in the future (明天去拜访蓝鲸) is a plan: it becomes a reminder.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from intents.rules import deals
from intents.rules.dates import resolve
from intents.rules.facts import AccountRef, Draft, Facts
from intents.rules.lexicon import JUST_NOW, NEXT_STEP, VISIT_VERBS, YES_NO_EN, channel_in
from intents.rules.text import Span

CLOSE_CUE = re.compile(
    r"成交日期|结单|签约时间|定下来|能定|(?<![确决一肯稳约规指制预])定|推迟|延期|延后|推到|延到|拖到|提前到|定在|落地|签|成交|"
    r"\bclos(?:e|ing)\b|\bslip(?:ped|s)?\b|\bpush(?:ed)?\b|"
    # the timeline of a delivery (rollout, implementation, go-live...) is not the deal's close
    r"(?<!rollout )(?<!roll-out )(?<!go-live )(?<!go live )(?<!delivery )(?<!project )(?<!implementation )"
    r"(?<!migration )(?<!onboarding )(?<!deployment )(?<!launch )(?<!training )\btimeline\b|\bsign\w*|\bdelay\w*|\bpostpone\w*|"
    r"\bdecision\b|\bpo\b", re.ASCII)
# words that announce a date without saying what for: a close date only when the clause is about the deal
_WEAK_CLOSE_CUE = re.compile(r"预计|预期|改到|\bexpect\w*|\btarget\w*|\bmov(?:ed|ing|e)\b", re.ASCII)
_MOVED_TO = re.compile(r"改到|\bmov(?:ed|ing|e)\b", re.ASCII)  # 单子又推了，改到明年1月底: the deal is in the clause before
_DATE_LEAD = re.compile(r"\s*(?:(?:now|to|until|till|probably|likely|maybe|expected|expecting|est\.?|eta|by|(?:looking|looks|look)\s+like|more like|closer to|around|sometime in|现在|改到|到|大概|估计|预计|要|会|得)\s*)*",
                        re.ASCII)
_PERIODS = frozenset({"quarter", "year_end"})
# a yes/no question about the deal (is Globex still evaluating?, 海纳那单是不是快签了): asked, not told
_YES_NO_CN = re.compile(r"是不是|是否|有没有|吗\s*$|没有?\s*$|了没\s*$")
_ESTIMATE_LEAD = re.compile(r"\s*(?:估计|预计|大概|可能|看样子|probably|likely|looks like|maybe)", re.ASCII)
_SLIP = re.compile(r"拖|推迟|延期|延后|推了|往后|slip|push|delay|postpone", re.ASCII)
# a meeting arranged (for a day that may lie ahead), not one that took place
_ARRANGED = re.compile(r"约了|约好了?|约定了?|安排了|改约|改期|(?:会|见面|拜访|演示)(?:又)?(?:改到|推到|挪到)|"
                       r"\b(?:scheduled|rescheduled|booked|arranged|set up)\b|"
                       r"\b(?:meeting|call|demo|visit)\s+(?:was\s+|got\s+|is\s+|has been\s+)?(?:moved|pushed|postponed)\b",
                       re.ASCII)
_DEAL_WORD = re.compile(r"这单|那单|单子|项目|合同|\bdeal\b|\bopp(?:ortunity)?\b|\bcontract\b", re.ASCII)
_AMOUNT_WORD = re.compile(r"(?:金额|合同额|总价|总额|\bamount\b|\bdeal size\b|\bcontract value\b)[^,，。.;]{0,3}$", re.ASCII)
_BUDGET = re.compile(r"(?:预算|budget)[^,，。.;]{0,8}$", re.ASCII)
_ALL_OF_THEM = re.compile(r"两边|两家|三家|双方|都在|都已|都要|都同意|都签|都选|\bboth\b|\beach\b|\ball of them\b", re.ASCII)
_ACTION = re.compile(r"给|发|出|做|提交|安排|准备|约|send|share|deliver|prepare|schedule|set up|follow up", re.ASCII)
# reported speech: what follows 说 / said is the contact's news or plan, not what the rep did
_SPEECH = re.compile(r"说|表示|告诉|提到|通知|回复|\b(?:said|says|told|mentioned|confirmed)\b", re.ASCII)
_PERSON_PRONOUN = re.compile(r"他|她|\b(?:him|her)\b", re.ASCII)
_DONE_HERE = re.compile(r"签了|签完|拿下了|定了|\bsigned\b|\bclosed\b", re.ASCII)
_ABSENT = re.compile(r"\s*(?:不在|没在|没来|没到|请假|出差了|缺席|\b(?:was|is)\s+(?:out|away|not there)\b|\bwasn't there\b|\bcouldn't make it\b)",
                     re.ASCII)
_RESPECTIVELY = re.compile(r"分别|各自|\brespectively\b", re.ASCII)
_PAST = re.compile(r"(?<!约)(?<!约好)(?<!约定)(?<!安排)(?<!定)了|过|刚|已经|已|"
                   r"\b(?:met|had|was|were|did|saw|ran|went|spoke|caught|got)\b|\b(?!(?:scheduled|booked|arranged|planned)\b)[a-z]+ed\b",
                   re.ASCII)  # 约了 / booked: a meeting arranged, which may lie ahead


@dataclass
class _Bundle:
    ref: AccountRef
    own: list[int] = field(default_factory=list)
    shared: list[int] = field(default_factory=list)
    next_steps: list[Span] = field(default_factory=list)
    multi: set[int] = field(default_factory=set)  # clauses naming several accounts

    def clauses(self) -> list[int]:
        return sorted(set(self.own) | set(self.shared))


def build(facts: Facts, taken: list[Span]) -> tuple[list[Draft], list[AccountRef]]:
    """Visit and deal-change drafts, and every account the activity named (for later context)."""
    msg = facts.msg
    free = [i for i, c in enumerate(msg.clauses) if not any(c.overlaps(t) for t in taken)]
    bundles, seen, orphans = _bundles(facts, free, _next_step_regions(facts, free))
    drafts: list[Draft] = []
    for b in bundles:
        drafts.extend(_calls_for(facts, b))
    if not bundles and orphans:
        drafts.extend(_unnamed(facts, orphans))
    _carry_dates(drafts)
    return drafts, seen


def _carry_dates(drafts: list[Draft]) -> None:
    """In a report of several touches, one told with no day of its own (or only a part of day)
    happened on the day of the touch told before it (met Bill at Initech this morning, then a Zoom
    with Mary from Acme; 昨天上午去了海纳…下午又跟瑞丰…)."""
    day = None
    for draft in sorted(drafts, key=lambda d: d.pos):
        if draft.name != "log_visit":
            continue
        if "occurred_on" in draft.args and ("occurred_on" not in draft.defaulted or day is None):
            day = draft.args["occurred_on"]
        elif day is not None:  # 昨天上午…下午又…: the afternoon of that day
            draft.args["occurred_on"] = day


def _bundles(facts: Facts, free: list[int], next_regions: list[Span]):
    """Clauses grouped by the account they are about, in the order the accounts come up; the
    accounts named; the clauses that name none and follow none (when no account is named at all)."""
    msg = facts.msg
    bundles: dict[str, _Bundle] = {}
    current: AccountRef | None = None
    seen: list[AccountRef] = []
    orphans: list[int] = []

    def bundle(ref: AccountRef) -> _Bundle:
        return bundles.setdefault(ref.key, _Bundle(ref))

    for s_index in range(len(msg.sentences)):
        header: list[int] = []
        in_sentence: list[AccountRef] = []
        region = next((r for r in next_regions if msg.sentence_of(r.start) == s_index), None)
        for ci in (i for i in free if msg.sentence_of(msg.clauses[i].start) == s_index):
            clause = msg.clauses[ci]
            if region is not None and clause.start >= region.start:
                target = _step_owner(facts, region, bundles, seen) or current or (in_sentence[-1] if in_sentence else None)
                if target is not None and region not in bundle(target).next_steps:
                    bundle(target).next_steps.append(region)
                continue
            refs = facts.account_refs(clause, context=seen)
            if refs:
                for ref in refs:
                    b = bundle(ref)
                    b.own.append(ci)
                    if len(refs) > 1:
                        b.multi.add(ci)
                    if all(r.key != ref.key for r in in_sentence):
                        in_sentence.append(ref)
                    if all(r.key != ref.key for r in seen):
                        seen.append(ref)
                current = refs[-1]
            elif len(in_sentence) > 1 and _ALL_OF_THEM.search(msg.low, clause.start, clause.end):
                for ref in in_sentence:
                    bundle(ref).own.append(ci)
            elif in_sentence:
                bundle(current).own.append(ci)
            else:
                header.append(ci)
        targets = in_sentence or ([current] if current else [])
        for ref in targets:
            bundle(ref).shared.extend(header)
        if not targets:
            orphans.extend(header)
    ordered = list(bundles.values())
    if orphans and ordered:
        ordered[0].shared[:0] = orphans
        orphans = []
    return ordered, seen, orphans


def _step_owner(facts: Facts, region: Span, bundles: dict[str, _Bundle], seen: list[AccountRef]) -> AccountRef | None:
    """The account a next step names (下一步：周五前给蓝鲸发方案; next step: send Globex the
    pricing), when the note already talks about it; else None (the account being talked about)."""
    for ref in facts.account_refs(region, context=seen):
        if ref.key in bundles:
            return bundles[ref.key].ref
    return None


def _next_step_regions(facts: Facts, free: list[int]) -> list[Span]:
    msg = facts.msg
    regions: list[Span] = []
    for ci in free:
        clause = msg.clauses[ci]
        m = NEXT_STEP.search(msg.low, clause.start, clause.end)
        if m:
            sentence = msg.sentences[msg.sentence_of(clause.start)]
            if not any(r.overlaps(Span(m.start(), sentence.end)) for r in regions):
                regions.append(Span(m.start(), sentence.end))
    return regions


def _calls_for(facts: Facts, b: _Bundle) -> list[Draft]:
    msg = facts.msg
    clause_ids = b.clauses()
    spans = [msg.clauses[i] for i in clause_ids]
    own_first = [msg.clauses[i] for i in sorted(b.own, key=lambda i: (i in b.multi, i))] + \
                [msg.clauses[i] for i in sorted(b.shared)]
    out: list[Draft] = []

    close_dates, close_spans = _close_dates(facts, spans)
    for part in _episodes(facts, b, close_spans):
        part_spans = [msg.clauses[i] for i in part.clauses()]
        part_first = [s for s in own_first if s in part_spans]
        cue = _visit_cue(facts, part, part_spans)
        if cue is not None:
            visits = _visit(facts, part, part_spans, part_first, cue, close_spans)
            earlier = [d for d in out if d.name == "log_visit"]
            if earlier and visits[0].name == "log_visit" and "contacts" not in visits[0].args \
                    and len(earlier[-1].args.get("contacts", [])) == 1 \
                    and any(_PERSON_PRONOUN.search(msg.low, s.start, s.end) for s in part_spans):
                visits[0].args["contacts"] = list(earlier[-1].args["contacts"])  # 昨天又跟他视频了一次
            out.extend(visits)

    stage_found = [c for s in spans for c in facts.stages_in(s) if not _asks_yes_no(facts, s)]
    found = [(m, bool(_BUDGET.search(msg.low[max(s.start, m.start - 12):m.start]))
              and not _AMOUNT_WORD.search(msg.low[max(s.start, m.start - 6):m.start]))
             for s in spans for m in facts.within(facts.money, s) if not m.relative]
    amounts = [m for m, budget in found if not budget]
    if not amounts and (stage_found or any(_DEAL_WORD.search(msg.low, s.start, s.end) for s in spans)):
        amounts = [m for m, _ in found]  # a deal moving on with its budget (预算60万): the budget sizes it
    changes = [m for s in spans for m in facts.within(facts.money, s) if m.relative
               and not _BUDGET.search(msg.low[max(s.start, m.start - 12):m.start])]
    rival = deals.rival_named(facts, spans)  # 对手是用友, Oracle is in the mix: news about the deal
    if stage_found or amounts or close_dates or rival:
        out.append(_update(facts, b, spans, stage_found, amounts, close_dates,
                           pos=None if stage_found or amounts or close_dates else spans[0].start))
    elif changes:  # 金额涨了20万: the deal changed size, its new size is not said
        draft = _update(facts, b, spans, [], [], [], pos=changes[0].start)
        draft.missing.append("amount")
        draft.certainty *= 0.6
        out.append(draft)
    return out


def _episodes(facts: Facts, b: _Bundle, close_spans: list[Span]) -> list[_Bundle]:
    """The bundle cut where a clause tells another touch on another day (上周三拜访了周总…；昨天又跟他
    视频了一次): each part is its own visit; what is said after the last one belongs to it."""
    msg = facts.msg
    parts: list[list[int]] = [[]]
    day, touched = None, False
    for i in b.clauses():
        s = msg.clauses[i]
        days = [resolve(d, facts.today, "occurred_on") for d in facts.within(facts.dates, s)
                if not d.deadline and not any(d.span.overlaps(c) for c in close_spans)]
        here = next((d for d in days if d is not None and d <= facts.today), None)
        cue = bool(VISIT_VERBS.search(msg.low, s.start, s.end) or channel_in(msg.low, s.start, s.end))
        if here is not None and day is not None and here != day and touched and cue:
            parts.append([])
            touched = False
        parts[-1].append(i)
        day = here or day
        touched = touched or cue
    if len(parts) == 1:
        return [b]
    out = []
    for n, ids in enumerate(parts):
        out.append(_Bundle(b.ref, own=[i for i in ids if i in b.own], shared=[i for i in ids if i in b.shared],
                           next_steps=b.next_steps if n == len(parts) - 1 else [], multi=b.multi & set(ids)))
    return out


def _visit_cue(facts: Facts, b: _Bundle, spans: list[Span]) -> tuple[int, Span] | None:
    """Where the bundle says a visit, call or meeting happened: a visit verb or a channel, or a
    contact named with an agreed next step. Reported speech alone (郑总说预算被砍) is news about
    the deal, not a logged visit."""
    low = facts.msg.low
    for s in spans:
        end = _reported_plan(facts, s) or s.end  # 周总微信说下礼拜一来参观: the message is the touch
        m = VISIT_VERBS.search(low, s.start, end)
        if m:
            return m.start(), s
        if channel_in(low, s.start, end):
            return s.start, s
    if b.next_steps and b.ref.entry is not None:
        for s in spans:
            if facts.contacts_of(b.ref, s):
                return s.start, s
    return None


def _reported_plan(facts: Facts, s: Span) -> int | None:
    """Where the reported speech of a clause starts, when what is reported is for a later day
    (how and when it was said still belong to the touch: said on the phone yesterday that…)."""
    speech = _SPEECH.search(facts.msg.low, s.start, s.end)
    if speech is None:
        return None
    for d in facts.within(facts.dates, Span(speech.end(), s.end)):
        day = resolve(d, facts.today, "due_at")
        if day is not None and day > facts.today:
            said = _SAID_HOW.match(facts.msg.low, speech.end(), s.end)
            return said.end() if said and said.end() > speech.end() and said.end() <= d.start else speech.start()
    return None


_SAID_HOW = re.compile(
    r"(?:\s*(?:on|over|by|via|in|during)\s+(?:the\s+|a\s+|an\s+)?(?:phone|call|email|e-mail|zoom|teams|video|wechat|text|chat|meeting)\b"
    r"|\s*(?:yesterday|today|this morning|this afternoon|last night|earlier)\b|\s*(?:on\s+)?(?:mon|tues?|wed|thu(?:rs)?|fri)\w*day\b)+",
    re.ASCII)


def _visit(facts: Facts, b: _Bundle, spans: list[Span], own_first: list[Span], cue: tuple[int, Span],
           close_spans: list[Span]) -> list[Draft]:
    msg = facts.msg
    pos, cue_clause = cue
    draft = Draft("log_visit", pos)
    draft.set_account(b.ref)
    past, future = None, None
    arranged = _ARRANGED.search(msg.low, cue_clause.start, cue_clause.end)
    for d in facts.dates:
        if not any(s.start <= d.start and d.end <= s.end for s in spans) or any(d.span.overlaps(c) for c in close_spans):
            continue
        if arranged and future is None and cue_clause.start <= d.start < cue_clause.end:
            ahead = resolve(d, facts.today, "due_at")  # scheduled a call for Friday: the Friday to come
            if ahead is not None and ahead > facts.today:
                future = ahead
                continue
        day = None if d.deadline else resolve(d, facts.today, "occurred_on")  # by Dec 4: not when it happened
        if d.kind in _PERIODS:
            continue  # the Q2 implementation timeline, 明年: a period talked about, not the day of the touch
        if day is not None and day <= facts.today:
            past = past or day
        elif future is None and cue_clause.start <= d.start < cue_clause.end \
                and not _PAST.search(msg.low, cue_clause.start, cue_clause.end) \
                and not (_reported_plan(facts, cue_clause) or cue_clause.end) <= d.start:
            future = resolve(d, facts.today, "due_at")
    past = _distributed_day(facts, b) or past
    if past is None and future is not None:
        return [_planned_visit(facts, b, spans, pos, future)]
    if past is None and any(facts.within(facts.times, s) or JUST_NOW.search(msg.low, s.start, s.end) for s in spans):
        past = facts.today  # 上午 / this afternoon / 刚 with no day: today
        draft.defaulted.add("occurred_on")
    contacts: list[str] = []
    absent = {e.name for s in spans for m in facts.mentions_of("contact", s) if _ABSENT.match(msg.low, m.end) for e in m.entries}
    for s in spans:
        for name in facts.contacts_of(b.ref, s) + facts.new_people(s):
            if name not in contacts and name not in absent:  # 赵主任不在，孙工接待的
                contacts.append(name)
    if contacts:
        draft.args["contacts"] = contacts
    for s in spans:
        for mention, candidates in facts.unsure_contacts(b.ref, s):
            draft.ambiguous.append(("contacts", mention, candidates))
            draft.certainty *= 0.5
    if past is not None:
        draft.args["occurred_on"] = past.isoformat()
    for s in own_first:
        channel = channel_in(msg.low, s.start, s.end)
        if channel:
            draft.args["channel"] = channel
            break
    summary = _join(facts, spans)
    if summary:
        draft.args["summary"] = summary
    steps = "; ".join(t for t in (_after_marker(facts, r) for r in b.next_steps) if t)
    step_spans = list(b.next_steps)
    if not steps:
        steps, planned = _planned_step(facts, spans, close_spans)
        step_spans = [planned] if planned else []
    if steps:
        draft.args["next_step"] = steps
        due = _step_due(facts, step_spans, close_spans)
        if due is not None:
            draft.args["next_step_due"] = due.isoformat()
    return [draft]


def _distributed_day(facts: Facts, b: _Bundle):
    """上周四和周五分别去了北辰和青松 / went to Acme and Globex on Monday and Tuesday respectively:
    the accounts and the days of one clause pair up in order."""
    for i in b.multi:
        clause = facts.msg.clauses[i]
        if not _RESPECTIVELY.search(facts.msg.low, clause.start, facts.msg.sentences[facts.msg.sentence_of(clause.start)].end):
            continue
        days = [resolve(d, facts.today, "occurred_on") for d in facts.within(facts.dates, clause)]
        days = [d for d in days if d is not None and d <= facts.today]
        refs = [r.key for r in facts.account_refs(clause)]
        if len(days) == len(refs) > 1 and b.ref.key in refs:
            return days[refs.index(b.ref.key)]
    return None


def _step_due(facts: Facts, spans: list[Span], close_spans: list[Span]):
    """The later day a next step is due on (下周三给北辰发报价 → that Wednesday), if it says one."""
    for s in spans:
        for d in facts.within(facts.dates, s):
            if any(d.span.overlaps(c) for c in close_spans):
                continue
            day = resolve(d, facts.today, "due_at")
            if day is not None and day > facts.today:
                return day
    return None


def _planned_step(facts: Facts, spans: list[Span], close_spans: list[Span]) -> tuple[str, Span | None]:
    """A clause about what comes next without the word 下一步 (下周二前给个初步方案), and its span."""
    for s in spans:
        for d in facts.within(facts.dates, s):
            if any(d.span.overlaps(c) for c in close_spans) or facts.stages_in(s):
                continue
            day = resolve(d, facts.today, "due_at")
            if day is not None and day > facts.today and _ACTION.search(facts.msg.low, d.end, s.end):
                return facts.text(s), s
    return "", None


def _planned_visit(facts: Facts, b: _Bundle, spans: list[Span], pos: int, day) -> Draft:
    draft = Draft("create_reminder", pos, certainty=0.6)
    hour, minute = 9, 0
    for t in facts.times:
        if any(s.start <= t.start and t.end <= s.end for s in spans):
            hour, minute = t.hour, t.minute
            break
    draft.args["due_at"] = f"{day.isoformat()}T{hour:02d}:{minute:02d}"
    draft.args["text"] = _join(facts, spans) or facts.text(Span(0, len(facts.msg.text)))
    draft.set_account(b.ref, required=False)
    return draft


def _update(facts: Facts, b: _Bundle, spans: list[Span], stages, amounts, close_dates, pos: int | None = None) -> Draft:
    pos = min([c.start for c in stages] + [m.start for m in amounts] + [p for p, _ in close_dates] + ([pos] if pos is not None else []))
    draft = Draft("update_opportunity", pos)
    draft.set_account(b.ref)
    account_end = b.ref.mention.end if not b.ref.via_contact else None
    name = deals.deal_name(facts, b.ref.entry, spans, account_end)
    if name:
        draft.args["opportunity"] = name
    stage = stages[-1].value if stages else None
    if stage:
        draft.args["stage"] = stage
    if amounts:
        money = amounts[-1]
        draft.args["amount"] = money.amount
        if money.currency:  # unstated stays unstated: the tool takes the deal's currency
            draft.args["currency"] = money.currency
    if close_dates:
        draft.args["expected_close"] = close_dates[0][1].isoformat()
    if stage in ("lost", "evaluation", "negotiation") or deals.rival_named(facts, spans):
        rival = deals.competitor(facts, spans, lost=stage in ("lost", "evaluation"))
        if rival:
            draft.args["competitor"] = rival
    if stage == "lost":
        skip = [Span(c.start, c.end) for c in stages]
        reason = deals.lost_reason(facts, spans, skip)
        if reason:
            draft.args["lost_reason"] = reason
    return draft


def _asks_yes_no(facts: Facts, clause: Span) -> bool:
    msg, low = facts.msg, facts.msg.low
    sentence = msg.sentences[msg.sentence_of(clause.start)]
    if _YES_NO_CN.search(low, sentence.start, sentence.end):
        return True
    return msg.asked(sentence) and YES_NO_EN.match(low, sentence.start, sentence.end) is not None


def _close_dates(facts: Facts, spans: list[Span]):
    """(position, day) of the expected close dates in the spans, and the clauses holding them."""
    msg = facts.msg
    found, holders = [], []
    previous = None
    for s in spans:
        sentence = msg.sentences[msg.sentence_of(s.start)]
        weak = _WEAK_CLOSE_CUE.search(msg.low, s.start, s.end)
        cue = CLOSE_CUE.search(msg.low, s.start, s.end) or (weak and (
            _DEAL_WORD.search(msg.low, s.start, s.end)
            or _MOVED_TO.match(weak.group()) and _DEAL_WORD.search(msg.low, sentence.start, sentence.end)))
        lead = _DATE_LEAD.match(msg.low, s.start, s.end)
        if not cue and previous is not None and msg.sentence_of(previous.start) == msg.sentence_of(s.start) \
                and any(d.start == lead.end() for d in facts.dates):
            cue = CLOSE_CUE.search(msg.low, previous.start, previous.end)  # slipped again - now end of Feb
        if not cue and _ESTIMATE_LEAD.match(msg.low, s.start, s.end) and any(d.start == lead.end() for d in facts.dates):
            # 又拖了，周总说得等CFO回来，估计要到一月中: the estimate of a slip told earlier in the sentence
            cue = _SLIP.search(msg.low, sentence.start, s.start)
        previous = s
        for d in facts.within(facts.dates, s):
            if not cue or d.kind == "week":  # 下周能签: too vague to be a close date
                continue
            if _happened(facts, s, d):  # 周五去青松签了: the day it was signed, not a close date ahead
                continue
            day = resolve(d, facts.today, "expected_close")
            if day is None or day <= facts.today:
                continue
            found.append((d.start, day))
            holders.append(d.span)
    return found, holders


def _happened(facts: Facts, clause: Span, d) -> bool:
    """Whether a date of the clause is the past day something was done on (周五去青松签了)."""
    day = resolve(d, facts.today, "occurred_on")
    return day is not None and timedelta(0) <= facts.today - day <= timedelta(days=60) and d.kind in ("weekday", "day", "month_day") \
        and d.week is None and d.year is None and _DONE_HERE.search(facts.msg.low, clause.start, clause.end) is not None


def _unnamed(facts: Facts, clause_ids: list[int]) -> list[Draft]:
    """A deal won or lost, with its amount, in a message naming no account: worth asking which."""
    msg = facts.msg
    spans = [msg.clauses[i] for i in clause_ids]
    stages = [c for s in spans for c in facts.stages_in(s)]
    amounts = [m for s in spans for m in facts.within(facts.money, s) if not m.relative]
    if stages and stages[-1].value in ("won", "lost") and amounts:
        draft = Draft("update_opportunity", stages[0].start, certainty=0.6)
        draft.missing.append("account")
        draft.args["stage"] = stages[-1].value
        draft.args["amount"] = amounts[-1].amount
        if amounts[-1].currency:
            draft.args["currency"] = amounts[-1].currency
        return [draft]
    return []


def _join(facts: Facts, spans: list[Span]) -> str:
    """The spans' text as written; neighbouring clauses keep the punctuation between them."""
    runs: list[list[Span]] = []
    for s in sorted(spans, key=lambda x: x.start):
        if runs and _adjacent(facts, runs[-1][-1], s):
            runs[-1].append(s)
        else:
            runs.append([s])
    parts = [facts.text(Span(run[0].start, run[-1].end)) for run in runs]
    return "；".join(p for p in parts if p) if facts.msg.chinese else "; ".join(p for p in parts if p)


def _adjacent(facts: Facts, a: Span, b: Span) -> bool:
    clauses = facts.msg.clauses
    ia = next((i for i, c in enumerate(clauses) if c == a), None)
    return ia is not None and ia + 1 < len(clauses) and clauses[ia + 1] == b


def _after_marker(facts: Facts, region: Span) -> str:
    m = NEXT_STEP.match(facts.msg.low, region.start)
    start = m.end() if m else region.start
    return facts.msg.original(start, region.end)
