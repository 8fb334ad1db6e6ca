"""What each demo deal is about, read from the demo dataset itself, to label the retrieval set.

The demo's visit notes are filled-in templates (`storage/demo_data/notes.py`); a note tells a
driver (an on-site demo, a POC...) or an answered objection exactly when it contains the sentence
of that template. So the facts used for labels come from the data's own meaning, never from what
a retriever returns.
"""
from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from storage.demo import build_demo
from storage.demo_data.notes import NOTES

EVAL_TODAY = date(2026, 11, 25)
EVAL_SEED = 7


@dataclass
class DealFacts:
    id: int
    account_id: int
    account: str
    industry: str | None
    region: str | None
    lang: str
    outcome: str  # won, lost, open
    stages: list[str]
    competitor: str | None
    lost_reason: str | None  # the key: price, competitor, budget_freeze, ...
    objections: set[str] = field(default_factory=set)
    drivers: set[str] = field(default_factory=set)
    handled: set[str] = field(default_factory=set)
    text: str = ""

    def matches(self, where: dict[str, Any]) -> bool:
        """Whether the deal satisfies every condition of a query's `where`."""
        for key, wanted in where.items():
            if key in ("objections", "drivers", "handled"):
                if not set(wanted) <= getattr(self, key):
                    return False
            elif key == "any_objection":
                if not set(wanted) & self.objections:
                    return False
            elif isinstance(wanted, list) and key in ("outcome", "industry", "account_id", "region"):
                if getattr(self, key) not in wanted:
                    return False
            elif key == "stages":
                if not set(wanted) <= set(self.stages):
                    return False
            elif key == "mentions":
                if not all(m.casefold() in self.text.casefold() for m in wanted):
                    return False
            elif key == "mentions_any":
                if not any(m.casefold() in self.text.casefold() for m in wanted):
                    return False
            elif getattr(self, key) != wanted:
                return False
        return True


def _pattern(template: str) -> re.Pattern:
    if template.startswith("@"):
        template = template.split(" ", 1)[1]
    parts = [re.escape(literal) for literal, *_ in string.Formatter().parse(template)]
    return re.compile(".*?".join(p for p in parts if p) if parts else re.escape(template), re.S)


def _patterns(kind: str) -> dict[str, dict[str, list[re.Pattern]]]:
    return {lang: {key: [_pattern(t) for t in templates] for key, templates in NOTES[lang][kind].items()}
            for lang in NOTES}


DRIVER_PATTERNS = _patterns("driver")
# A won deal's closing note names what won it ("关键是{drivers}"): those phrases are drivers too.
PHRASE_PATTERNS = {lang: {key: [_pattern(t)] for key, t in NOTES[lang]["driver_phrase"].items()} for lang in NOTES}
HANDLED_PATTERNS = _patterns("handled")
LOST_PATTERNS = _patterns("lost")


def demo_facts(seed: int = EVAL_SEED, today: date = EVAL_TODAY) -> tuple[dict[str, Any], dict[int, DealFacts]]:
    """The demo dataset and the facts of each of its deals."""
    data = build_demo(seed=seed, today=today)
    accounts = {a["id"]: a for a in data["accounts"]}
    visits: dict[int, list[dict]] = {}
    for visit in data["visits"]:
        visits.setdefault(visit["opportunity_id"], []).append(visit)
    facts = {}
    for opp in data["opportunities"]:
        account = accounts[opp["account_id"]]
        notes = visits.get(opp["id"], [])
        text = " ".join(v["summary"] for v in notes)
        lang = "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"
        deal = DealFacts(
            id=opp["id"], account_id=account["id"], account=account["name"], industry=account["industry"],
            region=account["region"], lang=lang,
            outcome=opp["stage"] if opp["stage"] in ("won", "lost") else "open",
            stages=[h["stage"] for h in opp.get("history", [])], competitor=opp.get("competitor"),
            lost_reason=None, text=text)
        for visit in notes:
            deal.objections.update(visit.get("objections") or [])
        deal.drivers = {k for k, pats in DRIVER_PATTERNS[lang].items() if any(p.search(text) for p in pats)}
        if deal.outcome == "won" and notes:
            closing = notes[-1]["summary"]
            deal.drivers |= {k for k, pats in PHRASE_PATTERNS[lang].items() if any(p.search(closing) for p in pats)}
        deal.handled = {k for k, pats in HANDLED_PATTERNS[lang].items() if any(p.search(text) for p in pats)}
        if deal.outcome == "lost":
            deal.lost_reason = next((k for k, pats in LOST_PATTERNS[lang].items()
                                     if any(p.search(notes[-1]["summary"]) for p in pats)), None)
        facts[deal.id] = deal
    return data, facts


def relevant(facts: dict[int, DealFacts], where: dict[str, Any]) -> list[int]:
    return sorted(d.id for d in facts.values() if d.matches(where))
