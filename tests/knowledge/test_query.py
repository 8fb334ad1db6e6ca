from knowledge.query import OVERCOME, intent


def test_one_named_outcome_is_wanted_in_either_language():
    assert intent("deals we lost to Salesforce").outcomes == {"lost"}
    assert intent("客户最后选了别家厂商，我们输了").outcomes == {"lost"}
    assert intent("做了POC并且拿下的项目").outcomes == {"won"}
    assert intent("软件行业还在跟进中的商机").outcomes == {"open"}


def test_negated_or_mixed_outcomes_want_none():
    assert intent("deals we didn't win").outcomes == frozenset()
    assert intent("赢单和输单的区别").outcomes == frozenset()
    assert intent("Initech deal history").outcomes == frozenset()


def test_overcoming_an_obstacle_wants_deals_that_went_on():
    assert intent("how we got through the security review").outcomes == OVERCOME
    assert intent("价格异议是怎么解决的").outcomes == OVERCOME
    assert intent("安全评估没通过").outcomes == frozenset()


def test_industries_are_named_in_both_languages_and_regions_by_alias():
    assert intent("software companies we won").industries == {"software", "软件"}
    assert intent("零售门店巡检").industries == {"零售", "retail"}
    wanted = intent("European customers we won")
    assert wanted.agreement({"outcome": "won", "region": "EU", "industry": ""}) == 2
    assert wanted.agreement({"outcome": "lost", "region": "US-West", "industry": ""}) == 0
    assert intent("深圳客户的成交案例").agreement({"outcome": "won", "region": "深圳", "industry": "软件"}) == 2
