"""rename_account: the new name is the customer's, the old one stays an alias (notes that still use
it find the customer), a name another customer has is refused (merge instead), and only someone
who may act on the customer can rename it."""
from __future__ import annotations

import pytest

from storage.models import Account
from tools.base import ToolError, get_tool


def test_the_old_name_stays_an_alias_so_notes_that_use_it_still_find_the_customer(runner):
    result = runner.run(1, "rename_account", account="蓝鲸数据", new_name="蓝鲸科技")
    assert result.data["changes"]["name"] == {"before": "蓝鲸数据", "after": "蓝鲸科技"}
    [account] = runner.all(Account, Account.name == "蓝鲸科技")
    assert "蓝鲸数据" in account.aliases
    visit = runner.run(1, "log_visit", account="蓝鲸数据", summary="电话")
    assert visit.data["account"]["id"] == account.id and not visit.data["created_account"]


def test_a_name_another_customer_has_is_refused(runner):
    with pytest.raises(ToolError) as refused:
        runner.run(1, "rename_account", account="蓝鲸数据", new_name="青松制药")
    assert refused.value.code == "account_name_taken"
    assert runner.all(Account, Account.name == "蓝鲸数据")


def test_the_same_name_changes_nothing(runner):
    with pytest.raises(ToolError) as refused:
        runner.run(1, "rename_account", account="蓝鲸数据", new_name="蓝鲸数据")
    assert refused.value.code == "account_already_named"


def test_a_teammates_customer_cannot_be_renamed_by_a_rep(runner):
    with pytest.raises(ToolError) as refused:
        runner.run(2, "rename_account", account="蓝鲸数据", new_name="蓝鲸科技")
    assert refused.value.code in ("not_your_account", "account_not_found", "unknown_account")
    assert not runner.all(Account, Account.name == "蓝鲸科技")
