"""Questions to the CRM: forecasts and potential (`analytics_questions`), pending approvals,
reminders, top accounts, pipeline, data health, one account's overview and next-step advice. A message is a question only when nothing in it
asks to write something (see the engine); the first kind whose cue it carries wins."""
from __future__ import annotations

import re

from intents.rules import analytics_questions
from intents.rules.dates import find_periods
from intents.rules.facts import Draft, Facts, gather
from intents.rules.lexicon import (
    ACCOUNT_WORD, ACTIVITY_REPORT, ADVICE, DATA_HEALTH, LIST_REMINDERS, OVERVIEW, PENDING, PIPELINE_REPORT, QUESTION, SUGGEST, TOP,
)
from intents.rules.numerals import number
from intents.rules.text import MAX_CHARS, Span, prepare

_WEEKLY = re.compile(r"周报|周总结|周汇总|每周汇总|一周总结|本周总结|上周总结|周简报|\bweekly\s+(?:report|digest|summary|recap|update)\b|"
                     r"\b(?:week(?:'s)?|monday)\s+(?:digest|recap|summary|report)\b|\bdigest\b", re.ASCII)
_BY_REP = re.compile(r"按人|按销售|按业务员|按成员|分人|每个人|每人|各人|每个销售|每位|谁的|\bby (?:rep|person|salesperson|seller|owner|member)s?\b|"
                     r"\bper (?:rep|person|salesperson|seller|head)\b|\beach rep\b|\bbreak(?:\s*it)?\s*down\b|\bbreakdown\b", re.ASCII)
_TEAM = re.compile(r"团队|全组|(?:我们|咱们?|俺们|我)(?:组|部门|小组|团队)|组里|部门里|大家|所有人|全员|各位|\bteam\b|\beveryone\b|\ball reps\b|\bwhole\b|\bcompany\b", re.ASCII)
# "me" after give / send / show is who receives the answer, not whose figures they are
_MINE = re.compile(r"(?<![给帮让叫诉和跟替发])我(?![们想要看])|\bmy\b|\bmine\b|\bi\b|"
                   r"(?<!give )(?<!send )(?<!show )(?<!tell )(?<!get )(?<!pull )(?<!email )\bme\b", re.ASCII)
_LIMIT = re.compile(
    r"\btop\s*(\d+|three|five|ten|twenty)\b|前\s*(\d+|[一二三四五六七八九十]+)\s*(?:个|名|家|位)?|"
    r"(\d+|[一二三四五六七八九十]+)\s*(?:个|家|位)\s*客户|\b(\d+)\s+(?:accounts|customers|clients)\b|"
    r"\b(\d+|three|five|ten)\s+(?:most|biggest|largest|best|highest|top)\b", re.ASCII)
_ASKS = re.compile(r"[?？]|吗|呢|\bpls\b|\bplease\b")
_ASKS_ALONE = re.compile(r"怎么(?:推进?|走|弄|做|办)(?:比较|才|会)?好|怎么破|怎么办|咋办|咋整|支招|该怎么|出出主意|有啥建议|有什么建议|有何建议|给点建议|有没有(?:什么)?建议|有啥办法|有什么(?:好)?办法")
_METRICS = [
    ("won", re.compile(r"签单|成交|签约|签下|签了|签的|赢单|回款|业绩|销售额|\bclosed\b|\bwon\b|\bwins?\b|revenue|bookings|closed[- ]won", re.ASCII)),
    ("activity", re.compile(r"拜访|活跃|跟进|互动|见面|跑得|跑的|最勤|去得最多|touch|visit|activit|engag|\bactive\b|meetings?|calls", re.ASCII)),
    ("pipeline", re.compile(r"pipeline|在谈|商机|金额|\bopen\b|\bpipe\b|deal size|opportunit|\bvalue\b|\bamount", re.ASCII)),
]


# where a list of questions turns to the next one: …, and my reminders for next week; … + top 5 by pipeline; 先列…，再看看…
_NEXT_QUESTION = re.compile(r"\s*[,，]?\s*(?:\b(?:and|then|plus|also)\b|然后|再|以及|并且|顺便)\s*(?:(?:pls|please|also)\s+)?|\s*[+&;；]\s*", re.ASCII)


def detect_all(facts: Facts) -> list[Draft]:
    """Every question a message asks, in order (show me pending approvals and my reminders for
    next week; pull up Globex and tell me how to get past their freeze): the message is cut where
    it turns to a next question, each part read alone (an account question without an account
    takes the message's), and parts asking the same kind are one question. One question, or
    none, when the parts do not ask different kinds."""
    whole = detect(facts)
    if whole is None:
        return []
    msg = facts.msg
    cuts = [m for m in _NEXT_QUESTION.finditer(msg.low) if m.start() > 0 and m.end() < len(msg.low)]
    if not cuts or not _two_kinds(msg.low):
        return [whole]  # one kind of question cue: nothing to cut (and no part to read again)
    context = [r for r in facts.account_refs(Span(0, len(msg.low))) if r.name]
    bounds = [0] + [m.end() for m in cuts]
    ends = [m.start() for m in cuts] + [len(msg.low)]
    parts: list[tuple[int, int, Draft]] = []
    for start, end in zip(bounds, ends):
        draft = _part(facts, start, end, context)
        if parts and _LISTING.search(msg.low, parts[-1][0], parts[-1][1]):
            draft = None  # top accounts by visits and pipeline: a list of measures, one question
        if parts and (draft is None or draft.name == parts[-1][2].name):
            first = parts[-1][0]
            parts[-1] = (first, end, _part(facts, first, end, context) or parts[-1][2])
        elif draft is not None:
            parts.append((start, end, draft))
        elif not parts:
            return [whole]  # the message opens with no question of its own: read it whole
    if len({d.name for _, _, d in parts}) < 2:
        return [whole]
    for start, _, draft in parts:
        draft.pos = start
    return [d for _, _, d in parts]


_KINDS = (OVERVIEW, PIPELINE_REPORT, SUGGEST, PENDING, LIST_REMINDERS, TOP, DATA_HEALTH, ACTIVITY_REPORT)
def _two_kinds(low: str) -> bool:
    found = 0
    for rx in _KINDS:
        if rx.search(low):
            found += 1
            if found == 2:
                return True
    return False


_LISTING = re.compile(r"(?:\bby\b|按)\s*[\w\- ]{0,24}$", re.ASCII)


def _part(facts: Facts, start: int, end: int, context) -> Draft | None:
    part = gather(prepare(facts.msg.original(start, end)), facts.ctx)
    return detect(part, context=context)


def detect(facts: Facts, *, context=()) -> Draft | None:
    """The question the message asks, by the first kind whose cue it carries; `context`: accounts
    to ask about when the text names none (a part of a longer message)."""
    low = facts.msg.low
    asked = analytics_questions.detect(facts)
    if asked is not None:
        if asked.name == "account_potential":
            _limit(asked, low)
        return _with(asked, scope=_scope(low))
    if PENDING.search(low):
        return Draft("list_pending_approvals", 0)
    if LIST_REMINDERS.search(low):
        return _with(Draft("list_reminders", 0), period=_period(facts, LIST_REMINDERS))
    if TOP.search(low) and ACCOUNT_WORD.search(low):
        return _top(facts)
    if ACTIVITY_REPORT.search(low) and not facts.account_refs(Span(0, len(low))):
        draft = _top(facts)
        draft.args.setdefault("metric", "activity")
        return draft
    if _WEEKLY.search(low):
        period = _period(facts)
        return _with(Draft("weekly_report", 0), period=period if period in ("last_week", "this_week") else None)
    if PIPELINE_REPORT.search(low):
        rep = _rep(facts)
        return _with(Draft("pipeline_report", 0), period=_period(facts, PIPELINE_REPORT),
                     scope=None if rep else _scope(low), rep=rep, by_rep=True if _BY_REP.search(low) else None)
    if DATA_HEALTH.search(low):
        return _with(Draft("data_health", 0), scope=_scope(low))
    refs = facts.account_refs(Span(0, len(low))) or list(context)
    if refs and refs[0].name:
        if SUGGEST.search(low) and QUESTION.search(low):
            draft = Draft("suggest_next_steps", 0)
            draft.set_account(refs[0])
            draft.args["question"] = facts.msg.raw[:MAX_CHARS].strip()
            return draft
        if OVERVIEW.search(low):
            draft = Draft("account_overview", 0)
            draft.set_account(refs[0])
            return draft
    return None


_ACCOUNT_QUESTIONS = ("account_overview", "suggest_next_steps")
_PERIOD_QUESTIONS = ("top_accounts", "pipeline_report", "list_reminders")
QUESTION_TOOLS = ("list_pending_approvals", "list_reminders", "top_accounts", "pipeline_report", "data_health",
                  *_ACCOUNT_QUESTIONS)


def build(name: str, facts: Facts) -> Draft | None:
    """A question of kind `name` read off the whole message, whatever its wording: the period, the
    scope, the metric and the limit as the message states them; for a question about one account,
    the first account it names (None when it names none). A question about a period is not read
    into a message that names an account and no period. Used when the learned model, not a
    cue, says what a message asks (see `fusion`)."""
    low = facts.msg.low
    about_account = any(r.name for r in facts.account_refs(Span(0, len(low))))
    if name in _PERIOD_QUESTIONS and about_account and _period(facts) is None:
        return None  # 明远的情况怎么样了: a question about an account, not about a period
    if name == "list_pending_approvals":
        return Draft(name, 0)
    if name == "list_reminders":
        return _with(Draft(name, 0), period=_period(facts, LIST_REMINDERS))
    if name == "top_accounts":
        return _top(facts)
    if name == "pipeline_report":
        return _with(Draft(name, 0), period=_period(facts, PIPELINE_REPORT), scope=_scope(low))
    if name == "data_health":
        return _with(Draft(name, 0), scope=_scope(low))
    if name in _ACCOUNT_QUESTIONS:
        refs = [r for r in facts.account_refs(Span(0, len(low))) if r.name or r.candidates]
        if not refs:
            return None
        draft = Draft(name, refs[0].pos)
        draft.set_account(refs[0])
        if name == "suggest_next_steps":
            draft.args["question"] = facts.msg.raw[:MAX_CHARS].strip()
        return draft
    return None


def advice(facts: Facts, taken: list[Span]) -> tuple[Draft, Span] | None:
    """A request for advice about a named account (…, any tips to get Sam back on a call?), and
    the text it owns: from its clause to the end of its sentence."""
    msg, low = facts.msg, facts.msg.low
    for m in ADVICE.finditer(low):
        if any(t.start <= m.start() < t.end for t in taken):
            continue
        sentence = msg.sentences[msg.sentence_of(m.start())]
        if not (_ASKS.search(low, sentence.start, sentence.end + 2) or _ASKS_ALONE.match(low, m.start())):
            continue
        refs = facts.account_refs(Span(0, len(low)))
        if not refs or not refs[0].name:
            return None
        draft = Draft("suggest_next_steps", m.start())
        draft.set_account(refs[0])
        draft.args["question"] = facts.msg.raw[:MAX_CHARS].strip()
        return draft, Span(msg.clauses[msg.clause_of(m.start())].start, sentence.end)
    return None


_ASKS_ABOUT = re.compile(r"[?？]|吗|呢|啥|什么|咋样|怎么样|如何|\bhow\b|\bwhat\b|(?:给我|帮我|我)(?:先)?(?:看|过|查|捋)|"
                         r"^\s*(?:pls\s+|please\s+)?(?:pull up|look up|show me|brief me|catch me up)", re.ASCII)


def overview_beside(facts: Facts, advised: tuple[Draft, Span]) -> Draft | None:
    """华康最近啥情况？这单下一步怎么推: an account's overview asked in its own clause before a request
    for advice about it, as a second call."""
    msg, low = facts.msg, facts.msg.low
    draft, span = advised
    for clause in msg.clauses:
        if clause.end > span.start and clause.start >= span.start:
            break
        end = min(clause.end, span.start)
        m = OVERVIEW.search(low, clause.start, end)
        if m and _ASKS_ABOUT.search(low[clause.start:end + 1]) and not ADVICE.search(low, clause.start, end):
            overview = Draft("account_overview", m.start())
            overview.args["account"] = draft.args.get("account")
            overview.certainty = draft.certainty
            return overview if overview.args["account"] else None
    return None


def _top(facts: Facts) -> Draft:
    low = facts.msg.low
    metric = next((name for name, rx in _METRICS if rx.search(low)), None)
    return _limit(_with(Draft("top_accounts", 0), period=_period(facts, TOP), metric=metric, scope=_scope(low)), low)


def _limit(draft: Draft, low: str) -> Draft:
    """How many the question asks for (top 3, 前五个, 10 accounts), 1 to 50."""
    m = _LIMIT.search(low)
    if m:
        value = number(next(g for g in m.groups() if g))
        if value is not None and 1 <= value <= 50:
            draft.args["limit"] = int(value)
    return draft


def _period(facts: Facts, cue: re.Pattern | None = None) -> str | None:
    """The report period: a named one (本周, last quarter), else a quarter or month named by its
    number when it is the current or the previous one (Q4 in November → this_quarter). When a
    message names several and asks two questions (先列下今天的待办，再看看我这周的pipeline), each
    question takes the period of its own clause (`cue`: the words that ask it)."""
    periods = find_periods(facts.msg.low)
    if periods and cue is not None and (asked := cue.search(facts.msg.low)):
        msg = facts.msg
        clause = msg.clauses[msg.clause_of(asked.start())]
        own = [p for pos, p in periods if clause.start <= pos < clause.end]
        if own:
            return own[0]
        if facts.within(facts.dates, clause):
            return None  # 明天的待办: a day of its own that no period names
        if len(periods) > 1:
            return periods[0][1]
    if periods:
        return periods[0][1]
    today = facts.today
    quarter, month = (today.month - 1) // 3 + 1, today.month
    for d in facts.dates:
        if d.kind == "quarter" and d.quarter is not None and not d.years:
            if d.quarter == quarter and d.year in (None, today.year):
                return "this_quarter"
            previous_year = today.year - 1 if quarter == 1 else today.year
            if d.quarter == (quarter - 2) % 4 + 1 and d.year in (None, previous_year):
                return "last_quarter"  # Q4 asked in January
        if d.kind == "month" and d.month is not None:
            if d.month == month:
                return "this_month"
            if d.month == (month - 2) % 12 + 1:
                return "last_month"
    return None


def _rep(facts: Facts) -> str | None:
    """A colleague whose figures are asked for (王磊这个月的pipeline, Alice's forecast); the
    sender naming themselves is "mine"."""
    for m in facts.mentions_of("user"):
        if m.entry is not None and m.entry.id != facts.ctx.user.id:
            return m.entry.name
    return None


def _scope(low: str) -> str | None:
    if _TEAM.search(low):
        return "team"
    if _MINE.search(low):
        return "mine"
    return None


def _with(draft: Draft, **args) -> Draft:
    draft.args.update({k: v for k, v in args.items() if v is not None})
    return draft
