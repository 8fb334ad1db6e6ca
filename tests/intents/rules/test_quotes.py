import pytest


@pytest.mark.parametrize("text, user, args", [
    ("给北辰出个报价：一百二十万，八五折，产线质检二期，麻烦张总批一下", 1,
     {"account": "北辰汽车", "amount": 1200000, "currency": "CNY", "discount_pct": 15, "product": "产线质检二期"}),
    ("云帆报价：¥280,000，88折，备注客户要求分两期付款", 6,
     {"account": "云帆软件", "amount": 280000, "currency": "CNY", "discount_pct": 12, "note": "客户要求分两期付款"}),
    ("蓝海数据报价：一百二十万，打八五折，产品是数据中台标准版", 2,
     {"account": "蓝海数据", "amount": 1200000, "currency": "CNY", "discount_pct": 15, "product": "数据中台标准版"}),
    ("北辰报价一百五十万，七五折，需要特批", 1, {"account": "北辰汽车", "amount": 1500000, "currency": "CNY", "discount_pct": 25}),
    ("给青松报个价 120w 打九折", 1, {"account": "青松制药", "amount": 1200000, "currency": "CNY", "discount_pct": 10}),
    ("need a quote for Umbrella Health: €120k, 10% off, clinical data module", 4,
     {"account": "Umbrella Health", "amount": 120000, "currency": "EUR", "discount_pct": 10, "product": "clinical data module"}),
    ("Contoso wants a quote: $150,000 w/ 5% off for the fraud detection add-on", 4,
     {"account": "Contoso Bank", "amount": 150000, "currency": "USD", "discount_pct": 5, "product": "fraud detection add-on"}),
    ("requesting approval on a quote for Northwind: 200k USD, 20% off. note: comparing us w/ two vendors", 4,
     {"account": "Northwind Traders", "amount": 200000, "currency": "USD", "discount_pct": 20, "note": "comparing us w/ two vendors"}),
    ("need a quote for Initech, 85k, 10% discount", 4, {"account": "Initech", "amount": 85000, "discount_pct": 10}),
])
def test_quote_requests(calls, text, user, args):
    assert calls(text, user=user) == [{"name": "create_quote", "args": args}]


def test_a_request_without_amount_asks_for_it(parse):
    result = parse("给蓝鲸出个报价，打九折")
    assert result.to_json() == [{"name": "create_quote", "args": {"account": "蓝鲸数据", "discount_pct": 10}}]
    assert [(q.kind, q.arg) for q in result.questions] == [("missing", "amount")]


def test_the_quote_takes_the_account_named_earlier(calls):
    out = calls("周二跟蓝鲸陈经理电话谈价格，她希望再降10%。帮我提个报价：80万，九折")
    assert out[-1] == {"name": "create_quote", "args": {"account": "蓝鲸数据", "amount": 800000, "currency": "CNY",
                                                      "discount_pct": 10}}


@pytest.mark.parametrize("text, expected", [
    ("102号报价批了", [("approve_quote", {"quote_id": 102})]),
    ("approve Q-101", [("approve_quote", {"quote_id": 101})]),
    ("Q-103 approved", [("approve_quote", {"quote_id": 103})]),
    ("同意104号报价", [("approve_quote", {"quote_id": 104})]),
    ("104号报价通过，注意回款节点", [("approve_quote", {"quote_id": 104, "comment": "注意回款节点"})]),
    ("#102 不批，让小王先把回款条件谈清楚", [("reject_quote", {"quote_id": 102, "comment": "让小王先把回款条件谈清楚"})]),
    ("reject quote 103 - 12% is too deep", [("reject_quote", {"quote_id": 103, "comment": "12% is too deep"})]),
    ("104 reject掉，price太低了", [("reject_quote", {"quote_id": 104, "comment": "price太低了"})]),
    ("102、104两个报价都批了", [("approve_quote", {"quote_id": 102}), ("approve_quote", {"quote_id": 104})]),
    ("approve both 101 and 103", [("approve_quote", {"quote_id": 101}), ("approve_quote", {"quote_id": 103})]),
    ("102批了，104驳回，折扣再收一收", [("approve_quote", {"quote_id": 102}),
                                     ("reject_quote", {"quote_id": 104, "comment": "折扣再收一收"})]),
    ("approve 101, reject 103 - max 8% discount", [("approve_quote", {"quote_id": 101}),
                                                  ("reject_quote", {"quote_id": 103, "comment": "max 8% discount"})]),
    ("青松的报价先驳回，价格再往上抬一点", [("reject_quote", {"account": "青松制药", "comment": "价格再往上抬一点"})]),
    ("Acme quote is approved", [("approve_quote", {"account": "Acme Corporation"})]),
    ("approve the Initech quote but cap discounts at 10%", [("approve_quote", {"account": "Initech", "comment": "cap discounts at 10%"})]),
    ("蓝鲸那边的报价先别批，等我跟小王聊完", [("reject_quote", {"account": "蓝鲸数据", "comment": "等我跟小王聊完"})]),
])
def test_decisions(calls, text, expected):
    assert [(c["name"], c["args"]) for c in calls(text, user=3)] == expected


@pytest.mark.parametrize("text", ["预算批下来了，可以谈价格了", "方案通过了，进入商务谈判", "lol ok", "他们同意先试用一个月"])
def test_approving_words_without_a_quote_decide_nothing(calls, text):
    assert all(c["name"] not in ("approve_quote", "reject_quote") for c in calls(text, user=3))


def test_a_bare_number_in_a_later_sentence_after_a_quote_id(calls):
    out = calls("Q-101 looks good, approved. 103 needs another pass - reject for now", user=5)
    assert [(c["name"], c["args"]["quote_id"]) for c in out] == [("approve_quote", 101), ("reject_quote", 103)]


def test_a_one_word_approval(calls):
    assert calls("青松那个报价我看了，可以，批", user=3) == [{"name": "approve_quote", "args": {"account": "青松制药"}}]


def test_a_quote_named_by_its_amount_is_decided(calls):
    assert calls("北辰那个一百二十万的报价驳回，让小王重新报", user=3) == [
        {"name": "reject_quote", "args": {"account": "北辰汽车", "comment": "让小王重新报"}}]


def test_a_request_asked_as_a_question_then_its_figures(calls):
    (quote,) = calls("can you raise a quote for Globex? 250k, 12% off, note: includes onboarding", user=4)
    assert quote["args"] == {"account": "Globex Industries", "amount": 250000,
                             "discount_pct": 12, "note": "includes onboarding"}


def test_a_product_named_by_its_phase(calls):
    (quote,) = calls("quote for Acme: $180k, 15% off, fleet analytics phase 2", user=4)
    assert quote["args"]["product"] == "fleet analytics phase 2"
