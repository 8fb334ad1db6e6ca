"""The stages a deal went through, derived from everything known: imported deals without a stage
history still count as having gone through the stages their outcome implies."""
from __future__ import annotations

from datetime import date

from sqlmodel import Session

from knowledge.filters import Filters
from knowledge.records import derive_path, load_deals
from storage.db import make_engine, migrate, session_scope
from storage.fixture import import_fixture
from storage.models import AuditLog, Stage

D = date


def stages(path):
    return [s.value for s, _ in path]


def test_a_won_deal_went_through_evaluation_and_negotiation_dated_by_its_visits():
    visits = [D(2026, 1, 5), D(2026, 2, 1), D(2026, 3, 3), D(2026, 4, 2)]
    path, known = derive_path(Stage.won, [(Stage.won, D(2026, 1, 1))], visits, start=D(2026, 1, 1),
                              closed_on=D(2026, 5, 1))
    assert known
    assert stages(path) == ["prospect", "evaluation", "negotiation", "won"]
    assert [on for _, on in path] == [D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 3), D(2026, 5, 1)]


def test_recorded_stages_and_both_ends_of_a_change_are_kept_and_fill_the_gaps_before_them():
    seen = [(Stage.negotiation, D(2026, 3, 1)), (Stage.lost, D(2026, 5, 1))]
    path, known = derive_path(Stage.lost, seen, [D(2026, 1, 20)], start=D(2026, 1, 10), closed_on=D(2026, 5, 1))
    assert known and stages(path) == ["prospect", "evaluation", "negotiation", "lost"]
    assert path[0][1] == D(2026, 1, 10) and path[1][1] == D(2026, 1, 20)
    days = [on for _, on in path]
    assert days == sorted(days)


def test_a_lost_deal_of_unknown_path_is_not_ruled_out_of_any_open_stage():
    path, known = derive_path(Stage.lost, [(Stage.lost, D(2026, 2, 1))], [D(2026, 1, 3)], closed_on=D(2026, 2, 1))
    assert not known and stages(path) == ["lost"]


def test_an_open_deal_went_through_the_stages_before_its_own():
    path, known = derive_path(Stage.negotiation, [], [D(2026, 9, 1)], start=D(2026, 8, 1))
    assert known and stages(path) == ["prospect", "evaluation", "negotiation"]


def _fixture():
    return {"timezone": "Asia/Shanghai", "default_currency": "CNY",
            "users": [{"id": 1, "name": "周敏", "aliases": [], "role": "rep", "lang": "zh"}],
            "accounts": [{"id": 1, "name": "恒远机械", "aliases": [], "industry": "制造", "region": "佛山",
                          "owner_id": 1, "contacts": []}],
            "opportunities": [
                {"id": 1, "account_id": 1, "owner_id": 1, "name": "联网平台", "stage": "won", "amount": 1,
                 "closed_on": "2026-05-20", "created_on": "2026-02-10"},
                {"id": 2, "account_id": 1, "owner_id": 1, "name": "补货系统", "stage": "lost", "amount": 1,
                 "closed_on": "2026-07-02", "created_on": "2026-04-11"},
                {"id": 3, "account_id": 1, "owner_id": 1, "name": "追溯系统", "stage": "lost", "amount": 1,
                 "closed_on": "2026-08-02", "created_on": "2026-06-01"}],
            "quotes": [],
            "visits": [{"id": 1, "account_id": 1, "opportunity_id": 1, "rep_id": 1, "occurred_on": "2026-03-05",
                        "summary": "费用拆成首年订阅。"},
                       {"id": 2, "account_id": 1, "opportunity_id": 1, "rep_id": 1, "occurred_on": "2026-04-18",
                        "summary": "进入合同条款。"}]}


def test_imported_deals_without_history_pass_the_stage_filter_and_the_audit_log_counts(tmp_path, clock):
    engine = make_engine(f"sqlite:///{tmp_path / 'crm.db'}")
    migrate(engine)
    with session_scope(engine) as session:
        import_fixture(_fixture(), session=session)
        session.add(AuditLog(at=clock(), actor_id=1, action="update", entity="opportunity", entity_id=3,
                             before={"stage": "negotiation"}, after={"stage": "lost"}))
    with Session(engine) as session:
        won, unknown, audited = load_deals(session=session)
    assert won.reached(Stage.negotiation) and won.entered(Stage.negotiation) == D(2026, 4, 18)
    assert unknown.reached(Stage.evaluation) and not unknown.path_known
    assert audited.path_known and stages(audited.history) == ["prospect", "evaluation", "negotiation", "lost"]
    columns = {"deal_id": [1], "industry": ["制造"], "region": ["佛山"], "outcome": ["won"],
               "reached_negotiation": [won.reached(Stage.negotiation)]}
    import numpy as np

    mask = Filters(stage=Stage.negotiation).mask({k: np.array(v, dtype=object) for k, v in columns.items()})
    assert mask is None  # the won deal passes
    engine.dispose()
