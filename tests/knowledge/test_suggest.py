"""Next steps from similar past deals: grounded in real deals, cited, wired into the tool, the
chat model's rewrite kept only when its citations hold, and the hint after a visit."""
from __future__ import annotations

import re

from langchain_core.messages import AIMessage
from sqlmodel import Session

from knowledge import service
from knowledge.hints import hint_after_visit
from knowledge.suggest import suggest
from storage.models import User
from tests.fakes.chat_models import ScriptedChatModel
from tests.knowledge.data import CLOSED
from tools.base import ToolContext, get_tool


def cited(text: str) -> set[int]:
    return {int(n) for n in re.findall(r"#(\d+)", text)}


def test_suggestions_cite_the_real_closed_deals_they_came_from(built, kb):
    _, engine = built
    with Session(engine) as session:
        found = suggest(kb, session=session, account_id=4, lang="zh", use_llm=False)
    assert found is not None and found.engine == "template"
    assert found.deal["id"] == 104 and found.stage == "evaluation"
    assert 2 <= len(found.steps) <= 4
    for step in found.steps:
        assert step.cites and set(step.cites) <= CLOSED
        assert f"#{step.cites[0]}" in found.answer
    assert {s["id"] for s in found.similar} == {d for s in found.steps for d in s.cites}
    demo = next(s for s in found.steps if s.kind == "play")
    assert demo.key == "onsite_demo" and set(demo.cites) == {101, 102, 105, 106}
    assert demo.facts["next_stage"] == "negotiation"
    # days in evaluation: 101 28, 102 40, 105 32, 106 40
    assert demo.facts["median_days"] == 36
    track = next(s for s in found.steps if s.kind == "talk_track")
    assert track.key == "price" and track.cites == [102] and "三年合同" in track.facts["quote"]
    assert cited(found.answer) <= CLOSED


def test_an_english_rep_gets_an_english_answer_with_english_quotes_first(built, kb):
    _, engine = built
    with Session(engine) as session:
        found = suggest(kb, session=session, account_id=7, question="how do we get through security review?",
                        lang="en", use_llm=False)
    assert found.answer.startswith("💡 Next steps for Initech")
    track = next(s for s in found.steps if s.kind == "talk_track")
    assert track.key == "security_review" and track.cites == [105] and "SOC 2" in track.facts["quote"]
    assert cited(found.answer) <= CLOSED and 108 not in cited(found.answer)


def test_the_tool_answers_from_past_deals_when_the_index_exists(built):
    settings, engine = built
    with Session(engine) as session:
        ctx = ToolContext(user=session.get(User, 1), session=session, settings=settings)
        result = get_tool("suggest_next_steps").run(ctx, {"account": "蓝海数据"})
    assert result.data["source"] == "past_deals"
    assert result.data["account"] == {"id": 4, "name": "蓝海数据"}
    assert cited(result.data["answer"]) <= CLOSED and cited(result.data["answer"])
    from bot.render_results import render_result

    assert render_result(result, "zh") == result.data["answer"]


def test_the_tool_keeps_the_rules_without_an_index(built, tmp_path):
    settings, engine = built
    without = settings.model_copy(update={"knowledge_dir": str(tmp_path / "none")})
    with Session(engine) as session:
        ctx = ToolContext(user=session.get(User, 1), session=session, settings=without)
        result = get_tool("suggest_next_steps").run(ctx, {"account": "蓝海数据"})
    assert "source" not in result.data and "answer" not in result.data
    assert result.data["steps"] and all("priority" in s for s in result.data["steps"])


def test_a_chat_model_rewrites_the_steps_and_keeps_the_citations(built):
    settings, engine = built
    knowledge = service.Knowledge(settings=settings, index=service.require(settings).index)
    knowledge.chat_model = ScriptedChatModel(script=[AIMessage(content=(
        "1. 下周约黄磊做现场演示，用他们的数据跑销售线索整合 [#101, #102]\n"
        "2. 价格异议先谈三年合同加年付 [#102]"))])
    with Session(engine) as session:
        found = suggest(knowledge, session=session, account_id=4, question="客户嫌贵怎么办", lang="zh")
    assert found.engine == "llm"
    assert "下周约黄磊做现场演示" in found.answer and found.answer.startswith("💡 蓝海数据")
    assert found.answer.splitlines()[-1].startswith("参考商机")
    sent = knowledge.chat_model.requests[0]
    assert "[#101]" in sent[-1].content and "客户嫌贵怎么办" in sent[-1].content
    assert "只能引用事实里出现的商机编号" in sent[0].content


def test_an_answer_citing_an_unknown_deal_is_dropped_for_the_template(built):
    settings, engine = built
    knowledge = service.Knowledge(settings=settings, index=service.require(settings).index)
    knowledge.chat_model = ScriptedChatModel(script=[
        AIMessage(content="1. 参考某大客户的做法 [#999]\n2. 做现场演示 [#101]"),
        AIMessage(content="做现场演示就行"),
        RuntimeError("provider down"),
    ])
    with Session(engine) as session:
        for _ in range(3):
            found = suggest(knowledge, session=session, account_id=4, lang="zh")
            assert found.engine == "template" and 999 not in cited(found.answer)


def test_a_hint_after_a_visit_names_what_similar_won_deals_did(built, kb):
    _, engine = built
    with Session(engine) as session:
        hint = hint_after_visit(4, session=session, knowledge=kb, lang="zh")
        assert hint.startswith("💡 相似的赢单在评估阶段做了现场演示后推进了 [#")
        assert cited(hint) == {101, 102, 105, 106}  # every won deal that demoed while evaluating
        assert hint_after_visit(1, session=session, knowledge=kb, lang="zh") is None  # no open deal
        english = hint_after_visit(7, session=session, knowledge=kb, lang="en")
    assert english.startswith("💡 Similar won deals moved on from evaluation after an on-site demo [#")
    assert cited(english) == {101, 102, 105, 106}
