import pytest

from intents.rules.mentions import fuzzy_accounts, index_for, unknown_accounts
from intents.rules.text import prepare
from storage.names import Directory, Entry


def found(directory, text, kind=None):
    msg = prepare(text)
    return [(m.kind, m.text, [e.name for e in m.entries], m.exact)
            for m in index_for(directory).scan(msg) if kind is None or m.kind == kind]


@pytest.mark.parametrize("text, written, canonical", [
    ("今天去蓝鲸拜访", "蓝鲸", "蓝鲸数据"), ("蓝鲸数据的陈经理", "蓝鲸数据", "蓝鲸数据"), ("Bluewhale's CTO", "Bluewhale", "蓝鲸数据"),
    ("visited ACME today", "ACME", "Acme Corporation"), ("Acme Corp. signed", "Acme Corp", "Acme Corporation"),
    ("call with Contoso Insurance", "Contoso Insurance", "Contoso Insurance"), ("Contoso wants a quote", "Contoso", "Contoso Bank"),
])
def test_canonical_names_and_aliases(directory, text, written, canonical):
    (hit,) = found(directory, text, "account")
    assert hit[1] == written and hit[2] == [canonical] and hit[3]


@pytest.mark.parametrize("text, canonical", [
    ("蓝鲸科技有限公司的李总", "蓝鲸数据"), ("Initech Inc. renewal", "Initech"), ("Globex Corp called", "Globex Industries"),
])
def test_legal_suffixes_do_not_hide_a_name(directory, text, canonical):
    assert found(directory, text, "account")[0][2] == [canonical]


def test_contacts_and_users_with_their_aliases(directory):
    assert [h[2] for h in found(directory, "李总和陈经理都在", "contact")] == [["李明"], ["陈静"]]
    assert found(directory, "Dr. Marcus from Umbrella", "contact")[0][2] == ["Alice Marcus"]
    assert [h[2] for h in found(directory, "老刘的客户转给娜娜", "user")] == [["刘洋"], ["李娜"]]


def test_a_surname_with_another_title_is_a_derived_form(directory):
    ((_, text, names, exact),) = found(directory, "蓝鲸陈总说", "contact")
    assert (text, names, exact) == ("陈总", ["陈静"], False)


def test_names_inside_other_words_are_not_names(directory):
    assert found(directory, "如何总结这个季度") == []
    assert found(directory, "说明远程部署的方案") == []
    assert found(directory, "pay the bill today", "contact") == []
    assert found(directory, "Bill called", "contact")[0][2] == ["Bill Lumbergh"]


def test_an_ambiguous_form_keeps_every_candidate():
    d = Directory(accounts=[Entry("account", 1, "华为技术有限公司"), Entry("account", 2, "华为软件"),
                            Entry("account", 3, "Contoso Bank"), Entry("account", 4, "Contoso Insurance")])
    (hua,) = found(d, "今天拜访了华为")
    assert sorted(hua[2]) == ["华为技术有限公司", "华为软件"] and not hua[3]
    (contoso,) = found(d, "met the Contoso team")
    assert sorted(contoso[2]) == ["Contoso Bank", "Contoso Insurance"]


@pytest.mark.parametrize("text, name", [
    ("新线索：东方医药，苏州的", "东方医药"), ("新客户远航船舶，今天第一次上门", "远航船舶"), ("new lead: Stark Logistics, inbound", "Stark Logistics"),
    ("new prospect - Wayne Enterprises in Chicago", "Wayne Enterprises"), ("今天拜访了东方医药的刘总", "东方医药"),
    ("visited Stark Logistics yesterday", "Stark Logistics"),
])
def test_accounts_the_crm_does_not_know_are_kept_as_written(directory, text, name):
    msg = prepare(text)
    (hit,) = unknown_accounts(msg, index_for(directory).scan(msg))
    assert hit.text == name and hit.unknown and hit.name == name


def test_misspelt_english_names(directory):
    msg = prepare("met with the Globx team")
    (hit,) = fuzzy_accounts(msg, index_for(directory), [])
    assert hit.entry.name == "Globex Industries" and not hit.exact


def test_the_index_is_built_once_per_directory(directory):
    first = index_for(directory)
    assert index_for(directory) is first
    other = Directory(accounts=[Entry("account", 1, "蓝鲸数据", ("蓝鲸",))])
    assert index_for(other) is not first
    big = Directory(accounts=[Entry("account", i, f"客户{i:04d}科技") for i in range(2000)])
    found = [m for m in index_for(big).scan(prepare("今天拜访了客户0042科技的王总")) if m.kind == "account"]
    assert [m.entry.id for m in found if m.entry is not None] == [42]
