from datetime import date, timedelta

from storage.models import Visit


def test_account_overview_gathers_everything_about_one_customer(runner, clock):
    with runner.session() as session:
        for day in range(7):
            session.add(Visit(account_id=1, rep_id=1, occurred_on=date(2026, 11, 10) + timedelta(days=day),
                              summary=f"第{day}次", channel="phone"))
    runner.run(1, "create_reminder", due_at="2026-11-27T09:00", text="发方案", account="蓝鲸")
    data = runner.run(3, "account_overview", account="Bluewhale").data

    assert data["account"]["name"] == "蓝鲸数据" and data["account"]["industry"] == "软件"
    assert data["owner"] == {"id": 1, "name": "王磊"}
    assert [c["name"] for c in data["contacts"]] == ["李明", "陈静"]
    assert [(d["name"], d["stage"]) for d in data["open_deals"]] == [("数据平台扩容", "evaluation")]
    assert data["closed_deals"] == []
    assert [v["occurred_on"] for v in data["recent_visits"]] == [
        "2026-11-16", "2026-11-15", "2026-11-14", "2026-11-13", "2026-11-12"]
    assert [q["id"] for q in data["pending_quotes"]] == [102]
    assert [(r["text"], r["due_at"]) for r in data["pending_reminders"]] == [("发方案", "2026-11-27T09:00+08:00")]


def test_closed_deals_keep_why_they_were_lost(runner):
    data = runner.run(4, "account_overview", account="Northwind").data
    [lost] = data["closed_deals"]
    assert (lost["stage"], lost["lost_reason"], lost["competitor"], lost["closed_on"]) == (
        "lost", "budget moved to a POS upgrade", "Oracle Retail", "2026-10-09")
    assert data["recent_visits"][0]["contacts"] == ["Nancy Davolio"]
