"""Briefs, nudges, the weekly digest and the data star on a CRM built here, so every number is
known. Now: Monday 2026-11-30 09:00 Shanghai; last week is 11-23 … 11-29; the quarter is Q4.

Team of Mia (manager): reps Adam and Bea. Cal is on Ned's team and never counted.
  d1 Adam 星海: prospect 10-05, evaluation 11-24 (a move), ¥100,000, closes 12-20 → forecast 30,000
  d2 Adam 星海: prospect 11-25 (new)
  d3 Bea 北辰: prospect 11-02, negotiation 11-10, won 11-26 (a move) ¥300,000, cycle 24 days
  d4 Bea 北辰: prospect 11-27 (new), lost 11-28 (a move)
  d5 Cal 外队: won 11-25 (other team)
  d6 Adam 冷门: prospect since 10-01, never touched → stale
  visits: Adam 星海 11-20 (contact), 11-24 (contact), 11-26 (none); Bea 北辰 11-27 (contact); Cal 11-25
  → last week: 3 visits, 2 new deals, 3 stage moves, won 1 (¥300,000), lost 1
  quote: Adam 星海 ¥80,000 requested 11-27 12:00, waiting for Mia
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from bot.app import build_app
from bot.identity import link
from storage.config import Settings
from storage.db import session_scope
from storage.models import Quote, QuoteStatus, Role
from tests.bot.scheduler.conftest import RecordingAdapter, add_reminder, local, tick
from tests.fakes.engines import ScriptedEngine
from tests.tools.builders import CrmBuilder
from tests.tools.conftest import ToolRunner

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def world(engine, clock):
    clock.current = local("2026-11-30", "09:00")
    with session_scope(engine) as session:
        b = CrmBuilder(session)
        mia = b.user("Mia", Role.manager, language="zh")
        adam, bea = b.user("Adam", manager=mia), b.user("Bea", manager=mia)
        cal = b.user("Cal", manager=b.user("Ned", Role.manager))
        root = b.user("Root", Role.admin, language="en")
        star, north = b.account("星海", adam, industry="软件"), b.account("北辰", bea, industry="制造")
        other, cold = b.account("外队", cal, industry="IT"), b.account("冷门", adam, industry="IT")
        b.deal(star, adam, "星海一期", [("prospect", "2026-10-05"), ("evaluation", "2026-11-24")],
               amount="100000", expected_close="2026-12-20")
        b.deal(star, adam, "星海二期", [("prospect", "2026-11-25")])
        b.deal(north, bea, "北辰MES", [("prospect", "2026-11-02"), ("negotiation", "2026-11-10"),
                                       ("won", "2026-11-26")], amount="300000")
        b.deal(north, bea, "北辰WMS", [("prospect", "2026-11-27"), ("lost", "2026-11-28")])
        b.deal(other, cal, "外队", [("prospect", "2026-11-24"), ("won", "2026-11-25")], amount="999")
        b.deal(cold, adam, "冷门试点", [("prospect", "2026-10-01")])
        li = b.contact(star, "李工")
        b.visit(star, adam, "2026-11-20", [li])
        b.visit(star, adam, "2026-11-24", [li])
        b.visit(star, adam, "2026-11-26")
        b.visit(north, bea, "2026-11-27", [b.contact(north, "周工")])
        b.visit(other, cal, "2026-11-25", [b.contact(other, "吴工")])
        quote = Quote(account_id=star.id, amount=Decimal("80000"), currency="CNY", requested_by=adam.id,
                      requested_at=local("2026-11-27", "12:00"), status=QuoteStatus.pending, required_role=Role.manager)
        session.add(quote)
        session.flush()
        ids = {"mia": mia.id, "adam": adam.id, "bea": bea.id, "cal": cal.id, "ned": cal.manager_id,
               "root": root.id, "quote": quote.id}
        for name, uid in ids.items():
            if name != "quote":
                link(uid, "test", f"x{uid}", chat_id=name, session=session, now=clock())
    settings = Settings(_env_file=None, database_url=str(engine.url))
    app = build_app(settings, clock=clock, engine=ScriptedEngine(), db=engine, run_migrations=False)
    app.ids = ids
    app.tools = ToolRunner(engine, clock, settings)
    return app


@pytest.fixture
def sched(world, make_world_scheduler):
    return make_world_scheduler()


@pytest.fixture
def out() -> RecordingAdapter:
    return RecordingAdapter()


@pytest.fixture
def make_world_scheduler(world, out):
    from bot.adapters import Outbox
    from bot.scheduler.runner import Scheduler

    def make(worker: str = "w1") -> Scheduler:
        outbox = Outbox()
        outbox.register(out)
        return Scheduler(world, outbox, platforms=["test"], worker_id=worker)

    return make


def test_the_weekly_digest_on_known_numbers(world, sched, out):
    tick(sched)
    [summary, trend] = [r for r in out.to("mia") if r.text.startswith(("📊", "📈"))]
    lines = summary.text.splitlines()
    assert lines[0] == "📊 团队周报 11-23 ~ 11-29"
    assert lines[1] == "拜访 3 次 · 新商机 2 · 阶段推进 3"
    assert lines[2] == "成交 1（¥300,000）· 流失 1"
    assert lines[3] == "本季度：赢单率 50% · 平均周期 24 天 · 平均成交额 ¥300,000"
    assert lines[4] == "加权预测 ¥30,000（1 个商机预计本季度成交）· 已成交 ¥300,000"
    assert lines[5] == f"🧾 待审批 1：#{world.ids['quote']} 星海 3天"
    health = world.tools.run(world.ids["mia"], "data_health").data["score"]
    assert lines[6] == f"🩺 数据健康度 {health}/100"
    assert lines[7] == "🏆 活跃客户：星海 2次、北辰 1次"
    assert lines[8].startswith("🎯 高潜客户（🆕 本周新进前十）：星海 ") and "北辰" in lines[8] and "外队" not in lines[8]
    assert summary.image.startswith(PNG) and trend.image.startswith(PNG)
    funnel_rows = [line.split() for line in summary.image_alt.splitlines()[2:]]
    assert funnel_rows == [["潜在", "2"], ["评估", "1", "¥100,000"], ["谈判", "0"], ["成交", "1", "¥300,000"]]
    trend_rows = {row.split()[0]: row.split()[1:] for row in trend.image_alt.splitlines()[2:]}
    assert trend_rows["11-23"] == ["3", "2", "1"] and trend_rows["11-16"] == ["1", "0", "0"]
    assert trend_rows["11-02"] == ["0", "1", "0"] and trend_rows["10-05"] == ["0", "1", "0"]
    assert trend.choices[-1].id == f"p:{world.ids['mia']}:off_digest"
    [ned] = [r for r in out.to("ned") if r.text.startswith("📊")]
    assert "外队" not in summary.text and "拜访 1 次 · 新商机 1 · 阶段推进 1" in ned.text  # each their own team
    tick(sched)
    assert len([r for r in out.to("mia") if r.text.startswith("📊")]) == 1


def test_the_digest_waits_for_monday_nine_and_is_weekly(world, clock, sched, out):
    clock.current = local("2026-11-30", "08:59")
    tick(sched)
    assert not [r for r in out.to("mia") if r.text.startswith("📊")]
    for day in ("2026-11-30", "2026-12-03", "2026-12-06"):
        clock.current = local(day, "12:00")
        tick(sched)
    assert len([r for r in out.to("mia") if r.text.startswith("📊")]) == 1
    clock.current = local("2026-12-07", "09:00")
    tick(sched)
    assert [r.text.splitlines()[0] for r in out.to("mia") if r.text.startswith("📊")][-1] == "📊 团队周报 11-30 ~ 12-06"


def test_the_digest_falls_back_to_tables_without_charts(world, sched, out, monkeypatch):
    from analytics.charts import ChartUnavailable
    from bot.scheduler import digest

    def no_charts(*args, **kwargs):
        raise ChartUnavailable("no font")

    monkeypatch.setattr(digest, "funnel_png", no_charts)
    tick(sched)
    [only] = [r for r in out.to("mia") if r.text.startswith("📊")]
    assert only.image is None and "销售漏斗（本季度）" in only.text and "11-23" in only.text


def test_the_morning_brief(world, clock, sched, out):
    adam = world.ids["adam"]
    add_reminder(world.db, adam, local("2026-11-30", "15:00"), "给李工送样品")
    add_reminder(world.db, adam, local("2026-11-29", "15:00"), "写周报", not_before=local("2026-12-01", "09:00"))
    clock.current = local("2026-11-30", "08:29")
    tick(sched)
    assert not [r for r in out.to("adam") if r.text.startswith("☀️")]
    clock.current = local("2026-11-30", "08:30")
    tick(sched)
    [brief] = [r for r in out.to("adam") if r.text.startswith("☀️")]
    text = brief.text
    assert text.splitlines()[0] == "☀️ 早上好，Adam！今天 11-30 周一"
    assert "⏰ 今天的提醒（1）：\n• 15:00 给李工送样品" in text
    assert "⌛ 逾期未完成（1）：\n• 11-29 15:00 写周报" in text
    assert "冷门 冷门试点 · 潜在 · 60 天没有更新" in text
    assert "🧾 等待审批的报价（1）：" in text and "3天" in text
    assert brief.choices[-1].id == f"p:{adam}:off_brief"
    assert not [r for r in out.to("mia") if r.text.startswith("☀️")]  # briefs are for reps
    clock.current = local("2026-11-30", "17:00")
    tick(sched)
    assert len([r for r in out.to("adam") if r.text.startswith("☀️")]) == 1


def test_stale_deals_are_named_once_per_idle_stretch(world, clock, sched, out):
    def nudges():
        return [r for r in out.to("adam") if r.text.startswith("🕸")]

    tick(sched)
    [nudge] = nudges()
    assert "冷门 冷门试点（潜在）· 上次 10-01，60 天" in nudge.text and "星海" not in nudge.text
    clock.current = local("2026-12-01", "09:00")
    tick(sched)
    assert len(nudges()) == 1
    clock.current = local("2026-12-10", "09:00")  # 70 days idle: a new stretch of 14
    tick(sched)
    assert len(nudges()) == 2 and "70 天" in nudges()[-1].text


def test_approval_nudge_after_a_day_and_escalation_after_three(world, clock, sched, out):
    quote = world.ids["quote"]

    def about(chat: str) -> list:
        return [r for r in out.to(chat) if f"#{quote}" in r.text and r.text.startswith(("🧾 报价", "⏫", "🧾 Quote", "⏫ Quote"))]

    clock.current = local("2026-11-28", "11:59")
    tick(sched)
    assert about("mia") == []
    clock.current = local("2026-11-28", "12:00")
    tick(sched)
    [nudge] = about("mia")
    assert nudge.text.startswith(f"🧾 报价 #{quote} 已等你审批 24 小时")
    assert [c.id for c in nudge.choices] == [f"q:{quote}:approve", f"q:{quote}:reject", f"p:{world.ids['mia']}:off_approval"]
    assert about("root") == []
    clock.current = local("2026-11-30", "12:00")
    tick(sched)
    [escalation] = about("root")
    assert escalation.text.startswith(f"⏫ Quote #{quote} has waited 3 days without a decision (approver: Mia)")
    assert len(about("mia")) == 1
    world.tools.run(world.ids["mia"], "approve_quote", quote_id=quote)
    clock.current = local("2026-12-03", "12:00")
    tick(sched)
    assert len(about("root")) == 1


def test_the_monthly_data_star(world, clock, sched, out):
    clock.current = local("2026-12-01", "09:00")
    tick(sched)
    [star] = [r for r in out.to("mia") if r.text.startswith("⭐")]
    assert star.text.splitlines() == ["⭐ 11月数据之星：Bea（完整度 100%，2 项）", "1. Bea 100%（2/2）", "2. Adam 75%（3/4）"]
    assert star.choices[-1].id == f"p:{world.ids['mia']}:off_datastar"
    [root_star] = [r for r in out.to("root") if r.text.startswith("⭐")]
    assert root_star.text.splitlines()[0] == "⭐ Data star of 2026-11: Bea (100% complete, 2 records)"
    clock.current = local("2026-12-20", "09:00")
    tick(sched)
    assert len([r for r in out.to("mia") if r.text.startswith("⭐")]) == 1
