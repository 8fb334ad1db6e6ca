from datetime import date, timedelta

from storage.db import session_scope
from storage.models import Account, Contact, Opportunity, Reminder, ReminderStatus
from storage.repos.accounts import contacts_by_id, contacts_of, live_accounts
from storage.repos.common import save
from storage.repos.deals import deals_of_accounts, deals_owned_by, stage_history
from storage.repos.quotes import pending_quotes, quotes_of_deals
from storage.repos.reminders import pending_reminders
from storage.repos.users import active_admins, direct_report_ids, users_by_id
from storage.repos.visits import contact_ids_of_visits, visits_by_reps, visits_of_accounts


def test_accounts_exclude_merged_ones_and_filter_by_owner(crm, clock):
    with session_scope(crm) as session:
        dup = save(Account(name="蓝鲸数据科技", owner_id=1, merged_into_id=1), session=session)
        mine = [a.id for a in live_accounts(session=session, owner_ids=[1])]
        assert mine == [1, 3, 6, 9] and dup.id not in mine
        assert len(live_accounts(session=session)) == 20
        assert live_accounts(session=session, owner_ids=[]) == []
        assert [c.name for c in contacts_of([1], session=session)] == ["李明", "陈静"]
        assert contacts_of([], session=session) == []
        assert set(contacts_by_id({1, 2}, session=session)) == {1, 2}


def test_deals_newest_update_first_and_open_only(crm, clock):
    with session_scope(crm) as session:
        session.get(Opportunity, 1).updated_at = clock() - timedelta(days=9)
        save(Opportunity(account_id=1, name="二期", owner_id=1, stage="prospect",
                         created_at=clock(), updated_at=clock()), session=session)
        save(Opportunity(account_id=1, name="已丢", owner_id=1, stage="lost",
                         created_at=clock(), updated_at=clock() + timedelta(hours=1)), session=session)
        assert [d.name for d in deals_of_accounts([1], session=session)] == ["已丢", "二期", "数据平台扩容"]
        assert [d.name for d in deals_of_accounts([1], session=session, open_only=True)] == ["二期", "数据平台扩容"]
        assert {d.id for d in deals_owned_by([4], session=session)} == {4, 5, 8}
        assert len(deals_owned_by(None, session=session)) == 10


def test_stage_history_groups_per_deal_oldest_first(crm):
    with session_scope(crm) as session:
        history = stage_history([7, 8, 1], session=session)
        assert set(history) == {7, 8}  # the fixture records history only for closed deals
        assert [c.to_stage for c in history[7]] == ["won"]
        assert stage_history([], session=session) == {}


def test_visits_by_account_range_and_people_met(crm):
    with session_scope(crm) as session:
        visits = visits_of_accounts([7], session=session)
        assert [v.occurred_on for v in visits] == [date(2026, 9, 5), date(2026, 8, 12)]
        september = visits_of_accounts([7, 16], session=session, start=date(2026, 9, 1), end=date(2026, 9, 22))
        assert [v.id for v in september] == [2]
        assert [v.id for v in visits_of_accounts([7], session=session, limit=1)] == [2]
        assert {v.id for v in visits_by_reps([2], session=session)} == {1, 2}
        met = contact_ids_of_visits([1, 3], session=session)
        names = {visit: [session.get(Contact, c).name for c in people] for visit, people in met.items()}
        assert names == {1: ["冯雪"], 3: ["Nancy Davolio"]}


def test_quotes_users_and_reminders(crm, clock):
    with session_scope(crm) as session:
        assert sorted(q.id for q in pending_quotes(session=session)) == [101, 102, 103, 104]
        assert [q.id for q in pending_quotes(session=session, account_ids=[12])] == [101]
        assert [q.id for q in quotes_of_deals([1, 2], session=session)] == [102, 104]
        assert direct_report_ids(3, session=session) == {1, 2, 6}
        assert set(users_by_id([1, None, 5], session=session)) == {1, 5}
        assert active_admins(session=session) == []
        now = clock()
        session.add_all([
            Reminder(user_id=1, text="a", due_at=now + timedelta(hours=1), created_at=now),
            Reminder(user_id=1, text="b", due_at=now + timedelta(days=2), created_at=now),
            Reminder(user_id=1, text="done", due_at=now + timedelta(hours=2), created_at=now,
                     status=ReminderStatus.done),
            Reminder(user_id=2, text="c", due_at=now + timedelta(hours=3), created_at=now, account_id=1),
        ])
        session.flush()
        assert [r.text for r in pending_reminders(session=session, user_ids=[1])] == ["a", "b"]
        assert [r.text for r in pending_reminders(session=session, start=now, end=now + timedelta(days=1))] == ["a", "c"]
        assert [r.text for r in pending_reminders(session=session, account_ids=[1])] == ["c"]
