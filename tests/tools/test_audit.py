"""Every write leaves an audit row for every row it creates or changes, stamped with the actor,
the injected clock, the source message and the draft."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import select

from storage.models import AuditLog, Draft
from tests.tools.conftest import ADMIN_ID
from tools.base import all_tools, get_tool

TABLE_ENTITY = {"account": "account", "contact": "contact", "opportunity": "opportunity",
                "stagechange": "stage_change", "visit": "visit", "quote": "quote", "reminder": "reminder"}

WRITES = [
    (1, "log_visit", {"account": "星河科技", "contacts": ["张三", "李四"], "summary": "初次拜访"}),
    (1, "update_opportunity", {"account": "蓝鲸", "stage": "won", "amount": 850000}),
    (1, "update_opportunity", {"account": "新客户甲", "opportunity": "试点", "stage": "evaluation"}),
    (1, "create_quote", {"account": "青松", "amount": 90000, "discount_pct": 5}),
    (3, "approve_quote", {"quote_id": 102}),
    (3, "reject_quote", {"account": "青松", "comment": "价格太低"}),
    (1, "create_reminder", {"due_at": "2026-11-30T09:00", "text": "跟进", "account": "北辰"}),
    (ADMIN_ID, "reassign_accounts", {"from_user": "王磊", "to_user": "刘洋"}),
    (1, "rename_opportunity", {"account": "蓝鲸", "new_name": "数据中台二期"}),
    (1, "rename_account", {"account": "蓝鲸", "new_name": "蓝鲸科技"}),
    (1, "complete_reminder", {"text": "跟进", "account": "北辰"}),
    (1, "delete_reminder", {"text": "跟进"}),
    (1, "move_reminder", {"text": "跟进", "new_day": "2026-12-01"}),
    (1, "create_lead", {"company": "远航物流", "contact": "刘经理", "phone": "13800001111", "source": "展会"}),
    (1, "update_lead", {"lead": "远航物流", "status": "contacted"}),
    (1, "convert_lead", {"lead": "远航物流"}),
]


def test_every_write_tool_is_exercised_here():
    assert {name for _, name, _ in WRITES} == {n for n, t in all_tools().items() if t.writes}


def ids(session, table: str) -> set[int]:
    return set(session.exec(sa.text(f'SELECT id FROM "{table}"')).scalars())


@pytest.mark.parametrize("actor, name, args", WRITES, ids=[f"{n}-{i}" for i, (_, n, _) in enumerate(WRITES)])
def test_write_leaves_an_audit_row_per_changed_row(runner, clock, actor, name, args):
    if name in ("complete_reminder", "delete_reminder", "move_reminder"):  # something to act on
        runner.run(actor, "create_reminder", due_at="2026-11-30T09:00", text="跟进", account="北辰")
    if name in ("update_lead", "convert_lead"):
        runner.run(actor, "create_lead", company="远航物流", contact="刘经理")
    with runner.session() as session:
        draft = Draft(user_id=actor, platform="test", chat_id="c", created_at=clock(), updated_at=clock())
        session.add(draft)
        session.flush()
        draft_id = draft.id
    with runner.session() as session:
        before = {t: ids(session, t) for t in TABLE_ENTITY}
        audit_before = ids(session, "auditlog")
        ctx = runner.context(session, actor, source="原话")
        ctx.draft_id = draft_id
        get_tool(name).run(ctx, args)
        session.flush()
        created = {TABLE_ENTITY[t]: ids(session, t) - before[t] for t in TABLE_ENTITY}
        entries = [a for a in session.exec(select(AuditLog)).all() if a.id not in audit_before]

    assert entries, f"{name} wrote no audit row"
    for entry in entries:
        assert (entry.actor_id, entry.at, entry.source_message, entry.draft_id) == (actor, clock(), "原话", draft_id)
    for entity, new_ids in created.items():
        audited = {e.entity_id for e in entries if e.entity == entity and e.action == "create"}
        assert audited == new_ids, entity
    changed = [e for e in entries if e.action != "create"]
    for entry in changed:
        assert entry.before is not None and entry.after is not None and entry.before != entry.after


def test_reads_write_nothing(runner):
    before = runner.counts()
    for name, args in [("list_reminders", {}), ("list_pending_approvals", {}), ("top_accounts", {}),
                       ("pipeline_report", {}), ("account_overview", {"account": "蓝鲸"}),
                       ("data_health", {}), ("suggest_next_steps", {"account": "蓝鲸"})]:
        assert not get_tool(name).writes
        runner.run(3, name, **args)
    assert runner.counts() == before
