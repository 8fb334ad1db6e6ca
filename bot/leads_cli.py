"""`salesbot leads ...`: import leads from CSV, check the routing rules, report, mark reps away."""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from storage.config import Settings

IMPORT_HELP = """\
Load leads from FILE.csv. The first line names the columns, in English or Chinese:
company/公司 (required), contact/联系人, phone/电话, email/邮箱, region/地区, industry/行业,
source/来源, note/备注, credit_code/统一社会信用代码. Each lead is matched against customers and
open leads (company name without legal suffixes, spacing, width or Traditional characters; phone;
email; credit code) and routed by ROUTING_RULES. A bad row is reported with its line and reason and
the others still load. --json prints
{"imported", "merged", "existing_customer", "rejected": [{"row", "reason"}], "assigned": {rep: n}}.
"""


def add_commands(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("leads", help="import leads, check routing rules, mark reps away",
                           description="Leads from every channel, matched to customers and routed by rules "
                                       "(ROUTING_RULES, default config/routing.yaml; see docs/leads.md).")
    lsub = group.add_subparsers(title="leads commands", metavar="ACTION")
    p = lsub.add_parser("import", help="load leads from a CSV file", description=IMPORT_HELP,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", type=Path, metavar="FILE.csv")
    p.add_argument("--dry-run", action="store_true", help="match and route, print the outcome, write nothing")
    p.add_argument("--json", action="store_true", help="print the outcome as one JSON object")
    p.add_argument("--as", dest="as_user", metavar="USER", help="who the history records as importing (default: system)")
    p.set_defaults(handler=cmd_import, quiet_logs=True)

    rules = lsub.add_parser("rules", help="check the routing rules file",
                            description="Work with the routing rules file (ROUTING_RULES).")
    rsub = rules.add_subparsers(title="rules commands", metavar="ACTION")
    p = rsub.add_parser("check", help="validate the rules and show where the last 100 leads would go",
                        description="Validate the routing rules (each problem with its line number), check "
                                    "that every person named exists, and show where the last 100 leads "
                                    "would go under these rules (nothing is written). Exit status 1 on problems.")
    p.add_argument("--file", type=Path, help="rules file to check (default ROUTING_RULES)")
    p.add_argument("--last", type=int, default=100, help="how many recent leads to route (default 100)")
    p.set_defaults(handler=cmd_rules_check, quiet_logs=True)
    rules.set_defaults(handler=lambda a, s: rules.print_help())

    p = lsub.add_parser("report", help="leads, contacted, converted and hours to first contact by source and rep",
                        description="Lead conversion to deals and the median hours to first contact, by "
                                    "source and by rep, for the leads created in a period (default: the last 30 days).")
    p.add_argument("--since", help="first day, YYYY-MM-DD (default: 30 days ago)")
    p.add_argument("--until", help="day after the last, YYYY-MM-DD (default: tomorrow)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(handler=cmd_report, quiet_logs=True)

    p = lsub.add_parser("away", help="mark a rep away (no new leads) or back",
                        description="A rep marked away is skipped by the routing rules until marked back.")
    p.add_argument("user", metavar="USER", help="user id or name")
    p.add_argument("--back", action="store_true", help="the rep is back: route leads to them again")
    p.set_defaults(handler=cmd_away, quiet_logs=True)
    group.set_defaults(handler=lambda a, s: group.print_help())


def _rules(settings: Settings, path: Path | None = None):
    from bot.cli import CliError
    from tools.lead_rules import RulesError, load_rules

    try:
        return load_rules(path or settings.routing_rules)
    except RulesError as exc:
        raise CliError(f"routing rules are not valid (ROUTING_RULES):\n{exc}") from None


def cmd_import(args, settings: Settings) -> int:
    from datetime import datetime, timezone

    from sqlmodel import Session, select

    from bot.cli import CliError, _database, _resolve_user
    from storage.models import AuditLog, User
    from tools.lead_import import LeadFileError, read_csv
    from tools.leads import intake

    rules = _rules(settings)
    engine = _database(settings)
    now = datetime.now(timezone.utc)
    with Session(engine) as session:
        actor = _resolve_user(session, args.as_user) if args.as_user else None
        try:
            rows = read_csv(args.file)
            result = intake(rows, session=session, rules=rules, now=now, actor_id=actor.id if actor else None,
                            notify=not args.dry_run)
        except LeadFileError as exc:
            session.rollback()
            raise CliError(f"{args.file}: {exc}") from None
        users = {u.id: u for u in session.exec(select(User)).all()}
        summary = result.summary(users)
        if args.dry_run:
            session.rollback()
        else:
            session.add(AuditLog(at=now, actor_id=actor.id if actor else None, action="import", entity="lead",
                                 entity_id=None, after={k: v for k, v in summary.items() if k != "rejected"}
                                 | {"rejected": len(result.rejected), "file": args.file.name}))
            session.commit()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    verb = "would import" if args.dry_run else "imported"
    print(f"{verb} {summary['imported']} leads; {summary['merged']} merged into an open lead of the same "
          f"company; {summary['existing_customer']} for existing customers; {len(result.rejected)} rejected")
    for who, n in summary["assigned"].items():
        print(f"  {who}: {n}")
    for bad in result.rejected:
        print(f"  line {bad['row']}: {bad['reason']}", file=sys.stderr)
    return 0


def cmd_rules_check(args, settings: Settings) -> int:
    from sqlmodel import Session, col, select

    from bot.cli import _database
    from storage.models import Lead, LeadStatus
    from tools.lead_rules import RulesError, load_rules, span
    from tools.lead_routing import Router

    path = args.file or Path(settings.routing_rules)
    try:
        rules = load_rules(path)
    except RulesError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    engine = _database(settings)
    with Session(engine) as session:
        router = Router(rules, session=session)
        unknown = [(line, who) for line, who in rules.people if router.user_id(who) is None]
        for line, who in unknown:
            print(f"{path}:{line}: no user {who!r}; `salesbot users list` shows ids and names", file=sys.stderr)
        print(f"{path}: {len(rules.rules)} rules, existing customers → "
              f"{'their owner' if rules.existing_customer == 'owner' else 'the rules'}")
        for rule in rules.rules:
            print(f"  {rule.describe()}")
        if rules.sla.first_contact:
            print(f"  SLA: first contact within {span(rules.sla.first_contact)}, then {rules.sla.then} "
                  f"{span(rules.sla.grace)} later")
        if unknown:
            return 1
        recent = list(session.exec(select(Lead).order_by(col(Lead.id).desc()).limit(max(args.last, 0))).all())
        recent.reverse()
        where: Counter[str] = Counter()
        for lead in recent:
            session.expunge(lead)  # routed in memory only
            previous = lead.owner_id
            lead.owner_id = None
            decision = router.route(lead)
            if previous is not None and lead.status in (LeadStatus.assigned, LeadStatus.contacted, LeadStatus.qualified):
                router.released(previous)
            router.assigned(decision.owner_id)
            name = router.users[decision.owner_id].name if decision.owner_id else "(unassigned)"
            where[f"{name} — {decision.describe()}"] += 1
        print(f"the last {len(recent)} leads would go to:")
        for label, n in where.most_common():
            print(f"  {n:4d}  {label}")
        session.rollback()
    return 0


def cmd_report(args, settings: Settings) -> int:
    from datetime import date, datetime, time, timedelta

    from sqlmodel import Session

    from analytics.leads import lead_funnel
    from bot.cli import CliError, _database

    today = datetime.now(settings.tz).date()
    try:
        since = date.fromisoformat(args.since) if args.since else today - timedelta(days=30)
        until = date.fromisoformat(args.until) if args.until else today + timedelta(days=1)
    except ValueError as exc:
        raise CliError(f"--since/--until: {exc}; write YYYY-MM-DD") from None
    with Session(_database(settings)) as session:
        funnel = lead_funnel(session=session, start=datetime.combine(since, time(), tzinfo=settings.tz),
                             end=datetime.combine(until, time(), tzinfo=settings.tz))
    if args.json:
        print(json.dumps(funnel.as_json(), ensure_ascii=False))
        return 0
    print(f"leads created {since} to {until - timedelta(days=1)}")
    for title, rows in (("by source", funnel.by_source), ("by rep", funnel.by_rep)):
        print(f"{title:<16}{'leads':>7}{'contacted':>11}{'converted':>11}{'conversion':>12}{'1st contact h':>15}")
        for r in [*rows, funnel.total]:
            conv = "—" if r.conversion is None else f"{r.conversion:.0%}"
            hours = "—" if r.first_contact_hours is None else f"{r.first_contact_hours:.1f}"
            print(f"  {r.key[:14]:<14}{r.leads:>7}{r.contacted:>11}{r.converted:>11}{conv:>12}{hours:>15}")
    return 0


def cmd_away(args, settings: Settings) -> int:
    from bot.cli import _database, _resolve_user
    from storage.db import session_scope

    with session_scope(_database(settings)) as session:
        user = _resolve_user(session, args.user)
        prefs = dict(user.preferences or {})
        prefs["away"] = not args.back
        user.preferences = prefs
        session.add(user)
        name = user.name
    print(f"{name} is {'back: leads are routed to them again' if args.back else 'away: new leads skip them'}")
    return 0
