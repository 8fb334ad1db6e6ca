"""Fusing the rules' reading with the learned model's (`intents.classify`), and asking when
neither is sure.

The rules read values well and intent only where a cue they know is present; the model reads
intent from the whole phrasing. Per tool of CONTRACT.md the model gives a probability that the
message asks for it. Then:

- a question the rules missed (上季度签了多少, any news on X, X归谁跟) is added when the model is
  confident, built from the message's own period, scope and account (`queries.build`);
- a call the rules made on a weak cue is dropped when the model finds it implausible and is
  confident about something else (a lunch is not a deal update); a deal update that names its
  stage (磨了半天价, we're in negotiation now) is not a weak cue and stays beside a quote request;
- when nothing is confident — no call, or a call the model doubts while it leans elsewhere — the
  calls stay empty and `alternatives` lists the two or three likeliest readings for the bot to
  offer as choices.

Each fused call's confidence is its draft's certainty tempered by the model's probability.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from intents.rules import queries
from intents.rules.facts import Draft, Facts
from intents.rules.lexicon import ABOUT_THE_BOT

ADD = 0.6  # the model adds a question the rules missed, when the rules read nothing else
ADD_BESIDE = 0.8  # … beside questions the rules did read (a second question in one message)
ADD_BESIDE_WRITE = 0.97  # … beside a write (approve 103, and show me what else is pending)
DOUBT = 0.1  # a lone rules reading this unlikely, while the model leans to a question, is asked about
KEEP = 0.5  # a tool the model calls likely
SWAP = 0.7  # a question of another kind this likely replaces a rules question the model doubts
DROP = 0.01  # a rules call the model finds this unlikely is dropped when it is confident elsewhere
PLAUSIBLE = 0.2  # a reading worth offering as a choice
MAX_CHOICES = 3


@dataclass
class Fused:
    drafts: list[Draft]
    alternatives: list[tuple[list[Draft], float]] = field(default_factory=list)  # readings to offer, likeliest first

    @property
    def asks(self) -> bool:
        return not self.drafts and bool(self.alternatives)


def fuse(drafts: list[Draft], facts: Facts, probs: dict[str, float] | None) -> Fused:
    if probs is None:
        return Fused(drafts)
    # a tool the model was never trained on (added to the contract since) is the rules' call alone
    kept = [d for d in drafts if d.name not in probs or not _implausible(d, drafts, facts, probs)]
    names = {d.name for d in kept}
    writes = any(d.name not in queries.QUESTION_TOOLS for d in kept)
    threshold = ADD_BESIDE_WRITE if writes else ADD_BESIDE if kept else ADD
    if any(d.name not in probs for d in kept):
        threshold = 2.0  # beside a tool it does not know, the model's reading may be the same request
    if not kept and ABOUT_THE_BOT.search(facts.msg.low) and not facts.mentions:
        threshold = ADD_BESIDE_WRITE  # 你们的数据存在哪里: a question to the bot about itself
    for tool in sorted(queries.QUESTION_TOOLS, key=lambda t: -probs.get(t, 0.0)):
        if probs.get(tool, 0.0) >= threshold and tool not in names:
            built = queries.build(tool, facts)
            if built is not None:
                built.certainty *= probs[tool]
                kept.append(built)
                names.add(tool)
    for d in kept:
        d.certainty *= 0.5 + 0.5 * probs.get(d.name, 1.0)
    if kept and not _doubtful(kept, facts, probs):
        return Fused(kept)
    return Fused([], _readings(kept, drafts, facts, probs))


def _implausible(draft: Draft, drafts: list[Draft], facts: Facts, probs: dict[str, float]) -> bool:
    """A rules call the model gives almost no chance while another call of the same message has
    the model's confidence: an extra call read off a weak cue. A question of the wrong kind (a cue
    word shared by two kinds: 如何 in X近况如何) gives way to the kind the model is sure of. A lone
    write is never dropped here (at most it is asked about)."""
    p = probs.get(draft.name, 0.0)
    if draft.name in queries.QUESTION_TOOLS and p < PLAUSIBLE:
        read = {d.name for d in drafts}  # a kind the rules read too is a question of its own, not a swap
        if any(t in queries.QUESTION_TOOLS and t != draft.name and t not in read and q >= SWAP and queries.build(t, facts)
               for t, q in probs.items()):
            return True
    if p >= DROP or (draft.name == "update_opportunity" and "stage" in draft.args):
        return False  # a stage the text names (磨了半天价, moved to negotiation) is no weak cue
    return any(d.name != draft.name and probs.get(d.name, 0.0) >= KEEP for d in drafts)


def _doubtful(kept: list[Draft], facts: Facts, probs: dict[str, float]) -> bool:
    """Every call is one the model doubts while it leans to a question no call is (a reading the
    bot can offer instead)."""
    names = {d.name for d in kept}
    if any(probs.get(n, 1.0) >= DOUBT for n in names):
        return False
    return any(q >= SWAP and t in queries.QUESTION_TOOLS and t not in names and queries.build(t, facts)
               for t, q in probs.items())


def _readings(kept: list[Draft], rules: list[Draft], facts: Facts, probs: dict[str, float]) -> list[tuple[list[Draft], float]]:
    """The likeliest readings, each a list of drafts with a score: the rules' own reading, and one
    per plausible question the model names."""
    out: list[tuple[list[Draft], float]] = []
    if rules:
        score = min(probs.get(d.name, 0.0) for d in rules)
        out.append((rules, score))
    for tool in sorted(probs, key=lambda t: -probs[t]):
        p = probs[tool]
        if p < PLAUSIBLE or any(d.name == tool for reading, _ in out for d in reading):
            continue
        if tool in queries.QUESTION_TOOLS:
            built = queries.build(tool, facts)
            if built is not None:
                out.append(([built], p))
    out.sort(key=lambda r: -r[1])
    return out[:MAX_CHOICES] if len(out) > 1 or (out and out[0][1] >= PLAUSIBLE) else []
