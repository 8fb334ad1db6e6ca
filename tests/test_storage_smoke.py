from sqlmodel import select

from storage.db import session_scope
from storage.models import Account, Opportunity, Quote, User


def test_fixture_loads_on_both_backends(crm):
    with session_scope(crm) as s:
        assert len(s.exec(select(User)).all()) == 6
        assert s.get(Account, 1).name == "蓝鲸数据"
        assert s.get(Quote, 102).requested_by == 1
        opp = s.get(Opportunity, 1)
        assert str(opp.amount) == "800000.00"
