"""One short, optional hint after a visit is logged: what similar won deals did next at this stage.

    hint_after_visit(account_id, session=, knowledge=, lang=) -> "💡 Similar deals moved on after
    this in evaluation: an on-site demo [#12, #40]" or None

A play at least `MIN_SUPPORT` similar won deals ran at the deal's stage (and the deal has not)
comes first; otherwise the sentence of a similar won deal's notes that best answers the latest
visit (`knowledge.evidence`), quoted and cited. None when neither exists.
"""
from __future__ import annotations

from collections import Counter

from sqlmodel import Session

from knowledge.evidence import best_sentences
from knowledge.plays import STRONG_PLAYS, plays_in
from knowledge.records import load_deals
from knowledge.suggest import SIMILAR, evidence_query, moves_in_stage, similar_deals, target_of
from prompts import knowledge as words
from storage.models import Account, Stage

MIN_SUPPORT = 2


def hint_after_visit(account_id: int, *, session: Session, knowledge, lang: str = "zh") -> str | None:
    account = session.get(Account, account_id)
    if account is None:
        return None
    target = target_of(session, account, None)
    if target.deal is None or target.deal.stage.is_closed:
        return None
    hits = [h for h in similar_deals(knowledge, target, None, SIMILAR) if h.outcome == Stage.won.value]
    order = [h.deal_id for h in hits]
    records = sorted(load_deals(session=session, deal_ids=order), key=lambda r: order.index(r.id))
    done = set(plays_in(target.deal.text))
    support: dict[str, list[int]] = {}
    for record in records:
        move = moves_in_stage(record, target.stage)
        for play in move.plays if move else ():
            if play in STRONG_PLAYS and play not in done:
                support.setdefault(play, []).append(record.id)
    ranked = Counter({play: len(ids) for play, ids in support.items()})
    play, count = ranked.most_common(1)[0] if ranked else (None, 0)
    if count < MIN_SUPPORT:
        return _quote_hint(target, records, knowledge, lang)
    action = words.pick(words.TEMPLATES["hint_action"], lang)[play]
    return words.text("hint", lang, stage=words.pick(words.STAGE[target.stage.value], lang), action=action,
                      cites=words.cites(support[play][:4]))


def _quote_hint(target, won, knowledge, lang: str) -> str | None:
    embedder = knowledge.index.embedder if knowledge.index.dense_ready() else None
    quotes = best_sentences(evidence_query(target, None, lang), won, stage=target.stage, lang=lang,
                            embedder=embedder, cache=knowledge.sentence_vectors, limit=1,
                            reference=knowledge.index.term_statistics())
    if not quotes:
        return None
    return "💡 " + words.text("evidence", lang, quote=quotes[0].text) + " " + words.cites([quotes[0].deal_id])
