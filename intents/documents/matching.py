"""Which account and which deal a contract belongs to.

The customer is whichever party names an account (names, aliases and legal suffixes, through
`storage.names`); when both do, an exact name beats a look-alike, the rep's own account another's,
and Party A (the buyer) Party B. Among look-alike accounts the rep's own one is taken. The
deal is that account's open deal that fits best: negotiation stage first, then the amount nearest
the contract's. A tie leaves the deal unset with a warning, so the card can ask."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from intents.documents.reader import ContractReading
from storage.names import Directory, Entry

STAGE_RANK = {"negotiation": 0, "evaluation": 1, "prospect": 2}
AMOUNT_TOLERANCE = Decimal("0.01")  # more than 1 % apart is worth a warning


@dataclass(frozen=True)
class OpenDeal:
    id: int
    name: str
    account_id: int
    stage: str
    amount: Decimal | None
    currency: str


@dataclass
class ContractMatch:
    account: Entry | None = None
    deal: OpenDeal | None = None
    warnings: list[str] = field(default_factory=list)


def match_contract(reading: ContractReading, directory: Directory, deals: list[OpenDeal], *,
                   user_id: int | None = None) -> ContractMatch:
    out = ContractMatch()
    candidates: list[tuple[str, str, Entry]] = []
    for role in ("party_a", "party_b"):
        name = reading.value(role)
        if not name:
            continue
        found = directory.resolve("account", name)
        if found.entry:
            candidates.append((found.status, role, found.entry))
        elif found.status == "ambiguous":
            own = [e for e in found.matches if user_id is not None and e.owner_id == user_id]
            if len(own) == 1:  # the rep's own account among look-alikes (a duplicate, a namesake)
                candidates.append(("fuzzy", role, own[0]))
            else:
                out.warnings.append(f"{name}: several accounts match ("
                                    + ", ".join(e.name for e in found.matches[:4]) + "); which one?")
    if not candidates:
        if reading.value("party_a") or reading.value("party_b"):
            if not out.warnings:
                out.warnings.append("neither party matches an account; which account is the customer?")
        else:
            out.warnings.append("no party could be read; which account is the customer?")
        return out
    # an exact name beats a look-alike, the rep's own account beats another's, the buyer the seller
    candidates.sort(key=lambda c: (c[0] != "exact", c[2].owner_id != user_id, c[1] != "party_a"))
    out.account = candidates[0][2]
    if user_id is not None and out.account.owner_id not in (None, user_id):
        out.warnings.append(f"{out.account.name} is another rep's account")
    _pick_deal(out, reading, [d for d in deals if d.account_id == out.account.id])
    return out


def _pick_deal(out: ContractMatch, reading: ContractReading, deals: list[OpenDeal]) -> None:
    if not deals:
        out.warnings.append(f"{out.account.name} has no open deal")
        return
    amount = reading.value("amount")

    def distance(d: OpenDeal) -> Decimal:
        if amount is None or d.amount is None or not amount:
            return Decimal("Infinity")
        return abs(d.amount - amount) / amount

    ranked = sorted(deals, key=lambda d: (STAGE_RANK.get(d.stage, 3), distance(d), d.id))
    best = ranked[0]
    if len(ranked) > 1:
        second = ranked[1]
        if STAGE_RANK.get(second.stage, 3) == STAGE_RANK.get(best.stage, 3) and distance(second) == distance(best):
            out.warnings.append("several open deals fit (" + ", ".join(d.name for d in ranked[:4]) + "); which one?")
            return
    out.deal = best
    if amount is not None and best.amount is not None and distance(best) > AMOUNT_TOLERANCE:
        out.warnings.append(f"contract amount {amount:,.2f} differs from the deal's {best.amount:,.2f} "
                            f"by {distance(best):.0%}")
    currency = reading.value("currency")
    if currency and currency != best.currency:
        out.warnings.append(f"contract currency {currency} differs from the deal's {best.currency}")
