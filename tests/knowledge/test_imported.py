"""Advice on a history imported from another CRM (no stage changes, other wording than the demo):
it cites relevant past deals, from BM25 alone while the model loads and hybrid once it is in."""
from __future__ import annotations

import re

import pytest
from sqlmodel import Session

from knowledge import service
from knowledge.embedder import Embedder
from knowledge.eval.imported import QUESTIONS, fixture, relevant, topic_of
from knowledge.evidence import best_sentences, brief
from knowledge.records import load_deals
from knowledge.suggest import suggest
from storage.config import Settings
from storage.db import make_engine, migrate, session_scope
from storage.fixture import import_fixture
from storage.models import Opportunity, Stage


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("imported")
    settings = Settings(_env_file=None, database_url=f"sqlite:///{folder / 'crm.db'}",
                        knowledge_dir=str(folder / "kb"))
    engine = make_engine(settings.database_url)
    migrate(engine)
    with session_scope(engine) as session:
        import_fixture(fixture(), session=session)
    service.rebuild(settings, engine)
    yield settings, engine
    service.forget_open()
    engine.dispose()


def answers(knowledge, engine):
    out = {}
    with Session(engine) as session:
        for deal_id, (_account, question, lang) in QUESTIONS.items():
            deal = session.get(Opportunity, deal_id)
            found = suggest(knowledge, session=session, account_id=deal.account_id, deal_id=deal_id,
                            question=question, lang=lang, use_llm=False)
            out[deal_id] = found
    return out


def cites_relevant(found, deal_id) -> bool:
    cited = {int(n) for n in re.findall(r"#(\d+)", found.answer)} if found else set()
    return bool(cited & set(relevant(topic_of(deal_id))))


def test_imported_deals_have_the_stages_their_outcome_implies(imported):
    _, engine = imported
    with Session(engine) as session:
        deals = {d.id: d for d in load_deals(session=session)}
    assert all(d.reached(Stage.negotiation) for d in deals.values() if d.stage is Stage.won)
    assert deals[201].entered(Stage.evaluation) is not None


def test_advice_cites_relevant_past_deals_for_at_least_seven_of_eight_open_deals(imported):
    settings, engine = imported
    knowledge = service.require(settings)
    assert knowledge.index.dense_ready()
    found = answers(knowledge, engine)
    assert sum(cites_relevant(found[d], d) for d in QUESTIONS) >= 7
    for answer in found.values():
        assert answer.answer.splitlines()[-1].startswith(("参考商机", "Sources"))


def test_while_the_model_loads_the_answer_comes_from_bm25_alone(imported):
    settings, engine = imported
    loaded = service.require(settings)
    cold = Embedder(setting=loaded.index.embedder.setting, path=loaded.index.embedder.path)
    loaded.index.embedder, warm = cold, loaded.index.embedder
    try:
        assert not loaded.index.dense_ready()
        found = answers(loaded, engine)
        assert not cold.loaded  # nothing loaded the model inside a request
        assert sum(cites_relevant(found[d], d) for d in QUESTIONS) >= 7
    finally:
        loaded.index.embedder = warm


def test_a_quote_is_a_sentence_of_a_won_deal_in_other_words_than_any_list(imported):
    _, engine = imported
    with Session(engine) as session:
        won = [d for d in load_deals(session=session) if d.stage is Stage.won]
    quotes = best_sentences("how did we get past the board on the yearly fee", won, stage=Stage.evaluation,
                            lang="en")
    assert quotes and quotes[0].deal_id == 202 and "board" in quotes[0].text
    assert not quotes[0].plays and not quotes[0].objections  # found by the rankers, no word list
    assert brief("一" * 200).endswith("…") and len(brief("一" * 200)) <= 71
