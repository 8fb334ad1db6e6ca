from knowledge.tokenize import tokens


def test_chinese_is_cut_by_jieba_with_the_short_words_of_compounds():
    words = tokens("销售数据平台一期")
    assert {"销售", "数据", "平台"} <= set(words)


def test_latin_runs_inside_chinese_are_split_off_and_lowered():
    assert tokens("POC启动")[:2] == ["poc", "启动"]
    assert "erp" in tokens("和自研ERP对接")


def test_a_negation_binds_to_the_next_word():
    assert "没通过" in tokens("安全评估没通过") and "通过" not in tokens("安全评估没通过")
    assert "通过" in tokens("安全评估通过了")


def test_ways_of_saying_won_and_lost_become_one_word():
    assert "赢单" in tokens("最后拿下了") and "输单" in tokens("这单丢掉了")
    assert tokens("we lose deals") == ["lost", "deal"]


def test_stop_words_go_and_it_stays():
    assert tokens("the IT team of 我们的客户") == ["it", "team", "客户"]
