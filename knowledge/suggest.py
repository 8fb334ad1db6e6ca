"""Next steps from similar past deals: what won deals did at this stage, how long it took them,
what answered the objections, what lost the others. Every step cites the deals it came from.

    suggest(knowledge, session=, account_id=, deal_id=None, question=None, lang=)

1. The deal: the one given, else the account's open deal (most recently updated); an account with
   no open deal is advised as a new deal in prospect.
2. Retrieval over closed deals that went through the same stage: first by the question and the
   deal's latest note alone (deals that met the same problem), then by a query from the question,
   the account's industry and region, the stage, the objections raised and the latest notes.
3. Synthesis, from the retrieved deals' own records (`knowledge.evidence`): the sentences of the
   won deals' visit notes and next steps that best answer the question (BM25 + dense over
   sentences), quoted briefly and cited; a play that at least two won deals ran at this stage
   (and the median days until they moved on); the most similar lost deal's reason, in its own
   words, as the risk. Word lists rank and label this evidence, never gate it.
4. Offline the steps are worded from `prompts/knowledge.py`; with an LLM configured, the model
   rewrites them from the same facts (`knowledge.rag`) and must keep the citations, else the
   templated answer stands.

Returns None when no similar closed deal is found; the caller then keeps its rule-based answer.
"""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlmodel import Session

from knowledge.evidence import best_sentences, loss_quote
from knowledge.filters import Filters
from knowledge.plays import STRONG_PLAYS, loss_reason, objections_in, plays_in
from knowledge.records import DealRecord, load_deals
from knowledge.retriever import Hit
from knowledge.vocab import OBJECTION, industry_names, language_of, stage_label
from prompts import knowledge as words
from storage.models import Account, Stage
from storage.repos.deals import deals_of_accounts

SIMILAR = 8
MAX_STEPS = 4
MAX_QUOTES = 2
MIN_PLAY_SUPPORT = 2
NOTES_IN_QUERY = 2
NOTE_CHARS = 200


@dataclass
class Step:
    kind: str  # play, talk_track, risk, next_step
    key: str  # the play, objection or loss reason
    cites: list[int]
    facts: dict[str, Any]
    text: str


@dataclass
class Suggestion:
    account: dict[str, Any]
    deal: dict[str, Any] | None
    stage: str
    question: str | None
    lang: str
    steps: list[Step]
    similar: list[dict[str, Any]]
    answer: str
    engine: str = "template"  # or llm
    facts: list[str] = field(default_factory=list)  # what a chat model was (or would be) given

    def to_data(self) -> dict[str, Any]:
        """JSON-ready, for a tool result."""
        return {"account": self.account, "deal": self.deal, "stage": self.stage, "question": self.question,
                "steps": [asdict(s) for s in self.steps], "similar": self.similar, "answer": self.answer,
                "engine": self.engine}


@dataclass
class Target:
    account: Account
    deal: DealRecord | None
    stage: Stage


def suggest(knowledge, *, session: Session, account_id: int, deal_id: int | None = None,
            question: str | None = None, lang: str = "zh", use_llm: bool = True) -> Suggestion | None:
    """Two to four next steps for the account's deal from similar past deals (module docstring).
    `knowledge` is a `knowledge.service.Knowledge`."""
    account = session.get(Account, account_id)
    if account is None:
        return None
    target = target_of(session, account, deal_id)
    hits = _merge(about_question(knowledge, target, question), similar_deals(knowledge, target, question))
    if not hits:
        return None
    records = {r.id: r for r in load_deals(session=session, deal_ids=[h.deal_id for h in hits])}
    ranked = [records[h.deal_id] for h in hits if h.deal_id in records]
    index = knowledge.index
    embedder = index.embedder if index.dense_ready() else None
    steps = _steps(target, question, ranked, lang, embedder, knowledge.sentence_vectors,
                   index.term_statistics())
    if not steps:
        return None
    order = [r.id for r in ranked]
    cited = sorted({d for s in steps for d in s.cites}, key=lambda d: (d not in order, order.index(d) if d in order else d))
    similar = [_source(records[d]) for d in cited]
    suggestion = Suggestion(
        account={"id": account.id, "name": account.name},
        deal={"id": target.deal.id, "name": target.deal.name, "stage": target.deal.stage.value} if target.deal else None,
        stage=target.stage.value, question=question, lang=lang, steps=steps, similar=similar,
        answer="", facts=[_fact_line(records[d], target.stage, lang) for d in dict.fromkeys([*order, *cited])])
    suggestion.answer = render(suggestion)
    if use_llm and knowledge.llm() is not None:
        from knowledge.rag import rewrite

        rewritten = rewrite(knowledge.llm(), suggestion)
        if rewritten is not None:
            suggestion.answer, suggestion.engine = rewritten, "llm"
    return suggestion


def _merge(*rankings: list[Hit]) -> list[Hit]:
    """The hits of several searches, each deal once, in the order first found."""
    seen: dict[int, Hit] = {}
    for hits in rankings:
        for hit in hits:
            seen.setdefault(hit.deal_id, hit)
    return list(seen.values())


def about_question(knowledge, target: Target, question: str | None, k: int = SIMILAR) -> list[Hit]:
    """Closed deals that went through the target's stage, ranked by the question and the deal's
    latest note alone (the deals that met the same problem, whatever their industry)."""
    if not question:
        return []
    notes = [v.summary[:NOTE_CHARS] for v in target.deal.visits[-1:]] if target.deal else []
    exclude = {target.deal.id} if target.deal else set()
    filters = Filters(stage=target.stage, outcome=("won", "lost"), exclude_deals=frozenset(exclude))
    return knowledge.retriever().search(" ".join([question, *notes]), filters, k)


def target_of(session: Session, account: Account, deal_id: int | None) -> Target:
    """The deal to advise on and its stage (module docstring, step 1)."""
    deal_row = None
    if deal_id is not None:
        deal_row = next((d for d in deals_of_accounts([account.id], session=session) if d.id == deal_id), None)
    if deal_row is None:
        open_deals = deals_of_accounts([account.id], session=session, open_only=True)
        deal_row = open_deals[0] if open_deals else None
    record = load_deals(session=session, deal_ids=[deal_row.id])[0] if deal_row is not None else None
    stage = record.stage if record is not None and not record.stage.is_closed else Stage.prospect
    return Target(account=account, deal=record, stage=stage)


def similar_deals(knowledge, target: Target, question: str | None, k: int = SIMILAR) -> list[Hit]:
    """Closed deals like the target that went through its stage, most similar first."""
    query = target_query(target, question)
    exclude = {target.deal.id} if target.deal else set()
    filters = Filters(stage=target.stage, outcome=("won", "lost"), exclude_deals=frozenset(exclude))
    return knowledge.retriever().search(query, filters, k)


def target_query(target: Target, question: str | None) -> str:
    """What the target deal is about, in the words its documents would use."""
    account = target.account
    lang = language_of(" ".join(filter(None, [account.name, question or "", target.deal.text if target.deal else ""])))
    parts = [question or "", industry_names(account.industry), account.region or "",
             stage_label(target.stage, lang)]
    if target.deal is not None:
        parts += [OBJECTION[lang].get(k, k) for k in target.deal.objections]
        if target.deal.competitor:
            parts.append(target.deal.competitor)
        parts += [v.summary[:NOTE_CHARS] for v in target.deal.visits[-NOTES_IN_QUERY:]]
    return " ".join(p for p in parts if p)


# --- synthesis ---------------------------------------------------------------------------------


@dataclass
class Move:
    deal: DealRecord
    plays: list[str]
    days: int | None
    next_stage: Stage | None
    next_steps: list[str]


def moves_in_stage(deal: DealRecord, stage: Stage) -> Move | None:
    """What a won deal did while in `stage`: its plays, days until it moved on, next steps."""
    entered = deal.entered(stage)
    if entered is None:
        return None
    after = deal.left(stage)
    until = after[1] if after else None
    visits = [v for v in deal.visits if v.occurred_on >= entered and (until is None or v.occurred_on < until)]
    plays: list[str] = []
    for visit in visits:
        for play in plays_in(f"{visit.summary} {visit.next_step or ''}"):
            if play not in plays:
                plays.append(play)
    return Move(deal=deal, plays=plays, days=(until - entered).days if until else None,
                 next_stage=after[0] if after else None,
                 next_steps=[v.next_step for v in visits if v.next_step])


def _steps(target: Target, question: str | None, ranked: list[DealRecord], lang: str, embedder,
           cache: dict, reference=None) -> list[Step]:
    won = [d for d in ranked if d.stage is Stage.won]
    lost = [d for d in ranked if d.stage is Stage.lost]
    done = set(plays_in(target.deal.text)) if target.deal else set()
    moves = [m for m in (moves_in_stage(d, target.stage) for d in won) if m is not None]
    steps = _evidence_steps(target, question, won, lang, embedder, cache, reference)
    steps += [s for s in _play_steps(moves, done, target.stage, lang) if s.facts["deals"] >= MIN_PLAY_SUPPORT][:1]
    risk = _risk_step(lost, lang)
    if risk is not None:
        steps.append(risk)
    if len(steps) < 2:
        steps += _next_step_fallback(moves, lang)[: 2 - len(steps)]
    return _limit(steps)


def evidence_query(target: Target, question: str | None, lang: str) -> str:
    """What the sentences should answer: the question, else the deal's objections and latest notes."""
    if question:
        return question
    parts = [stage_label(target.stage, lang)]
    if target.deal is not None:
        parts += [OBJECTION[lang].get(k, k) for k in target.deal.objections]
        parts += [v.summary[:NOTE_CHARS] for v in target.deal.visits[-NOTES_IN_QUERY:]]
    return " ".join(p for p in parts if p)


def _evidence_steps(target: Target, question: str | None, won: list[DealRecord], lang: str, embedder,
                    cache: dict, reference=None) -> list[Step]:
    """The sentences of similar won deals that best answer the question, quoted and cited."""
    query = evidence_query(target, question, lang)
    asked = objections_in(query) + list(target.deal.objections if target.deal else ())
    steps = []
    for quote in best_sentences(query, won, stage=target.stage, lang=lang, embedder=embedder, cache=cache,
                                limit=MAX_QUOTES, reference=reference):
        topic = next((k for k in asked if k in quote.objections), None)
        if topic is not None:
            name = words.pick(words.OBJECTION_NAME.get(topic, (topic, topic)), lang)
            text = words.text("talk_track", lang, objection=name, quote=quote.text)
        else:
            text = words.text("evidence", lang, quote=quote.text)
        steps.append(Step("talk_track" if topic else "evidence", topic or "quote", [quote.deal_id],
                          {"quote": quote.text, "score": quote.score, "plays": list(quote.plays),
                           "objection": topic}, text))
    return steps


def _limit(steps: list[Step]) -> list[Step]:
    """At most four, in the given order."""
    return steps[:MAX_STEPS]


def _play_steps(moves: list[Move], done: set[str], stage: Stage, lang: str) -> list[Step]:
    by_play: dict[str, list[Move]] = {}
    for move in moves:
        for play in move.plays:
            by_play.setdefault(play, []).append(move)
    candidates = [p for p in by_play if p not in done]
    candidates.sort(key=lambda p: (p not in STRONG_PLAYS, -len(by_play[p]),
                                   min(moves.index(m) for m in by_play[p])))
    steps = []
    for play in candidates[:2]:
        used = by_play[play]
        days = [m.days for m in used if m.days is not None]
        nexts = Counter(m.next_stage.value for m in used if m.next_stage)
        next_stage = nexts.most_common(1)[0][0] if nexts else Stage.won.value
        facts = {"play": play, "deals": len(used), "of_won": len(moves), "stage": stage.value,
                 "next_stage": next_stage, "median_days": round(statistics.median(days)) if days else None}
        action = words.pick(words.PLAY_ACTION[play], lang)
        key = "play_closed" if next_stage in ("won", "lost") else "play"
        next_label = words.pick(words.STAGE[next_stage], lang)
        text = words.text(key, lang, action=action, count=len(used), s="" if len(used) == 1 else "s", stage=words.pick(words.STAGE[stage.value], lang),
                          days=facts["median_days"] if facts["median_days"] is not None else "—", next=next_label)
        steps.append(Step("play", play, [m.deal.id for m in used][:4], facts, text))
    return steps


def _risk_step(lost: list[DealRecord], lang: str) -> Step | None:
    """The most similar lost deal's reason, in its own words, with the other similar deals lost
    the same way."""
    if not lost:
        return None
    first = lost[0]
    reason = loss_reason(first.lost_reason, first.visits[-1].objections if first.visits else ())
    same = [d.id for d in lost if loss_reason(d.lost_reason, d.visits[-1].objections if d.visits else ()) == reason]
    quote = loss_quote(first)
    action = words.pick(words.RISK_ACTION.get(reason, words.RISK_ACTION["no_decision"]), lang)
    if quote:
        text = words.text("risk_quote", lang, account=first.account, quote=quote, action=action)
    else:
        name = words.pick(words.OBJECTION_NAME.get(reason, ("决策停滞", "a stalled decision")), lang)
        text = words.text("risk", lang, reason=name, action=action, count=len(same), s="" if len(same) == 1 else "s")
    return Step("risk", reason, same[:4], {"reason": reason, "lost_deals": len(same), "quote": quote}, text)


def _next_step_fallback(moves: list[Move], lang: str) -> list[Step]:
    seen: dict[str, list[int]] = {}
    for move in moves:
        for step in move.next_steps:
            seen.setdefault(step, []).append(move.deal.id)
    ranked = sorted(seen.items(), key=lambda kv: -len(kv[1]))
    return [Step("next_step", text, deals[:4], {"next_step": text}, words.text("next_step", lang, text=text))
            for text, deals in ranked[:2]]


# --- wording -----------------------------------------------------------------------------------


def _source(deal: DealRecord) -> dict[str, Any]:
    return {"id": deal.id, "name": deal.name, "account": deal.account, "outcome": deal.outcome}


def render(suggestion: Suggestion) -> str:
    """The templated answer: a header, numbered steps each with its citations, the sources."""
    lang = suggestion.lang
    stage = words.pick(words.STAGE[suggestion.stage], lang)
    if suggestion.deal:
        head = words.text("header_deal", lang, account=suggestion.account["name"], deal=suggestion.deal["name"],
                          stage=stage, n=len(suggestion.similar))
    else:
        head = words.text("header", lang, account=suggestion.account["name"], n=len(suggestion.similar))
    lines = [head]
    for i, step in enumerate(suggestion.steps, 1):
        lines.append(f"{i}. {step.text} {words.cites(step.cites)}")
    sources = ("；" if lang == "zh" else "; ").join(
        words.text("source", lang, id=s["id"], account=s["account"], deal=s["name"],
                   outcome=words.pick(words.OUTCOME[s["outcome"]], lang)) for s in suggestion.similar)
    lines.append(words.pick(words.TEMPLATES["sources"], lang) + sources)
    return "\n".join(lines)


def _fact_line(deal: DealRecord, stage: Stage, lang: str) -> str:
    """One retrieved deal as the facts a chat model may use, led by its citation tag."""
    path = " → ".join(f"{s.value} {on.isoformat()}" for s, on in deal.history)
    parts = [f"[#{deal.id}] {deal.account} / {deal.name}; industry {deal.industry or '-'}; outcome {deal.outcome}",
             f"stages {path}"]
    if deal.competitor:
        parts.append(f"competitor {deal.competitor}")
    if deal.lost_reason:
        parts.append(f"lost reason {deal.lost_reason}")
    if deal.objections:
        parts.append("objections " + ", ".join(deal.objections))
    notes = " | ".join(f"{v.occurred_on.isoformat()}: {v.summary}" for v in deal.visits)
    return "; ".join(parts) + f"\n    notes: {notes}"
