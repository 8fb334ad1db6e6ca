"""Leads in chat: create_lead ("新线索：远航物流 刘经理 13800001111，展会上认识的"), update_lead
(accept, contacted, qualified, not a fit) and convert_lead ("把远航物流转成商机": an account, a
contact and a 潜在 deal that keeps the lead's source).

Who may act on a lead: whoever reaches its owner (`tools.permissions`: the owner, their manager,
an admin); an unassigned lead may be taken by anyone who reaches its customer, or by anyone when
it names no customer. A lead a rep creates in chat is theirs (they found it) unless it belongs to
a known customer, which goes to its owner as the rules say; a manager's or an admin's is routed by
the rules (`ROUTING_RULES`).
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints, ValidationError
from sqlmodel import col, select

from storage.leadkeys import company_key
from storage.models import (
    OPEN_LEAD_STATUSES, Account, Contact, Lead, LeadStatus, Opportunity, Role, Stage, StageChange, User,
)
from storage.names import fold
from storage.repos.users import users_by_id
from tools.base import Notice, ToolContext, ToolError, ToolResult, tool
from tools.lead_rules import Assign, RoutingRules, Rule, RulesError, load_rules
from tools.leads import LeadInput, intake, lead_card, row_problem, transition
from tools.permissions import role_of, team_reach
from tools.schemas import Args
from tools.values import ref

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class CreateLeadArgs(Args):
    company: Text = Field(description="the prospect's company name as said")
    contact: str | None = Field(None, max_length=100, description="the person, with title as said: 刘经理, Ms. Chen")
    phone: str | None = Field(None, max_length=64)
    email: str | None = Field(None, max_length=200)
    region: str | None = Field(None, max_length=100)
    industry: str | None = Field(None, max_length=100)
    source: str | None = Field(None, max_length=100, description="where the lead came from: 展会, 官网, 转介绍, ...")
    note: str | None = Field(None, max_length=2000, description="anything else said about the lead")


class UpdateLeadArgs(Args):
    lead: Text = Field(description="the lead's company name as said, or #id")
    status: Literal["accepted", "contacted", "qualified", "disqualified"] = Field(
        description="accepted: the rep takes it; contacted: first contact made; qualified: a real "
                    "opportunity; disqualified: not a fit (give the reason)")
    reason: str | None = Field(None, max_length=500, description="why it is not a fit (disqualified)")


class ConvertLeadArgs(Args):
    lead: Text = Field(description="the lead's company name as said, or #id")
    opportunity: str | None = Field(None, max_length=200, description="a name for the new deal, if said")


@tool(writes=True)
def create_lead(ctx: ToolContext, args: CreateLeadArgs) -> ToolResult:
    """Record a new sales lead (a prospect company, the person, phone, email, where it came from)
    that a rep met or heard of. It is matched to a known customer or to an open lead of the same
    company, and routed to a rep by the routing rules."""
    rules = _rules(ctx)
    if role_of(ctx.user) is Role.rep:
        rules = RoutingRules(existing_customer=rules.existing_customer, sla=rules.sla,
                             rules=(Rule({}, Assign(rep=str(ctx.user.id)), 0),))
    raw = args.model_dump(exclude_none=True)
    raw.setdefault("source", "chat")
    try:
        LeadInput.model_validate(raw)
    except ValidationError as exc:  # a bad phone or email said in chat: the user can fix it
        raise ToolError("lead_invalid", problem=row_problem(exc)) from None
    result = intake([(1, raw)], session=ctx.session, rules=rules, now=ctx.clock(), actor_id=ctx.user.id, notify=False)
    made, how = result.leads[0]
    lead = ctx.session.get(Lead, made.id)
    ctx.audit("create" if how == "created" else "merge", "lead", lead.id, None, lead_card(lead))
    owner = ctx.session.get(User, lead.owner_id) if lead.owner_id else None
    account = ctx.session.get(Account, lead.account_id) if lead.account_id else None
    data = {"lead": lead_card(lead, ctx.user.timezone), "merged": how == "merged", "owner": ref(owner), "account": ref(account)}
    notify = []
    if how == "created" and owner is not None and owner.id != ctx.user.id:
        notify.append(Notice(owner.id, "lead_assigned", {"lead": lead_card(lead, owner.timezone)}))
    return ToolResult("create_lead", data, notify)


@tool(writes=True)
def update_lead(ctx: ToolContext, args: UpdateLeadArgs) -> ToolResult:
    """Move a sales lead on: the rep accepts it, has contacted it, found it qualified, or found it
    not a fit (with the reason)."""
    lead = find_lead(ctx, args.lead)
    require_lead(ctx, lead)
    before = lead.status
    now = ctx.clock()
    if args.status == "accepted":
        if lead.owner_id is None or lead.status == LeadStatus.new:
            transition(lead, LeadStatus.assigned.value, session=ctx.session, actor_id=ctx.user.id, now=now,
                       owner_id=ctx.user.id, rules=_rules(ctx, strict=False))
        else:
            _note(ctx, lead, "accepted")
    elif args.status == "disqualified":
        if not (args.reason or "").strip():
            raise ToolError("lead_reason_needed", company=lead.company)
        transition(lead, LeadStatus.disqualified.value, session=ctx.session, actor_id=ctx.user.id, now=now,
                   reason=args.reason.strip())
    elif lead.status != args.status:
        transition(lead, args.status, session=ctx.session, actor_id=ctx.user.id, now=now)
    ctx.audit("update", "lead", lead.id, {"status": before, "action": None},
              {"status": lead.status, "action": args.status})
    return ToolResult("update_lead", {"lead": lead_card(lead), "before": before, "action": args.status,
                                      "owner": ref(ctx.session.get(User, lead.owner_id) if lead.owner_id else None)})


@tool(writes=True)
def convert_lead(ctx: ToolContext, args: ConvertLeadArgs) -> ToolResult:
    """Turn a sales lead into a customer: its account (the customer it matched, or a new one), its
    contact, and a new deal at the prospect stage that keeps the lead's source."""
    lead = find_lead(ctx, args.lead)
    require_lead(ctx, lead)
    if lead.status not in OPEN_LEAD_STATUSES:
        raise ToolError("lead_bad_transition", company=lead.company, status=lead.status, to="converted")
    now = ctx.clock()
    owner_id = lead.owner_id or ctx.user.id
    account = ctx.session.get(Account, lead.account_id) if lead.account_id else None
    if account is not None and account.merged_into_id:
        account = ctx.session.get(Account, account.merged_into_id)
    created_account = account is None
    if account is None:
        account = Account(name=lead.company, owner_id=owner_id, region=lead.region, industry=lead.industry,
                          phone=lead.phone, email=lead.email, created_at=now, updated_at=now)
        ctx.session.add(account)
        ctx.session.flush()
        ctx.audit("create", "account", account.id, None, {"name": account.name, "from_lead": lead.id})
    contact = ctx.session.get(Contact, lead.contact_id) if lead.contact_id else None
    created_contact = False
    if contact is None and lead.contact:
        contact = next((c for c in ctx.session.exec(select(Contact).where(Contact.account_id == account.id)).all()
                        if fold(lead.contact) in {fold(n) for n in [c.name, *(c.aliases or [])]}), None)
        if contact is None:
            contact = Contact(account_id=account.id, name=lead.contact, phone=lead.phone, email=lead.email,
                              created_at=now)
            ctx.session.add(contact)
            ctx.session.flush()
            created_contact = True
            ctx.audit("create", "contact", contact.id, None, {"name": contact.name, "from_lead": lead.id})
    deal = Opportunity(account_id=account.id, name=args.opportunity or account.name, stage=Stage.prospect,
                       owner_id=account.owner_id or owner_id, source=lead.source or (lead.sources or [None])[0],
                       created_at=now, updated_at=now)
    ctx.session.add(deal)
    ctx.session.flush()
    change = StageChange(opportunity_id=deal.id, from_stage=None, to_stage=Stage.prospect, changed_at=now,
                         changed_by=ctx.user.id)
    ctx.session.add(change)
    ctx.session.flush()
    ctx.audit("create", "stage_change", change.id, None, {"opportunity_id": deal.id, "to_stage": "prospect"})
    ctx.audit("create", "opportunity", deal.id, None, {"name": deal.name, "stage": "prospect", "source": deal.source,
                                                       "from_lead": lead.id})
    lead.account_id, lead.contact_id, lead.opportunity_id = account.id, contact.id if contact else None, deal.id
    before = lead.status
    transition(lead, LeadStatus.converted.value, session=ctx.session, actor_id=ctx.user.id, now=now)
    ctx.audit("convert", "lead", lead.id, {"status": before},
              {"status": lead.status, "account_id": account.id, "opportunity_id": deal.id})
    return ToolResult("convert_lead", {
        "lead": lead_card(lead), "account": ref(account), "created_account": created_account,
        "contact": ref(contact), "created_contact": created_contact,
        "opportunity": {"id": deal.id, "name": deal.name, "stage": "prospect", "source": deal.source}})


def find_lead(ctx: ToolContext, text: str) -> Lead:
    """The lead `text` names: '#12' or '12', or a company name (however written) among the leads the
    user may act on, open ones first."""
    mention = text.strip()
    digits = mention.lstrip("#")
    if digits.isdigit():
        lead = ctx.session.get(Lead, int(digits))
        if lead is None:
            raise ToolError("unknown_lead", mention=mention)
        return lead
    key = company_key(mention)
    if not key:
        raise ToolError("unknown_lead", mention=mention)
    exact = list(ctx.session.exec(select(Lead).where(Lead.company_key == key).order_by(Lead.id)).all())
    found = exact or list(ctx.session.exec(select(Lead).where(col(Lead.company_key).contains(key))
                                           .order_by(Lead.id).limit(50)).all())
    reachable = [lead for lead in found if _reaches(ctx, lead)] or found
    open_ = [lead for lead in reachable if lead.status in OPEN_LEAD_STATUSES] or reachable
    if not open_:
        raise ToolError("unknown_lead", mention=mention)
    if len(open_) > 1:
        raise ToolError("ambiguous_lead", mention=mention,
                        candidates="、".join(f"{lead.company} (#{lead.id})" for lead in open_[:5]))
    return open_[0]


def require_lead(ctx: ToolContext, lead: Lead) -> None:
    if not _reaches(ctx, lead):
        owner = users_by_id([lead.owner_id], session=ctx.session).get(lead.owner_id)
        raise ToolError("lead_not_yours", company=lead.company, owner=owner.name if owner else None)


def _reaches(ctx: ToolContext, lead: Lead) -> bool:
    reach = team_reach(ctx)
    if lead.owner_id is not None:
        return reach.covers(lead.owner_id)
    if lead.account_id is None:
        return True
    account = ctx.session.get(Account, lead.account_id)
    return account is None or account.owner_id is None or reach.covers(account.owner_id)


def _note(ctx: ToolContext, lead: Lead, action: str) -> None:
    from storage.models import LeadEvent

    ctx.session.add(LeadEvent(lead_id=lead.id, at=ctx.clock(), actor_id=ctx.user.id, action=action,
                              from_status=lead.status, to_status=lead.status, owner_id=lead.owner_id))
    ctx.session.flush()


def _rules(ctx: ToolContext, *, strict: bool = True) -> RoutingRules:
    try:
        return load_rules(ctx.settings.routing_rules)
    except RulesError:
        if strict and role_of(ctx.user) is not Role.rep:
            raise ToolError("lead_rules_invalid") from None
        return RoutingRules()
