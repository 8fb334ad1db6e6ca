"""The prompt: the user's now and calendar, role, value rules, pre-matched accounts, examples."""
from __future__ import annotations

import json
from datetime import date

from intents.llm.candidates import likely_accounts, mentioned_users
from intents.llm.prompt import build_prompt, calendar_block
from prompts import llm as P
from tests.conftest import SHARED_EVAL


def test_calendar_around_now_follows_the_contract():
    block = calendar_block(date(2026, 11, 25), "zh")
    assert "今天 2026-11-25" in block and "前天 2026-11-23" in block
    assert "上周：周一 2026-11-16" in block and "周五 2026-11-20" in block
    assert "下周：周一 2026-11-30" in block and "周三 2026-12-02" in block
    assert "月底 2026-11-30；下个月底 2026-12-31；本季度末 2026-12-31" in block
    en = calendar_block(date(2026, 12, 31), "en")
    assert "tomorrow 2027-01-01" in en and "end of next month 2027-01-31" in en


def test_prompt_speaks_the_users_language_and_states_now_role_and_team(make_ctx):
    zh = build_prompt("本周团队最活跃的客户", make_ctx(3))
    assert zh.language == "zh" and "张伟（销售经理，团队：王磊, 李娜, 刘洋）" in zh.system
    assert "现在：2026-11-25 10:00（周三），时区 Asia/Shanghai" in zh.system
    en = build_prompt("top accounts this week", make_ctx(5))
    assert en.language == "en" and "Bob Smith (sales manager, team: Alice Chen)" in en.system
    assert "Now: 2026-11-25 10:00 (Wednesday)" in en.system
    for stage in ("prospect", "evaluation", "negotiation", "won", "lost"):
        assert stage in zh.system and stage in en.system
    assert "no marker at all → leave currency out" in en.system and "打85折 / 八五折 → 15" in zh.system


def test_only_the_accounts_the_message_means_are_listed(make_ctx, directory):
    prompt = build_prompt("今天去蓝鲸见了李总，顺便聊了下青松的事", make_ctx(1))
    listed = [a.name for a in directory.accounts if f"- {a.name}" in prompt.system]
    assert listed == ["蓝鲸数据", "青松制药"]
    assert "联系人：李明 (李总, Li Ming), 陈静 (陈经理)" in prompt.system


def test_a_contact_or_a_typo_finds_its_account(directory):
    assert [h.account.name for h in likely_accounts("call with Hank Scorpio this morning", directory)] == \
        ["Globex Industries"]
    assert likely_accounts("met the Fabrikan team about MES", directory)[0].account.name == "Fabrikam Manufacturing"
    names = [h.account.name for h in likely_accounts("ping Contoso about renewal", directory)]
    assert names[0] == "Contoso Bank" and "Contoso Insurance" in names
    assert likely_accounts("本周团队最活跃的客户", directory) == []


def test_follow_up_sees_the_account_of_the_turn_before(make_ctx):
    ctx = make_ctx(1, history=(("user", "北辰产线质检金额更新到200万"), ("assistant", "📋 确认写入（1 项）")))
    prompt = build_prompt("改成250万", ctx)
    assert "- 北辰汽车" in prompt.system
    assert prompt.history == (("user", "北辰产线质检金额更新到200万"), ("assistant", "📋 确认写入（1 项）"))
    assert prompt.message == "改成250万"


def test_named_colleagues_are_listed_for_hand_overs(make_ctx, directory):
    assert [u.name for u in mentioned_users("老刘下个月离职，他的客户都转给小王", directory)] == ["王磊", "刘洋"]
    assert "刘洋 (老刘)" in build_prompt("老刘的客户转给小王", make_ctx(3)).system


def test_examples_use_only_valid_calls_and_none_comes_from_an_eval_set():
    from tools.base import all_tools

    tools = all_tools()
    for _, calls in P.EXAMPLES:
        for call in calls:
            tools[call["name"]].validate(call["args"])
    sets = [SHARED_EVAL / name for name in ("dev.jsonl", "dev2.jsonl")]
    if all(path.exists() for path in sets):
        texts = {path.name: [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
                 for path in sets}
        for message, _ in P.EXAMPLES:  # no example is an eval sentence, of either set
            assert all(message not in t and t not in message for t in texts["dev.jsonl"] + texts["dev2.jsonl"])
        example_accounts = {c["args"]["account"] for _, calls in P.EXAMPLES for c in calls if "account" in c["args"]}
        assert example_accounts and not any(name in t for name in example_accounts for t in texts["dev.jsonl"])
