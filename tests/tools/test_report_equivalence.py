"""The console's reports read less than they used to (the stage history a period needs, visit
counts from SQL, each deal's last stage change); on a generated CRM they give what reading
everything gives."""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlmodel import select

from storage.models import Opportunity, Stage, StageChange
from storage.repos.deals import deal_rows, stage_history, stage_history_rows
from storage.repos.visits import last_visit_days
from tests.tools.builders import CrmBuilder
from tools.dashboard import period_history
from tools.health import stale_deals
from tools.periods import period_range
from tools.pipeline import _ORDER, STAGE_ORDER, pipeline_figures, ratio, stage_conversion

PATHS = [["prospect"], ["prospect", "evaluation"], ["prospect", "evaluation", "negotiation"],
         ["prospect", "evaluation", "negotiation", "won"], ["prospect", "lost"],
         ["prospect", "evaluation", "negotiation", "lost"], ["prospect", "negotiation", "evaluation", "won"],
         ["evaluation", "prospect", "evaluation", "negotiation"], ["won"]]


def _generated_crm(runner, seed: int = 3, deals: int = 160) -> None:
    rng = random.Random(seed)
    with runner.session() as session:
        build = CrmBuilder(session)
        manager = build.user("经理甲")
        reps = [build.user(f"销售{i}", manager=manager) for i in range(4)]
        for i in range(deals):
            rep = rng.choice(reps)
            account = build.account(f"生成客户{i}", rep, industry=rng.choice(["制造", "零售", None]))
            day = date(2026, 12, 1) - timedelta(days=rng.randint(0, 420))
            history = []
            for stage in rng.choice(PATHS):
                history.append((stage, day.isoformat()))
                day += timedelta(days=rng.randint(0, 60))
            build.deal(account, rep, f"项目{i}", history, amount=rng.choice([None, "50000", "120000"]),
                       expected_close=rng.choice([None, "2026-12-20", "2027-02-10"]))
            for _ in range(rng.randint(0, 3)):
                build.visit(account, rep, (day - timedelta(days=rng.randint(0, 200))).isoformat())


def _old_stage_conversion(history, span, tz):
    """The conversion as first written (a scan per step), kept here as the reference."""
    steps = STAGE_ORDER[:-1]
    entered, advanced = [0] * len(steps), [0] * len(steps)
    start, end = span.bounds(tz)
    for changes in history.values():
        orders = [_ORDER.get(str(c.to_stage), -1) for c in changes]
        furthest, best = [-1] * len(changes), -1
        for i in range(len(changes) - 1, -1, -1):
            furthest[i], best = best, max(best, orders[i])
        for index in range(len(steps)):
            entry = next((i for i, (order, c) in enumerate(zip(orders, changes))
                          if order == index and start <= c.changed_at < end), None)
            if entry is not None:
                entered[index] += 1
                advanced[index] += furthest[entry] > index
    return [{"from": stage.value, "to": STAGE_ORDER[index + 1].value, "entered": entered[index],
             "advanced": advanced[index], "rate": ratio(advanced[index], entered[index])}
            for index, stage in enumerate(steps)]


def test_period_figures_from_the_period_history_equal_those_from_all_history(runner):
    _generated_crm(runner)
    with runner.session() as session:
        ctx = runner.context(session, 7)  # the admin: every deal
        deals = deal_rows(None, session=session)
        everything = stage_history_rows(None, session=session)
        checked = 0
        for period in ("this_month", "last_month", "this_quarter", "last_quarter", "this_year"):
            span = period_range(period, ctx.today())
            narrow = period_history(ctx, None, span)
            assert set(narrow) <= set(everything) and all(narrow[d] == everything[d] for d in narrow)
            assert pipeline_figures(ctx, deals, span, narrow) == pipeline_figures(ctx, deals, span, everything)
            conversion = stage_conversion(everything, span, ctx.tz)
            assert conversion == _old_stage_conversion(everything, span, ctx.tz)
            checked += sum(step["entered"] for step in conversion)
        assert checked > 20  # the periods saw deals move


def test_stale_deals_from_last_stage_changes_equal_those_from_the_whole_history(runner):
    _generated_crm(runner, seed=8)
    with runner.session() as session:
        ctx = runner.context(session, 7)
        open_deals = [d for d in session.exec(select(Opportunity)).all() if not Stage(d.stage).is_closed]
        found = stale_deals(ctx, open_deals, ctx.today())
        history = stage_history([d.id for d in open_deals], session=session)
        assert all(isinstance(c, StageChange) for changes in history.values() for c in changes)
        last_visit = last_visit_days({d.account_id for d in open_deals}, session=session)
        expected = {}
        for deal in open_deals:
            touches = [deal.updated_at.astimezone(ctx.tz).date()]
            touches += [c.changed_at.astimezone(ctx.tz).date() for c in history.get(deal.id, [])]
            touches += [last_visit[deal.account_id]] if deal.account_id in last_visit else []
            idle = (ctx.today() - max(touches)).days
            if idle >= ctx.settings.stale_deal_days:
                expected[deal.id] = idle
        assert {item["deal"]["id"]: item["days_idle"] for item in found} == expected and expected
        assert len(expected) < len(open_deals)  # fresh deals too: both sides of the quick test ran


def _idle_days_as_first_written(ctx, deal, last_move, last_visit):
    """Days idle from every touch converted to a local date (the reference)."""
    touches = [deal.updated_at.astimezone(ctx.tz).date()]
    touches += [last_move.astimezone(ctx.tz).date()] if last_move is not None else []
    touches += [last_visit] if last_visit is not None else []
    return (ctx.today() - max(touches)).days


def test_stale_deals_compare_instants_with_local_midnight_as_dates_would(runner):
    """Deals touched just before, at and just after local midnight of the last day that still
    counts as idle, by an edit, a stage move or a visit: the quick instant comparison keeps
    exactly the deals the date arithmetic keeps."""
    from types import SimpleNamespace

    from tests.tools.builders import CrmBuilder
    from tools.periods import DateRange

    with runner.session() as session:
        build = CrmBuilder(session)
        rep = build.user("边界销售")
        ctx = runner.context(session, rep.id)
        today, limit = ctx.today(), ctx.settings.stale_deal_days
        edge = DateRange(today - timedelta(days=limit - 1), today).bounds(ctx.tz)[0]  # first fresh instant
        old = edge - timedelta(days=40)
        deals, moves, visits = [], {}, {}
        for i, shift in enumerate(timedelta(minutes=m) for m in (-61, -1, 0, 1, 60 * 23)):
            for how in ("edit", "move", "visit"):
                account = build.account(f"边界客户{i}{how}", rep)
                deal = SimpleNamespace(id=len(deals) + 1, name=f"边界{i}{how}", account_id=account.id, owner_id=rep.id,
                                       stage=Stage.evaluation, updated_at=edge + shift if how == "edit" else old)
                if how == "move":
                    moves[deal.id] = edge + shift
                if how == "visit":
                    day = (edge + shift).astimezone(ctx.tz).date()
                    build.visit(account, rep, day.isoformat())
                    visits[deal.id] = day
                deals.append(deal)
        found = {item["deal"]["id"]: item["days_idle"] for item in stale_deals(ctx, deals, today, moves)}
        expected = {}
        for deal in deals:
            idle = _idle_days_as_first_written(ctx, deal, moves.get(deal.id), visits.get(deal.id))
            if idle >= limit:
                expected[deal.id] = idle
        assert found == expected
        assert 0 < len(expected) < len(deals)


def test_last_visit_days_reads_the_same_through_an_id_list_or_every_account(runner, monkeypatch):
    import storage.repos.visits as visits

    _generated_crm(runner, seed=5, deals=60)
    with runner.session() as session:
        ids = set(session.exec(select(Opportunity.account_id)).all())
        by_list = last_visit_days(ids, session=session)
        monkeypatch.setattr(visits, "MANY", 1)
        assert last_visit_days(ids, session=session) == by_list and by_list


def test_data_health_from_the_columns_it_reads_equals_the_report_from_whole_rows(runner, monkeypatch):
    """The report reads only the deal columns it uses, writes issues only for what fails, and
    looks up the stale deals' account names through an id list or every name: the same report."""
    import storage.repos.accounts as accounts
    import tools.health as health
    from tools.schemas import DataHealthArgs

    _generated_crm(runner, seed=8)
    with runner.session() as session:
        from storage.models import User

        rep = session.exec(select(User.id).where(User.name == "销售0")).one()
        for user_id in (7, rep):  # the admin (everyone), a rep (his own)
            ctx = runner.context(session, user_id)
            narrow = health.data_health(ctx, DataHealthArgs()).data
            monkeypatch.setattr(health, "DEAL_FIELDS", None)
            monkeypatch.setattr(accounts, "MANY", 1)
            whole = health.data_health(ctx, DataHealthArgs()).data
            monkeypatch.undo()
            assert narrow == whole
            assert narrow["stale_deals"] and any(rep["issues"] for rep in narrow["reps"])
            assert 0 < narrow["complete"] < narrow["checked"]
