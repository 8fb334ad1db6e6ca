"""The engine as a whole: the IntentEngine contract, questions, confidence and odd input."""
import json

import pytest

from intents.base import IntentEngine, Parse
from intents.rules import RulesEngine
from storage.names import Directory, Entry
from tools.base import all_tools


def test_it_is_an_intent_engine_named_rules(rules_engine):
    engine: IntentEngine = rules_engine
    assert engine.name == "rules" and callable(engine.parse)


@pytest.mark.parametrize("text", [
    "", "   ", "\n\t", "\x00\x01\x02\x7f", "😀😀😀", "👌", "'; DROP TABLE users; --", "<script>alert(1)</script>",
    "a" * 100_000, "拜访蓝鲸" * 30_000, "\ud800\udfff", "🤖 " * 5000, "{{7*7}} ${jndi:ldap://x}", "1" * 5000,
    "提醒我" * 2000, "102批了" * 1000, "\u202e蓝鲸\u202c", "‮", "ＡＣＭＥ　ｑｕｏｔｅ　１０１",
])
def test_odd_input_never_raises_and_gives_json(parse, text):
    result = parse(text)
    assert isinstance(result, Parse) and result.engine == "rules" and 0 <= result.confidence <= 1
    json.dumps(result.to_json(), ensure_ascii=False)


def test_every_call_passes_its_tool_schema(parse):
    tools = all_tools()
    texts = ["昨天下午上门拜访了北辰汽车，许工和邓总都在，开始走合同，金额两百万。提醒我下周一跟进",
             "给北辰出个报价：一百二十万，八五折，产线质检二期", "102批了，104驳回，折扣再收一收",
             "top 5 accounts by pipeline this quarter for the team", "把小王的青松制药交给老刘"]
    for text in texts:
        for call in parse(text, user=3).calls:
            tools[call.name].validate(call.args)


def test_confidence_levels(parse):
    assert parse("今天上午去蓝鲸拜访了李总，聊了扩容").confidence >= 0.9  # complete, names exact
    assert parse("谢谢").confidence >= 0.85  # small talk it is sure of
    assert 0.5 < parse("新线索：东方医药，对方有意向").confidence < 0.8  # a name the CRM does not know
    assert parse("给蓝鲸出个报价").confidence < 0.6  # a missing amount
    assert parse("the quarterly synergy roadmap needs alignment").confidence < 0.5  # words it cannot read


def test_an_ambiguous_name_is_asked_about_not_guessed(parse):
    d = Directory(accounts=[Entry("account", 1, "华为技术有限公司"), Entry("account", 2, "华为软件")],
                  contacts=[Entry("contact", 1, "王强", ("王总",), account_id=1), Entry("contact", 2, "王刚", ("王总",), account_id=2)])
    result = parse("今天拜访了华为，聊了合作", within=d)
    (call,) = result.calls
    assert call.name == "log_visit" and "account" not in call.args
    (question,) = result.questions
    assert (question.kind, question.arg, question.mention) == ("ambiguous", "account", "华为")
    assert sorted(question.candidates) == ["华为技术有限公司", "华为软件"]
    assert result.confidence < 0.5


def test_a_contact_is_narrowed_by_the_account_named(parse):
    d = Directory(accounts=[Entry("account", 1, "蓝鲸数据", ("蓝鲸",)), Entry("account", 2, "蓝海数据", ("蓝海",))],
                  contacts=[Entry("contact", 1, "王强", ("王总",), account_id=1), Entry("contact", 2, "王刚", ("王总",), account_id=2)])
    result = parse("今天去蓝海拜访了王总", within=d)
    assert result.to_json()[0]["args"]["contacts"] == ["王刚"] and result.questions == []
    unsure = parse("昨天王总电话里说想试用", within=d)
    assert {q.kind for q in unsure.questions} == {"ambiguous"}


def test_two_contacts_of_one_account_with_the_same_title_are_asked_about(parse):
    d = Directory(accounts=[Entry("account", 1, "蓝鲸数据", ("蓝鲸",))],
                  contacts=[Entry("contact", 1, "王强", ("王总",), account_id=1), Entry("contact", 2, "王刚", ("王总",), account_id=1)])
    result = parse("今天去蓝鲸拜访了王总", within=d)
    assert "contacts" not in result.calls[0].args
    (question,) = result.questions
    assert (question.kind, question.arg, sorted(question.candidates)) == ("ambiguous", "contacts", ["王刚", "王强"])


def test_a_failure_inside_is_logged_not_raised(make_ctx, caplog):
    class Failing(Directory):
        def resolve(self, *args, **kwargs):
            raise RuntimeError("boom")

    ctx = make_ctx(4, within=Failing(accounts=[Entry("account", 1, "Globex Industries", ("Globex",))]))
    result = RulesEngine().parse("met with the Globx team yesterday", ctx)
    assert result.calls == [] and result.confidence == 0.0
    assert "rules engine failed" in caplog.text
