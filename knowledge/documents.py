"""Documents of the deal index: one per deal, one per visit of a deal.

A deal document tells the whole story (account, industry, region, size band, stage path with
dates, outcome, competitor, lost reason, objections, the visit notes); a visit document tells one
touch (its day, channel, the stage the deal was in, the notes, the next step, objections raised)
with the deal's facts around it, so "won deals where an on-site demo turned it" can land on the
very visit. Both are written in the deal's language, what matters first (the dense model reads
the first 128 word pieces), and end with the structured facts (industry, outcome, stages,
objections, size) in the other language, so a BM25 question in either language meets them.
Metadata carries the filterable facts. The dense model reads a shorter text (`Doc.dense`): a
visit's notes and next step, a deal's header and outcome; BM25 reads everything.
"""
from __future__ import annotations

from dataclasses import dataclass

from knowledge.records import OPEN_PATH, DealRecord, VisitRecord
from knowledge.vocab import (
    CHANNEL, INDUSTRY_OTHER, OBJECTION, OUTCOME, SIZE, STAGE, language_of, other_language, size_band,
)
from storage.models import Stage

Meta = dict[str, str | int | float | bool]


@dataclass(frozen=True)
class Doc:
    id: str
    text: str
    meta: Meta
    dense: str = ""  # what the embedding model reads (default: the text)

    @property
    def dense_text(self) -> str:
        return self.dense or self.text

    @property
    def deal_id(self) -> int:
        return int(self.meta["deal_id"])


def deal_doc_id(deal_id: int) -> str:
    return f"deal:{deal_id}"


def visit_doc_id(visit_id: int) -> str:
    return f"visit:{visit_id}"


def documents(deal: DealRecord) -> list[Doc]:
    """The deal's documents: the deal first, then its visits in date order."""
    lang = language_of(" ".join([deal.account, deal.name, deal.text]))
    base = _meta(deal, lang)
    docs = [Doc(deal_doc_id(deal.id), _deal_text(deal, lang), base | {"kind": "deal", "visit_id": 0,
                                                                        "day": _day(deal.closed_on)},
                dense=f"{_header(deal, lang)} {_facts(deal, lang, deal.objections)}")]
    for visit in deal.visits:
        stage = deal.stage_on(visit.occurred_on)
        docs.append(Doc(visit_doc_id(visit.id), _visit_text(deal, visit, stage, lang), base | {
            "kind": "visit", "visit_id": visit.id, "day": visit.occurred_on.isoformat(),
            "visit_stage": stage.value}, dense=_visit_notes(visit, lang)))
    return docs


def _meta(deal: DealRecord, lang: str) -> Meta:
    meta: Meta = {
        "deal_id": deal.id, "account_id": deal.account_id, "industry": deal.industry or "",
        "region": deal.region or "", "size_band": size_band(deal.amount, deal.currency) or "",
        "stage": deal.stage.value, "outcome": deal.outcome, "lang": lang,
    }
    for stage in (*OPEN_PATH, Stage.won, Stage.lost):
        meta[f"reached_{stage.value}"] = deal.reached(stage)
    return meta


def _day(value) -> str:
    return value.isoformat() if value else ""


def _header(deal: DealRecord, lang: str) -> str:
    place = ("，" if lang == "zh" else ", ").join(p for p in (deal.industry, deal.region) if p)
    if lang == "zh":
        return f"{deal.account}{f'（{place}）' if place else ''} {deal.name}。"
    return f"{deal.account}{f' ({place})' if place else ''}: {deal.name}."


def _size(deal: DealRecord, lang: str) -> str:
    band = size_band(deal.amount, deal.currency)
    return f"{SIZE[lang][band]} {deal.amount:,.0f} {deal.currency}." if band else ""


def _path(deal: DealRecord, lang: str) -> str:
    steps = " → ".join(f"{STAGE[lang][s.value]} {on.isoformat()}" for s, on in deal.history)
    days = (deal.history[-1][1] - deal.history[0][1]).days if len(deal.history) > 1 else 0
    if lang == "zh":
        return f"阶段：{steps}（{days}天）。"
    return f"Stages: {steps} ({days} days)."


def _facts(deal: DealRecord, lang: str, objections: tuple[str, ...]) -> str:
    parts = []
    zh = lang == "zh"
    parts.append(("结果：" if zh else "Outcome: ") + OUTCOME[lang][deal.outcome])
    if deal.competitor:
        parts.append(("竞品：" if zh else "Competitor: ") + deal.competitor)
    if deal.lost_reason:
        parts.append(("输单原因：" if zh else "Lost reason: ") + deal.lost_reason)
    if objections:
        names = ("、" if zh else ", ").join(OBJECTION[lang].get(k, k) for k in objections)
        parts.append(("异议：" if zh else "Objections: ") + names)
    return ("。" if zh else ". ").join(parts) + ("。" if zh else ".")


def _tags(deal: DealRecord, lang: str, stages: list[Stage], objections: tuple[str, ...]) -> str:
    """The structured facts in the other language, last: BM25 meets a question in either language,
    while the dense model reads the document's own language first."""
    other = other_language(lang)
    words = [INDUSTRY_OTHER.get((deal.industry or "").casefold(), ""), OUTCOME[other][deal.outcome]]
    words += [STAGE[other][s.value] for s in stages]
    words += [OBJECTION[other].get(k, k) for k in objections]
    band = size_band(deal.amount, deal.currency)
    if band:
        words.append(SIZE[other][band])
    return " ".join(dict.fromkeys(w for w in words if w))


def _deal_text(deal: DealRecord, lang: str) -> str:
    """Who and what first, then the notes, then dates and sizes: the dense model reads only the
    first 128 word pieces."""
    notes = " ".join(v.summary for v in deal.visits if v.summary)
    lead = "拜访记录：" if lang == "zh" else "Visit notes: "
    stages = [s for s, _ in deal.history]
    return " ".join(p for p in (
        _header(deal, lang), _facts(deal, lang, deal.objections), lead + notes if notes else "",
        _path(deal, lang), _size(deal, lang), _tags(deal, lang, stages, deal.objections)) if p)


def _visit_notes(visit: VisitRecord, lang: str) -> str:
    if not visit.next_step:
        return visit.summary
    return f"{visit.summary} {'下一步：' if lang == 'zh' else 'Next step: '}{visit.next_step}"


def _visit_text(deal: DealRecord, visit: VisitRecord, stage: Stage, lang: str) -> str:
    """The notes first, then where the deal stood and how it ended."""
    zh = lang == "zh"
    parts = [_visit_notes(visit, lang)]
    if visit.objections:
        names = ("、" if zh else ", ").join(OBJECTION[lang].get(k, k) for k in visit.objections)
        parts.append(("异议：" if zh else "Objections: ") + names + ("。" if zh else "."))
    channel = CHANNEL[lang].get(visit.channel or "", "")
    when = f"{visit.occurred_on.isoformat()} {channel}".strip()
    if stage.is_closed:
        parts.append(f"{when}，结单拜访。" if zh else f"{when}, closing touch.")
    else:
        parts.append(f"{when}，{STAGE[lang][stage.value]}阶段。" if zh else f"{when}, in {STAGE[lang][stage.value]}.")
    parts += [_header(deal, lang), _facts_short(deal, lang), _size(deal, lang),
              _tags(deal, lang, [] if stage.is_closed else [stage], visit.objections)]
    return " ".join(p for p in parts if p)


def _facts_short(deal: DealRecord, lang: str) -> str:
    zh = lang == "zh"
    text = ("最终" if zh else "Deal ") + OUTCOME[lang][deal.outcome]
    if deal.competitor:
        text += ("，竞品" if zh else ", competitor ") + deal.competitor
    return text + ("。" if zh else ".")
