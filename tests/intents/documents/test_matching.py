"""Which account and deal a contract belongs to."""
from __future__ import annotations

from decimal import Decimal

from intents.documents.matching import OpenDeal, match_contract
from intents.documents.reader import ContractReading, ReadField
from storage.names import Directory, Entry

DIRECTORY = Directory(accounts=[
    Entry("account", 1, "蓝鲸数据", ("蓝鲸", "Bluewhale Data"), owner_id=1),
    Entry("account", 2, "蓝鲸数据科技有限公司", (), owner_id=2),  # a look-alike owned by someone else
    Entry("account", 3, "青松制药", ("青松",), owner_id=1),
    Entry("account", 4, "Acme Corporation", ("Acme",), owner_id=4),
])


def reading(a=None, b=None, amount=None, currency="CNY") -> ContractReading:
    found = ContractReading()
    for name, value in (("party_a", a), ("party_b", b), ("amount", amount), ("currency", currency)):
        if value is not None:
            found.fields[name] = ReadField(Decimal(value) if name == "amount" else value, 0.95)
    return found


def deal(id, account, stage, amount, currency="CNY") -> OpenDeal:
    return OpenDeal(id, f"deal {id}", account, stage, None if amount is None else Decimal(amount), currency)


def test_the_customer_is_whichever_party_is_an_account_with_legal_suffixes():
    assert match_contract(reading("星云软件有限公司", "青松制药股份有限公司"), DIRECTORY, []).account.id == 3
    assert match_contract(reading("ACME CORPORATION INC.", "Nebula Software Ltd."), DIRECTORY, []).account.id == 4
    assert match_contract(reading("Bluewhale Data Co., Ltd.", None), DIRECTORY, []).account.id == 1


def test_among_look_alikes_the_reps_own_account_is_taken_else_asked():
    assert match_contract(reading("蓝鲸数据有限公司", "星云软件"), DIRECTORY, [], user_id=1).account.id == 1
    unclear = match_contract(reading("蓝鲸数据有限公司", "星云软件"), DIRECTORY, [], user_id=9)
    assert unclear.account is None and "several accounts" in unclear.warnings[0]


def test_an_exact_name_beats_a_look_alike_and_another_reps_account_is_flagged():
    match = match_contract(reading("青松", "蓝鲸数据科技有限公司"), DIRECTORY, [], user_id=1)
    assert match.account.id == 3
    other = match_contract(reading("蓝鲸数据科技有限公司", "星云软件"), DIRECTORY, [], user_id=1)
    assert other.account.id == 2 and any("another rep" in w for w in other.warnings)


def test_no_account_asks_which():
    match = match_contract(reading("某某科技有限公司", "星云软件有限公司"), DIRECTORY, [])
    assert match.account is None and "which account" in match.warnings[0]
    assert "no party" in match_contract(reading(), DIRECTORY, []).warnings[0]


def test_negotiation_first_then_the_nearest_amount():
    deals = [deal(10, 3, "evaluation", "800000"), deal(11, 3, "negotiation", "1500000"),
             deal(12, 3, "negotiation", "820000"), deal(13, 1, "negotiation", "800000")]
    match = match_contract(reading("青松制药", amount="800000"), DIRECTORY, deals, user_id=1)
    assert match.deal.id == 12
    assert any("differs from the deal's" in w and "2%" in w for w in match.warnings)


def test_within_one_percent_is_no_warning_and_a_tie_is_asked():
    deals = [deal(10, 3, "negotiation", "800000"), deal(11, 3, "evaluation", "800000")]
    assert match_contract(reading("青松制药", amount="805000"), DIRECTORY, deals).warnings == []
    tie = [deal(10, 3, "negotiation", None), deal(11, 3, "negotiation", None)]
    match = match_contract(reading("青松制药", amount="805000"), DIRECTORY, tie)
    assert match.deal is None and "several open deals" in match.warnings[0]


def test_currency_mismatch_and_no_open_deal_are_said():
    match = match_contract(reading("Acme", amount="250000", currency="CNY"), DIRECTORY,
                           [deal(20, 4, "negotiation", "250000", "USD")])
    assert match.deal.id == 20 and any("currency" in w for w in match.warnings)
    assert "no open deal" in match_contract(reading("青松"), DIRECTORY, []).warnings[0]
