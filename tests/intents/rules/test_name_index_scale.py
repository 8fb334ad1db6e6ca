"""intents/rules/mentions.py at scale: a near-linear build and an incremental re-index that gives
exactly what a build from nothing gives. Speed itself is measured by `make bench`, not here."""
import sys
from pathlib import Path

import pytest

from intents.rules.mentions import NameIndex, index_for
from intents.rules.text import prepare
from storage.names import Directory, Entry

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from synthetic_crm import synthetic_directory  # noqa: E402


def _same(a: NameIndex, b: NameIndex) -> None:
    assert a._forms.keys() == b._forms.keys()
    for key, form in b._forms.items():
        other = a._forms[key]
        assert (other.exact, {e.id for e in other.entries}) == (form.exact, {e.id for e in form.entries}), key
    assert {k: [(f.key, f.kind) for f in v] for k, v in a._by_first.items()} == \
        {k: [(f.key, f.kind) for f in v] for k, v in b._by_first.items()}


@pytest.fixture(scope="module")
def big(directory):
    return synthetic_directory(directory, accounts=600, contacts=1500, seed=5)


def _with(d: Directory, **changes) -> Directory:
    fields = {"accounts": d.accounts, "contacts": d.contacts, "users": d.users, "opportunities": d.opportunities}
    fields.update(changes)
    return Directory(**fields)


@pytest.mark.parametrize("change", ["add contact", "remove contact", "rename account", "add alias", "remove account"])
def test_an_incremental_reindex_equals_a_full_build(big, change):
    base = NameIndex(big)
    first = big.accounts[-1]
    if change == "add contact":
        after = _with(big, contacts=big.contacts + [Entry("contact", 10**8, "王小新", account_id=first.id)])
    elif change == "remove contact":
        after = _with(big, contacts=[c for c in big.contacts if c.id != big.contacts[-1].id])
    elif change == "rename account":
        after = _with(big, accounts=big.accounts[:-1] + [Entry("account", first.id, "新名字科技", owner_id=first.owner_id)])
    elif change == "add alias":
        after = _with(big, accounts=big.accounts[:-1] + [Entry("account", first.id, first.name, ("小名",), owner_id=first.owner_id)])
    else:
        after = _with(big, accounts=big.accounts[:-1], contacts=[c for c in big.contacts if c.account_id != first.id])
    _same(NameIndex(after, base=base), NameIndex(after))
    assert base._forms == NameIndex(big)._forms  # the earlier index was not touched


def test_contacts_sharing_a_surname_share_one_bucket_for_every_title(big):
    index = NameIndex(big)
    wang = {e.id for e in big.contacts if e.name.startswith("王") and 2 <= len(e.name) <= 3}
    for key in ("王总", "王经理", "老王", "小王"):
        form = index._forms[(key, "contact")]
        assert {e.id for e in form.entries} >= wang and not form.exact


def test_a_changed_directory_is_reindexed_from_the_last_index(directory):
    first = index_for(directory)
    grown = _with(directory, contacts=directory.contacts + [Entry("contact", 10**8, "钱多多", account_id=directory.accounts[0].id)])
    second = index_for(grown)
    assert second is not first and index_for(grown) is second
    found = second.scan(prepare("今天见了钱多多"))
    assert [(m.kind, m.text) for m in found] == [("contact", "钱多多")]


def test_the_open_deals_of_an_account_are_indexed(directory):
    index = index_for(directory)
    for account in directory.accounts:
        assert index.deals_of(account.id) == [d for d in directory.opportunities if d.account_id == account.id]
