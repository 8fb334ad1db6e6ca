"""A card's calls share one tool context, which reads the name directory once: again only after
a write to a row that carries a name, so a name created by one call is found by the next."""
from __future__ import annotations

from sqlmodel import select

from storage.models import Account
from tools.base import get_tool
from tools.resolve import seed_names


def test_a_note_with_a_visit_and_a_deal_move_reads_the_names_once(runner, directory_reads):
    with runner.session() as session:
        ctx = runner.context(session, 1)
        get_tool("log_visit").run(ctx, {"account": "蓝鲸", "contacts": ["李总"], "summary": "聊扩容"})
        get_tool("create_reminder").run(ctx, {"due_at": "2026-12-02T10:00", "text": "跟进", "account": "蓝鲸"})
        get_tool("update_opportunity").run(ctx, {"account": "蓝鲸", "stage": "negotiation", "amount": 800000})
        assert len(directory_reads) == 1  # a visit and a reminder name nothing new
        get_tool("update_opportunity").run(ctx, {"account": "蓝鲸", "amount": 820000})
    assert len(directory_reads) == 2  # a deal that changed may have left the open deals' names


def test_an_account_created_by_one_call_is_found_by_the_next_not_created_twice(runner, directory_reads):
    with runner.session() as session:
        ctx = runner.context(session, 1)
        get_tool("log_visit").run(ctx, {"account": "星河科技", "summary": "初次拜访"})
        get_tool("log_visit").run(ctx, {"account": "星河科技", "contacts": ["周总"], "summary": "再谈"})
        assert ctx.name_writes == 2  # the account, then the contact
    assert len(runner.all(Account, Account.name == "星河科技")) == 1
    assert len(directory_reads) <= 1 + ctx.name_writes  # read again only after a name was written


def test_a_write_the_context_did_not_make_is_seen_through_the_fingerprint(runner, directory_reads):
    with runner.session() as session:
        ctx = runner.context(session, 1)
        get_tool("log_visit").run(ctx, {"account": "蓝鲸", "summary": "聊扩容"})
        owner = session.exec(select(Account).where(Account.name.like("蓝鲸%"))).first().owner_id
        session.add(Account(name="白鹭物流", owner_id=owner, created_at=ctx.clock(), updated_at=ctx.clock()))
        session.flush()
        found = get_tool("log_visit").run(ctx, {"account": "白鹭物流", "summary": "电话"})
    assert found.data["account"]["name"] == "白鹭物流"
    assert len(runner.all(Account, Account.name == "白鹭物流")) == 1
    assert len(directory_reads) == 2


def test_names_seeded_by_the_caller_are_used_only_while_the_fingerprint_matches(runner, directory_reads):
    from storage.names import directory_fingerprint, load_directory

    with runner.session() as session:
        held = load_directory(session=session)
        ctx = runner.context(session, 1)
        seed_names(ctx, directory_fingerprint(session=session), held)
        get_tool("log_visit").run(ctx, {"account": "蓝鲸", "summary": "聊扩容"})
        assert directory_reads == []  # the seeded names were current

        stale = runner.context(session, 1)
        seed_names(stale, ("an older fingerprint",), held)
        get_tool("log_visit").run(stale, {"account": "蓝鲸", "summary": "电话"})
        assert len(directory_reads) == 1  # read afresh
