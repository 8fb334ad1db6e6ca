"""Conversations through the loop with the offline engine: a bare amount keeps a USD deal USD,
a quote goes to the deal it names, reminders are ticked off, moved and deleted in words, a new deal
gets a real name and can be renamed, a next step's reminder lands on its account, and managers
ask about one rep, by rep, and for the weekly report. The clock is Wed 2026-11-25 10:00."""
from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import select

from bot.app import build_app
from bot.loop import ConversationLoop
from intents.rules.engine import RulesEngine
from storage.db import session_scope
from storage.models import Account, Opportunity, Quote, Reminder, User, Visit
from tests.bot.conftest import message
from tests.conftest import SHANGHAI
from tests.tools.builders import CrmBuilder


@pytest.fixture
def chat(app, clock):
    """say(user, text) → the replies' text; the real rules engine behind the loop."""
    loop = ConversationLoop(build_app(app.settings, clock=clock, engine=RulesEngine(), db=app.db,
                                      run_migrations=False))

    def say(user: int, text: str) -> str:
        return "\n".join(r.text for r in loop.handle_sync(message(user, text)).replies)

    return say


def rows(app, model, *where):
    with session_scope(app.db) as s:
        return list(s.exec(select(model).where(*where)).all())


@pytest.mark.parametrize("text, amount", [
    ("Acme moved to negotiation, 260k now", "260000.00"),
    ("Fleet analytics at Acme is 270k now", "270000.00"),
    ("acme deal size is 255k, still negotiating", "255000.00"),
])
def test_a_bare_amount_keeps_the_usd_deal_usd(app, chat, text, amount):
    card = chat(4, text)
    assert "$" + f"{int(float(amount)):,}" in card and "¥" not in card
    assert "¥" not in chat(4, "1")  # the confirmation repeats the amount in dollars
    deal = rows(app, Opportunity, Opportunity.id == 4)[0]
    assert (deal.currency, str(deal.amount)) == ("USD", amount)


@pytest.mark.parametrize("text", [
    "帮我给蓝鲸的BI看板试点出个报价，20万，打九折",
    "蓝鲸BI看板试点那单报个价，二十万，九折",
    "给蓝鲸出个报价：看板试点，20万，九折",
])
def test_the_quote_goes_to_the_deal_it_names(app, chat, text):
    with session_scope(app.db) as s:
        pilot = CrmBuilder(s).deal(s.get(Account, 1), s.get(User, 1), "BI 看板试点", [("prospect", "2026-11-01")],
                                   amount="200000", updated="2026-11-02").id
    card = chat(1, text)
    assert "商机：BI 看板试点" in card
    chat(1, "1")
    (quote,) = rows(app, Quote, Quote.account_id == 1, Quote.amount == 200000)
    assert quote.opportunity_id == pilot


def test_reminders_are_done_moved_and_deleted_in_words(app, chat):
    for text in ("提醒我明天下午3点给北辰王总回电话", "提醒我12月31号给蓝鲸发年度方案", "提醒我周五上午整理周报"):
        chat(1, text)
        chat(1, "1")
    by_text = {r.text: r.id for r in rows(app, Reminder, Reminder.user_id == 1)}
    assert len(by_text) == 3

    card = chat(1, "给北辰王总回电话那个提醒已经办完了")
    assert "完成提醒" in card and "北辰汽车" in card
    assert "已完成" in chat(1, "1")
    card = chat(1, "把周五那个提醒推迟到下周一下午2点")
    assert "改提醒" in card and "整理周报" in card
    chat(1, "1")
    card = chat(1, "把12月31号那个提醒删掉")
    assert "删除提醒" in card and "蓝鲸" in card
    chat(1, "1")
    status = {r.text: (r.status, r.due_at.astimezone(SHANGHAI).replace(tzinfo=None))
              for r in rows(app, Reminder, Reminder.user_id == 1)}
    assert status["给北辰王总回电话"][0] == "done"
    assert status["整理周报"] == ("pending", datetime(2026, 11, 30, 14, 0))
    assert status["给蓝鲸发年度方案"][0] == "cancelled"


def test_an_english_rep_moves_and_ticks_off_reminders(app, chat):
    chat(4, "remind me to call Dana at Acme tomorrow at 3pm")
    chat(4, "1")
    assert "Move reminder" in chat(4, "push my 3pm reminder to Friday")
    chat(4, "1")
    (moved,) = rows(app, Reminder, Reminder.user_id == 4)
    assert moved.due_at.astimezone(SHANGHAI).replace(tzinfo=None) == datetime(2026, 11, 27, 15, 0)
    assert "Mark done" in chat(4, "the Acme reminder is done")
    chat(4, "1")
    assert rows(app, Reminder, Reminder.id == moved.id)[0].status == "done"
    assert "No pending reminder" in chat(4, "delete my reminder to water the plants")


@pytest.mark.parametrize("user, note, expected, rename, renamed", [
    (1, "今天拜访了新客户星河科技，方案他们基本认可，进入评估", "星河科技 商机", "把这个商机改名为星河智能仓储", "星河智能仓储"),
    (1, "上午拜访了新客户云图物流，技术方案对方很满意，直接进入评估", "云图物流 商机", "商机名字改成「云图运力平台」", "云图运力平台"),
    (4, "Met a new prospect, Stark Industries, they liked the proposal, moving to evaluation",
     "Stark Industries opportunity", "rename the deal to Stark fleet pilot", "Stark fleet pilot"),
])
def test_a_new_deal_gets_a_name_a_visit_and_a_rename(app, chat, user, note, expected, rename, renamed):
    card = chat(user, note)
    assert expected in card
    chat(user, "1")
    (deal,) = [d for d in rows(app, Opportunity) if d.name == expected]
    visits = rows(app, Visit, Visit.account_id == deal.account_id)
    assert visits and all(v.opportunity_id == deal.id for v in visits)
    card = chat(user, rename)
    assert expected in card and renamed in card
    chat(user, "1")
    assert rows(app, Opportunity, Opportunity.id == deal.id)[0].name == renamed


@pytest.mark.parametrize("user, note, owner", [
    (1, "拜访了蓝鲸陈经理，又去了北辰见王总。下一步：周五前给蓝鲸发方案", 1),
    (1, "今天见了青松赵主任，下午又去了北辰邓总那边，下一步：下周一给青松发报价", 3),
    (4, "Met Initech and Globex today. Initech is moving to negotiation; next step: send Globex the pricing sheet by Friday", 13),
])
def test_the_next_step_reminder_lands_on_its_account(app, chat, user, note, owner):
    card = chat(user, note)
    with session_scope(app.db) as s:
        name = s.get(Account, owner).name
    assert any(line.startswith("⏰") and line.endswith(name) for line in card.splitlines()), card
    chat(user, "1")
    (reminder,) = rows(app, Reminder, Reminder.user_id == user, Reminder.kind == "next_step")
    assert reminder.account_id == owner


@pytest.mark.parametrize("user, text, expected", [
    (3, "王磊这个月的pipeline", "（王磊）"),
    (3, "看下李娜本季度的业绩", "（李娜）"),
    (5, "how is Alice tracking this quarter", "(Alice Chen)"),
    (3, "本季度pipeline按人分", "按人："),
    (5, "pipeline by rep this quarter", "By rep:"),
    (3, "上周的周报发我一下", "团队周报 11-16 ~ 11-22"),
    (3, "把这周的周报给我看看", "团队周报 11-23 ~ 11-29"),
    (5, "send me last week's digest", "Team week 11-16 – 11-22"),
    (5, "give me the forecast", "(team)"),
    (5, "show me the forecast for this quarter", "(team)"),
])
def test_managers_reports(chat, user, text, expected):
    assert expected in chat(user, text)
