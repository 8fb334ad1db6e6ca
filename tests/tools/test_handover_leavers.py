"""A rep who left (deactivated) is exactly whose accounts get handed over."""
from __future__ import annotations

import pytest

from storage.models import Account, AuditLog, User
from tools.base import ToolError


def deactivate(runner, user_id: int) -> None:
    with runner.session() as session:
        user = session.get(User, user_id)
        user.active = False
        session.add(user)


def test_a_deactivated_rep_can_be_handed_over_from(runner):
    deactivate(runner, 1)
    result = runner.run(3, "reassign_accounts", from_user="王磊", to_user="李娜")
    assert result.data["from_user"] == {"id": 1, "name": "王磊"}
    assert {a.id for a in runner.all(Account, Account.owner_id == 2)} >= {1, 3, 6, 9}
    assert runner.audits(AuditLog.action == "reassign", AuditLog.entity == "account")


def test_nobody_hands_over_to_a_deactivated_user(runner):
    deactivate(runner, 2)
    with pytest.raises(ToolError) as err:
        runner.run(3, "reassign_accounts", from_user="王磊", to_user="李娜")
    assert err.value.code == "unknown_user"


def test_an_active_user_wins_over_a_deactivated_namesake(runner):
    with runner.session() as session:
        session.add(User(id=50, name="王磊", role="rep", manager_id=3, active=False))
    result = runner.run(3, "reassign_accounts", from_user="王磊", to_user="李娜", account="青松")
    assert result.data["from_user"]["id"] == 1
