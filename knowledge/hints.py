"""One short, optional hint after a visit is logged: what similar won deals did next at this stage.

    hint_after_visit(account_id, session=, knowledge=, lang=) -> "💡 Similar deals moved on after
    this in evaluation: an on-site demo [#12, #40]" or None

None unless at least `MIN_SUPPORT` similar won deals ran the same play at the deal's stage and the
deal has not run it yet: a hint is only worth a line when the pattern is real.
"""
from __future__ import annotations

from collections import Counter

from sqlmodel import Session

from knowledge.plays import STRONG_PLAYS, plays_in
from knowledge.records import load_deals
from knowledge.suggest import SIMILAR, moves_in_stage, similar_deals, target_of
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
    records = load_deals(session=session, deal_ids=[h.deal_id for h in hits])
    done = set(plays_in(target.deal.text))
    support: dict[str, list[int]] = {}
    for record in records:
        move = moves_in_stage(record, target.stage)
        for play in move.plays if move else ():
            if play in STRONG_PLAYS and play not in done:
                support.setdefault(play, []).append(record.id)
    if not support:
        return None
    ranked = Counter({play: len(ids) for play, ids in support.items()})
    play, count = ranked.most_common(1)[0]
    if count < MIN_SUPPORT:
        return None
    action = words.pick(words.TEMPLATES["hint_action"], lang)[play]
    return words.text("hint", lang, stage=words.pick(words.STAGE[target.stage.value], lang), action=action,
                      cites=words.cites(support[play][:4]))
