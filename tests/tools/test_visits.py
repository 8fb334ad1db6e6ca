from datetime import date, datetime, timezone

import pytest

from storage.models import Account, AuditLog, Contact, Visit, VisitContact
from tools.base import ToolError


def test_log_visit_writes_visit_contacts_and_links_the_open_deal(runner):
    result = runner.run(1, "log_visit", account="蓝鲸", contacts=["李总", "王芳"], channel="onsite",
                        occurred_on="2026-11-24", summary="聊了扩容方案", next_step="下周发报价")

    visit = runner.all(Visit, Visit.id == result.data["visit_id"])[0]
    assert (visit.account_id, visit.opportunity_id, visit.rep_id) == (1, 1, 1)
    assert (visit.occurred_on, visit.channel) == (date(2026, 11, 24), "onsite")
    assert (visit.summary, visit.next_step) == ("聊了扩容方案", "下周发报价")
    new_contact = runner.all(Contact, Contact.account_id == 1, Contact.name == "王芳")[0]
    met = {vc.contact_id for vc in runner.all(VisitContact, VisitContact.visit_id == visit.id)}
    assert met == {1, new_contact.id}  # 李总 is 李明's alias
    assert result.data["created_account"] is False
    assert result.data["created_contacts"] == ["王芳"]
    assert result.data["opportunity"] == {"id": 1, "name": "数据平台扩容", "stage": "evaluation"}
    assert [c["name"] for c in result.data["contacts"]] == ["李明", "王芳"]


def test_unknown_account_is_created_for_the_rep_and_flagged(runner, clock):
    result = runner.run(1, "log_visit", account="星河科技", contacts=["张三"], channel="phone")

    account = runner.all(Account, Account.name == "星河科技")[0]
    assert account.owner_id == 1 and account.created_at == clock()
    assert result.data["created_account"] is True
    assert result.data["account"] == {"id": account.id, "name": "星河科技"}
    assert runner.all(Contact, Contact.account_id == account.id)[0].name == "张三"
    visit = runner.all(Visit, Visit.account_id == account.id)[0]
    assert visit.opportunity_id is None and visit.occurred_on == date(2026, 11, 25)
    created = {(a.entity, a.action) for a in runner.audits(AuditLog.action == "create")}
    assert {("account", "create"), ("contact", "create"), ("visit", "create")} <= created


def test_the_same_person_named_twice_is_met_once(runner):
    result = runner.run(1, "log_visit", account="蓝鲸数据", contacts=["李明", "李总"])
    assert len(runner.all(VisitContact, VisitContact.visit_id == result.data["visit_id"])) == 1


def test_default_day_is_today_in_the_users_timezone(runner, clock):
    clock.current = datetime(2026, 11, 25, 17, 30, tzinfo=timezone.utc)  # 01:30 on the 26th in Shanghai
    result = runner.run(1, "log_visit", account="蓝鲸")
    assert result.data["occurred_on"] == "2026-11-26"


def test_a_manager_logs_on_a_team_members_account(runner):
    result = runner.run(3, "log_visit", account="蓝鲸", summary="陪访")
    visit = runner.all(Visit, Visit.id == result.data["visit_id"])[0]
    assert visit.rep_id == 3 and visit.account_id == 1


def test_source_message_is_kept_on_visit_and_audit(runner):
    with runner.session() as session:
        from tools.base import get_tool

        ctx = runner.context(session, 1, source="今天拜访了蓝鲸")
        result = get_tool("log_visit").run(ctx, {"account": "蓝鲸"})
    visit = runner.all(Visit, Visit.id == result.data["visit_id"])[0]
    assert visit.source_text == "今天拜访了蓝鲸"
    assert runner.audits(AuditLog.entity == "visit")[-1].source_message == "今天拜访了蓝鲸"


@pytest.mark.parametrize("args, code", [
    ({"account": "蓝鲸", "occurred_on": "2026-11-26"}, "visit_in_future"),
    ({"account": "Acme", "contacts": ["Someone New"]}, "account_not_in_reach"),
    ({"account": "金桥物流", "contacts": ["Someone New"]}, "not_your_account"),
    ({"account": "蓝", "contacts": ["新人"]}, "ambiguous_account"),
])
def test_refused_visits_write_nothing(runner, args, code):
    before = runner.counts()
    with pytest.raises(ToolError) as err:
        runner.run(1, "log_visit", **args)
    assert err.value.code == code
    assert runner.counts() == before
