import pytest


@pytest.mark.parametrize("text, user, expected", [
    ("老刘月底离职，他手上的客户全部转给娜娜", 3, [{"from_user": "刘洋", "to_user": "李娜"}]),
    ("把小王的青松制药交给老刘", 3, [{"from_user": "王磊", "to_user": "刘洋", "account": "青松制药"}]),
    ("娜娜下周开始休产假，她的华康医疗和瑞丰食品先交给老刘", 3, [
        {"from_user": "李娜", "to_user": "刘洋", "account": "华康医疗"}, {"from_user": "李娜", "to_user": "刘洋", "account": "瑞丰食品"}]),
    ("move Tailspin Airlines from Alice to 刘洋, he speaks the language", 5,
     [{"from_user": "Alice Chen", "to_user": "刘洋", "account": "Tailspin Airlines"}]),
    ("Move Tailspin from Alice to me", 5, [{"from_user": "Alice Chen", "to_user": "Bob Smith", "account": "Tailspin Airlines"}]),
    ("hand over all of Alice's accounts to 王磊", 5, [{"from_user": "Alice Chen", "to_user": "王磊"}]),
    ("把天衡能源交给老刘", 3, [{"from_user": "王磊", "to_user": "刘洋", "account": "天衡能源"}]),  # the owner gives
    ("我的客户先都转给娜娜", 1, [{"from_user": "王磊", "to_user": "李娜"}]),
    ("娜娜离职了，她的金桥物流转给小王，华康医疗转给老刘", 3, [
        {"from_user": "李娜", "to_user": "王磊", "account": "金桥物流"}, {"from_user": "李娜", "to_user": "刘洋", "account": "华康医疗"}]),
])
def test_handovers(calls, text, user, expected):
    assert calls(text, user=user) == [{"name": "reassign_accounts", "args": a} for a in expected]


def test_a_handover_next_to_quote_decisions(calls):
    out = calls("103驳回，104批了，另外把小王的蓝鲸数据转给娜娜", user=3)
    assert [c["name"] for c in out] == ["reject_quote", "approve_quote", "reassign_accounts"]


@pytest.mark.parametrize("text", ["提醒我周五把方案交给小王", "把报价单发给李总", "把我的方案交给小王看看"])
def test_giving_things_to_people_is_not_a_handover(calls, text):
    assert all(c["name"] != "reassign_accounts" for c in calls(text, user=1))


def test_accounts_that_go_to_someone(calls):
    out = calls("Alice's Globex and Initech accounts go to Bob starting Monday", user=5)
    assert [(c["args"]["from_user"], c["args"]["to_user"], c["args"]["account"]) for c in out] == [
        ("Alice Chen", "Bob Smith", "Globex Industries"), ("Alice Chen", "Bob Smith", "Initech")]
    assert calls("娜娜的客户全部划到老刘名下", user=3) == [
        {"name": "reassign_accounts", "args": {"from_user": "李娜", "to_user": "刘洋"}}]
