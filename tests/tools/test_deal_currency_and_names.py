"""Which currency a bare amount takes, which deal a quote belongs to, what a new deal is called,
renaming a deal, and a visit linked to the deal created on the same card."""
from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import select

from storage.models import AuditLog, Opportunity, Quote, User, Visit
from tests.tools.builders import CrmBuilder
from tools.base import get_tool


def deals_of(runner, account_name: str) -> list[Opportunity]:
    with runner.session() as session:
        from storage.models import Account
        account = session.exec(select(Account).where(Account.name == account_name)).one()
        return list(session.exec(select(Opportunity).where(Opportunity.account_id == account.id)
                                 .order_by(Opportunity.id)).all())


# --- problem: a bare amount never turns a USD deal into CNY ------------------------------------

@pytest.mark.parametrize("args", [
    {"account": "Acme", "amount": 275000},
    {"account": "Acme", "stage": "won", "amount": 300000},
    {"account": "Acme Corporation", "opportunity": "Fleet analytics", "amount": 55000},
])
def test_a_bare_amount_keeps_the_deals_currency(runner, args):
    result = runner.run(4, "update_opportunity", **args)
    deal = deals_of(runner, "Acme Corporation")[0]
    assert deal.currency == "USD"
    assert deal.amount == Decimal(args["amount"])
    assert "currency" not in result.data["changes"]
    assert result.data["opportunity"]["amount"]["currency"] == "USD"


def test_a_stated_other_currency_is_a_visible_change(runner):
    result = runner.run(4, "update_opportunity", account="Acme", amount=260000, currency="EUR")
    assert result.data["changes"]["currency"] == {"before": "USD", "after": "EUR"}
    from bot.render_results import render_result
    assert "USD → EUR" in render_result(result, "en")


def test_a_new_deal_takes_the_accounts_then_the_users_currency(runner, crm_admin):
    # Northwind has only a lost USD deal: a new one is USD too, whoever's default is CNY
    runner.run(4, "update_opportunity", account="Northwind", opportunity="POS rollout", amount=80000)
    assert {d.name: d.currency for d in deals_of(runner, "Northwind Traders")}["POS rollout"] == "USD"
    # a new account: the user's usual currency (Alice's deals are USD, 王磊's CNY)
    runner.run(4, "update_opportunity", account="Stark Industries", stage="prospect", amount=50000)
    assert deals_of(runner, "Stark Industries")[0].currency == "USD"
    runner.run(1, "update_opportunity", account="星河科技", stage="prospect", amount=500000)
    assert deals_of(runner, "星河科技")[0].currency == "CNY"


def test_a_users_own_currency_setting_comes_before_their_deals(runner):
    with runner.session() as session:
        user = session.get(User, 2)
        user.preferences = {**(user.preferences or {}), "currency": "hkd"}
        session.add(user)
    runner.run(2, "update_opportunity", account="九龙贸易", stage="prospect", amount=90000)
    assert deals_of(runner, "九龙贸易")[0].currency == "HKD"


def test_a_quote_without_currency_takes_its_deals(runner):
    result = runner.run(4, "create_quote", account="Acme", amount=240000, discount_pct=5)
    assert result.data["quote"]["amount"] == {"amount": "240000.00", "currency": "USD"}


# --- problem: the quote goes to the deal its product names ------------------------------------

@pytest.fixture
def two_open_deals(runner):
    with runner.session() as session:
        crm = CrmBuilder(session)
        owner = session.get(User, 1)
        from storage.models import Account
        account = session.get(Account, 1)  # 蓝鲸数据, whose 数据平台扩容 is open
        pilot = crm.deal(account, owner, "BI 看板试点", [("prospect", "2026-11-20")], amount="200000",
                         updated="2026-11-24")
        return pilot.id


@pytest.mark.parametrize("product, expected", [
    ("数据平台扩容", 1), ("数据平台", 1), ("扩容", 1), ("BI 看板试点", "pilot"), ("BI看板", "pilot"),
])
def test_the_product_picks_the_deal(runner, two_open_deals, product, expected):
    result = runner.run(1, "create_quote", account="蓝鲸", amount=370000, discount_pct=12, product=product)
    wanted = two_open_deals if expected == "pilot" else expected
    assert result.data["opportunity"]["id"] == wanted
    assert runner.all(Quote, Quote.id == result.data["quote"]["id"])[0].opportunity_id == wanted


def test_no_product_means_the_open_deal_and_the_card_names_it(runner, two_open_deals):
    from bot.render_results import describe_call
    from tools.base import ToolCall
    from storage.models import Account
    from tools.deal_rules import current_open_deal
    with runner.session() as session:
        expected = current_open_deal(session, 1)
        assert session.get(Account, 1) is not None
        expected_id, expected_name = expected.id, expected.name
    result = runner.run(1, "create_quote", account="蓝鲸", amount=100000)
    assert result.data["opportunity"]["id"] == expected_id
    line = describe_call(ToolCall("create_quote", {"account": "蓝鲸", "amount": 100000}), result, "zh")
    assert f"商机：{expected_name}" in line


# --- problem: a new deal's name, renaming, and the visit on the same card ---------------------

@pytest.mark.parametrize("user, account, expected", [
    (1, "星河科技", "星河科技 商机"), (4, "Stark Industries", "Stark Industries opportunity"),
])
def test_a_deal_the_message_does_not_name_is_called_after_its_account(runner, user, account, expected):
    result = runner.run(user, "update_opportunity", account=account, stage="evaluation")
    assert result.data["created_opportunity"] is True
    assert deals_of(runner, account)[0].name == expected


@pytest.mark.parametrize("account", ["星河科技", "Stark Industries"])
def test_a_visit_is_linked_to_the_deal_created_on_the_same_card(runner, account):
    with runner.session() as session:
        ctx = runner.context(session, 4 if account.isascii() else 1, source="note")
        visit = get_tool("log_visit").run(ctx, {"account": account, "summary": "first meeting"})
        deal = get_tool("update_opportunity").run(ctx, {"account": account, "stage": "evaluation"})
        assert visit.data["opportunity"] is None  # the deal did not exist yet when the visit was written
        deal_id = deal.data["opportunity"]["id"]
        visit_id = visit.data["visit_id"]
    assert runner.all(Visit, Visit.id == visit_id)[0].opportunity_id == deal_id
    link = runner.audits(AuditLog.entity == "visit", AuditLog.entity_id == visit_id, AuditLog.action == "update")
    assert link and link[-1].after == {"opportunity_id": deal_id}


def test_a_visit_to_an_account_with_an_open_deal_is_not_relinked(runner):
    with runner.session() as session:
        ctx = runner.context(session, 1)
        visit = get_tool("log_visit").run(ctx, {"account": "蓝鲸"})
        get_tool("update_opportunity").run(ctx, {"account": "蓝鲸", "opportunity": "新一期", "stage": "prospect"})
    assert runner.all(Visit, Visit.id == visit.data["visit_id"])[0].opportunity_id == 1


@pytest.mark.parametrize("args, deal_id", [
    ({"account": "蓝鲸", "new_name": "数据中台二期"}, 1),
    ({"account": "蓝鲸数据", "opportunity": "数据平台扩容", "new_name": "数据中台二期"}, 1),
    ({"account": "北辰", "new_name": "产线质检一期"}, 6),
])
def test_rename_a_named_deal(runner, args, deal_id):
    before = runner.all(Opportunity, Opportunity.id == deal_id)[0].name
    result = runner.run(1, "rename_opportunity", **args)
    assert runner.all(Opportunity, Opportunity.id == deal_id)[0].name == args["new_name"]
    assert result.data["changes"]["name"] == {"before": before, "after": args["new_name"]}
    audit = runner.audits(AuditLog.entity == "opportunity", AuditLog.entity_id == deal_id)[-1]
    assert (audit.before, audit.after) == ({"name": before}, {"name": args["new_name"]})


def test_rename_this_deal_means_the_one_just_written(runner):
    created = runner.run(1, "update_opportunity", account="星河科技", stage="evaluation")
    runner.run(1, "rename_opportunity", new_name="星河智能仓储项目")
    assert runner.all(Opportunity, Opportunity.id == created.data["opportunity"]["id"])[0].name == "星河智能仓储项目"


def test_rename_refusals(runner):
    assert runner.outcome(2, "rename_opportunity", new_name="x") == "which_deal_to_rename"
    assert runner.outcome(2, "rename_opportunity", account="蓝鲸", new_name="x") == "not_your_account"
    assert runner.outcome(1, "rename_opportunity", account="蓝鲸", new_name="数据平台扩容") == "nothing_to_update"
