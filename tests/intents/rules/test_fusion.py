"""intents/rules/fusion.py: the rules' reading fused with the model's, and asking when unsure.

The model is replaced by fixed probabilities here, so each transition of the fusion is tested on
its own; the packaged model is tested in tests/intents/classify."""
import pytest

from intents.rules import fusion
from intents.rules.engine import _read
from intents.rules.facts import gather
from intents.rules.text import prepare

TOOLS = ("log_visit", "update_opportunity", "create_quote", "approve_quote", "reject_quote", "create_reminder",
         "list_reminders", "list_pending_approvals", "top_accounts", "pipeline_report", "account_overview",
         "suggest_next_steps", "data_health", "reassign_accounts")


def probs(**given):
    return {t: given.get(t, 0.02) for t in TOOLS}


@pytest.fixture()
def fuse(make_ctx):
    def run(text, p, user=1):
        facts = gather(prepare(text), make_ctx(user))
        return fusion.fuse(_read(facts), facts, p)
    return run


@pytest.mark.parametrize("text, tool, args", [
    ("蓝鲸最近有啥风声", "account_overview", {"account": "蓝鲸数据"}),
    ("what's cooking at Globex", "account_overview", {"account": "Globex Industries"}),
    ("上季度战绩如何", "pipeline_report", {"period": "last_quarter"}),
    ("scoreboard for last month", "pipeline_report", {"period": "last_month"}),
])
def test_a_question_the_rules_missed_is_added_when_the_model_is_confident(fuse, text, tool, args):
    fused = fuse(text, probs(**{tool: 0.9}))
    assert [(d.name, d.args) for d in fused.drafts] == [(tool, args)]
    assert not fused.alternatives


@pytest.mark.parametrize("text, tool", [
    ("蓝鲸最近有啥风声", "account_overview"),
    ("上季度战绩如何", "pipeline_report"),
    ("scoreboard for last month", "pipeline_report"),
])
def test_a_plausible_but_unsure_reading_is_asked_about_not_acted_on(fuse, text, tool):
    fused = fuse(text, probs(**{tool: 0.35, "data_health": 0.25}))
    assert fused.drafts == [] and fused.asks
    assert [reading[0].name for reading, _ in fused.alternatives][0] == tool
    assert all(0 < score < 1 for _, score in fused.alternatives)


@pytest.mark.parametrize("text", ["蓝鲸最近有啥风声", "scoreboard for last month", "嗯嗯"])
def test_nothing_plausible_means_no_call_and_no_question(fuse, text):
    fused = fuse(text, probs())
    assert fused.drafts == [] and fused.alternatives == []


@pytest.mark.parametrize("text", [
    "明远的情况怎么样了",  # names an account, no period
    "how is Initech doing",
    "青松这阵子咋样",
])
def test_a_period_question_is_not_read_into_a_question_about_an_account(fuse, text):
    fused = fuse(text, probs(pipeline_report=0.9, account_overview=0.65))
    assert [d.name for d in fused.drafts] == ["account_overview"]


@pytest.mark.parametrize("text, tool", [
    ("今天拜访了蓝鲸李总，聊了扩容方案", "log_visit"),
    ("Met Hank at Globex today about the renewal", "log_visit"),
    ("给北辰出个报价，50万，打九折", "create_quote"),
])
def test_a_lone_write_the_model_doubts_is_kept_when_it_leans_to_no_question(fuse, text, tool):
    fused = fuse(text, probs(**{tool: 0.01}))
    assert [d.name for d in fused.drafts] == [tool]


@pytest.mark.parametrize("text, user", [
    ("看下团队上周的业绩", 3),
    ("team pipeline for last week please", 5),
    ("这个月我的漏斗", 1),
])
def test_without_a_model_the_rules_answer_alone(fuse, text, user):
    fused = fuse(text, None)
    assert [d.name for d in fused.drafts] == ["pipeline_report"]


@pytest.mark.parametrize("text", ["给北辰出个报价，50万，打九折", "今天拜访了蓝鲸李总", "Met Hank at Globex today"])
def test_a_call_of_a_tool_the_model_does_not_know_is_left_to_the_rules(fuse, text):
    partial = {t: p for t, p in probs(pipeline_report=0.9).items() if t not in ("create_quote", "log_visit")}
    fused = fuse(text, partial)
    assert fused.drafts and all(d.name in ("create_quote", "log_visit") for d in fused.drafts)
