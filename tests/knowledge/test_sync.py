"""The index follows writes without a rebuild, only after commit, and across processes; it is
only used for the database and model it was built from."""
from __future__ import annotations

from datetime import date

from sqlmodel import Session

from knowledge import service
from knowledge.index import DealIndex, Manifest
from storage.models import Opportunity, Stage, User, Visit
from tools.base import ToolContext, get_tool


def deal_ids(knowledge, query):
    return [h.deal_id for h in knowledge.retriever("bm25").search(query, None, 5)]


def log_visit(engine, settings, clock, summary: str, account: str = "蓝海数据") -> int:
    with Session(engine) as session:
        user = session.get(User, 1)
        ctx = ToolContext(user=user, session=session, settings=settings, clock=clock)
        result = get_tool("log_visit").run(ctx, {"account": account, "summary": summary})
        session.commit()
        return result.data["opportunity"]["id"]


def test_a_logged_visit_is_searchable_after_index_deal_without_a_rebuild(fresh, clock):
    settings, engine = fresh
    knowledge = service.require(settings)
    assert 104 not in deal_ids(knowledge, "华为总部")
    built = Manifest.read(service.directory_of(settings))
    deal = log_visit(engine, settings, clock, "带黄磊去华为总部参观了落地项目，顾虑少了很多。")
    assert deal == 104
    with Session(engine) as session:
        assert service.index_deal(deal, session=session, settings=settings)
    assert deal_ids(knowledge, "华为总部")[0] == 104
    assert Manifest.read(service.directory_of(settings)).collection == built.collection


def test_index_visit_reindexes_the_visits_deal(fresh):
    settings, engine = fresh
    with Session(engine) as session:
        session.add(Visit(id=99, account_id=7, opportunity_id=108, rep_id=2, occurred_on=date(2026, 11, 2),
                          summary="Executive sponsor meeting with their CFO, who backs the rollout."))
        session.commit()
        assert service.index_visit(99, session=session, settings=settings)
    hits = service.require(settings).retriever("bm25").search("CFO executive sponsor", None, 3)
    assert hits[0].deal_id == 108 and hits[0].doc_id == "visit:99"
    dense = service.require(settings).retriever("dense").search("their finance chief supports the project", None, 3)
    assert dense[0].doc_id == "visit:99"  # the new visit has its vector too


def test_a_closed_deal_is_reindexed_with_its_new_outcome(fresh):
    settings, engine = fresh
    knowledge = service.require(settings)
    with Session(engine) as session:
        deal = session.get(Opportunity, 108)
        deal.stage, deal.closed_on = Stage.won, date(2026, 11, 20)
        session.commit()
        service.index_deal(108, session=session, settings=settings)
    from knowledge.filters import Filters

    won = knowledge.retriever().search("Technical deep dive architecture", Filters.of(outcome="won"), 5)
    assert 108 in [h.deal_id for h in won]


def test_indexing_waits_for_the_commit_and_skips_a_rollback(fresh, clock):
    settings, engine = fresh
    knowledge = service.require(settings)
    with Session(engine) as session:
        session.add(Visit(account_id=4, opportunity_id=104, rep_id=1, occurred_on=date(2026, 11, 3),
                          summary="回滚的拜访：提到了独角兽"))
        session.flush()
        assert service.index_deals_after_commit(session, {104}, settings)
        session.rollback()
    service.wait_idle()
    assert 104 not in deal_ids(knowledge, "独角兽")

    with Session(engine) as session:
        session.add(Visit(account_id=4, opportunity_id=104, rep_id=1, occurred_on=date(2026, 11, 3),
                          summary="提交的拜访：客户提到了麒麟"))
        session.flush()
        service.index_deals_after_commit(session, {104}, settings)
        assert deal_ids(knowledge, "麒麟") == []  # not before the commit
        session.commit()
    service.wait_idle()
    assert deal_ids(knowledge, "麒麟") == [104]


def test_another_process_sees_a_write_and_a_rebuild(fresh):
    settings, engine = fresh
    directory = service.directory_of(settings)
    other = DealIndex(directory, service.require(settings).index.embedder, Manifest.read(directory))
    assert other.bm25("猎豹", None, 5) == []
    with Session(engine) as session:
        session.add(Visit(account_id=3, opportunity_id=103, rep_id=1, occurred_on=date(2026, 5, 1),
                          summary="补记：客户提到猎豹"))
        session.commit()
        service.index_deal(103, session=session, settings=settings)
    assert {h.meta["deal_id"] for h in other.bm25("猎豹", None, 5)} == {103}
    report = service.rebuild(settings, engine)
    assert report.deals == 8
    assert other.count() == report.documents  # switched to the new collection
    assert {h.meta["deal_id"] for h in other.bm25("猎豹", None, 5)} == {103}


def test_the_index_answers_only_for_its_database_and_model(built, tmp_path):
    settings, _ = built
    assert service.unavailable_reason(settings) is None
    other_db = settings.model_copy(update={"database_url": f"sqlite:///{tmp_path / 'other.db'}"})
    assert "DATABASE_URL" in service.unavailable_reason(other_db)
    assert service.knowledge_for(other_db) is None
    other_model = settings.model_copy(update={"embedding_model": "/models/bge-small-zh"})
    assert "EMBEDDING_MODEL" in service.unavailable_reason(other_model)
    off = settings.model_copy(update={"knowledge_enabled": False})
    assert service.unavailable_reason(off) == "KNOWLEDGE_ENABLED is off"
    empty = settings.model_copy(update={"knowledge_dir": str(tmp_path / "none")})
    assert "knowledge rebuild" in service.unavailable_reason(empty)
    with Session(built[1]) as session:
        assert service.index_deal(101, session=session, settings=empty) is False
