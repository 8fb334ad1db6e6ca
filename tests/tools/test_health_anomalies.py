"""data_health's anomalies (amount jumps, stages going backwards) and the data star ranking, made
through the tools so they come from the real audit log and stage history."""
from __future__ import annotations

from storage.models import Visit


def test_amount_jumps_and_backward_stages_are_reported(runner, clock):
    runner.run(1, "update_opportunity", account="蓝鲸数据", amount="700000")
    runner.run(1, "update_opportunity", account="蓝鲸数据", amount="8000000")  # a slipped digit
    runner.run(1, "update_opportunity", account="蓝鲸数据", amount="9000000")  # small change: fine
    runner.run(1, "update_opportunity", account="青松", stage="evaluation")  # was negotiation
    found = runner.run(1, "data_health").data["anomalies"]
    jumps = [a for a in found if a["kind"] == "amount_jump"]
    backwards = [a for a in found if a["kind"] == "stage_backwards"]
    assert [(j["before"], j["after"]) for j in jumps] == [("700000.00", "8000000.00")]
    assert [(b["from"], b["to"], b["by"]) for b in backwards] == [("negotiation", "evaluation", 1)]
    assert runner.run(2, "data_health").data["anomalies"] == []  # 李娜 does not see 王磊's deals


def test_the_data_star_ranks_reps_by_completeness(runner, clock):
    with runner.session() as session:
        session.add(Visit(account_id=1, rep_id=1, occurred_on=clock().date(), summary="无联系人"))
    runner.run(2, "log_visit", account="金桥物流", contacts=["周海"], summary="聊了续约")
    ranking = runner.run(3, "data_health").data["data_star"]
    names = [r["user"]["name"] for r in ranking]
    assert names[0] == "李娜" and "王磊" in names and "张伟" not in names  # managers are not ranked
    wang = next(r for r in ranking if r["user"]["name"] == "王磊")
    assert wang["complete"] < wang["checked"] and ranking[0]["completeness"] == 1.0
