"""Bad input gets a clear reply and writes nothing."""
from __future__ import annotations

import pytest
from sqlmodel import func, select

from storage.db import session_scope
from storage.models import AuditLog, Draft
from tests.bot.conftest import message


def writes(engine) -> tuple[int, int]:
    with session_scope(engine) as s:
        return (s.exec(select(func.count()).select_from(Draft)).one(),
                s.exec(select(func.count()).select_from(AuditLog)).one())


@pytest.mark.parametrize("text, expected", [
    ("", "空的"),
    ("   \n\t  ", "空的"),
    ("x" * 100_000, "太长"),
    ("\x00\x01\x02\x03\x04\x05\x06\x07" * 10, "可读"),
    ("😀😀👍🎉", "可读"),
    ("\ufffd\ufffd\ufffd\ufffdabc", "可读"),
])
def test_unusable_messages_get_a_clear_reply(loop, app, text, expected):
    before = writes(app.db)
    out = loop.handle_sync(message(1, text))
    assert expected in out.replies[0].text
    assert writes(app.db) == before


@pytest.mark.parametrize("text", [
    "'; DROP TABLE visit; --",
    "<script>alert(1)</script>",
    "Robert'); DELETE FROM account WHERE ('1'='1",
])
def test_sql_or_html_looking_text_is_just_text(loop, app, text):
    before = writes(app.db)
    out = loop.handle_sync(message(1, text))
    assert out.replies and "错误编号" not in out.replies[0].text
    assert writes(app.db)[1] == before[1]


def test_engine_values_that_tools_refuse_write_nothing(loop, app, engine_script):
    engine_script.add("坏报价", [{"name": "create_quote", "args": {"account": "蓝鲸数据", "amount": -5}}])
    engine_script.add("巨额", [{"name": "create_quote", "args": {"account": "蓝鲸数据", "amount": 10 ** 15}}])
    engine_script.add("过去", [{"name": "create_reminder", "args": {"due_at": "2026-11-20T09:00", "text": "回电话"}}])
    engine_script.add("没有的报价", [{"name": "approve_quote", "args": {"quote_id": 9999}}])
    engine_script.add("别队报价", [{"name": "approve_quote", "args": {"quote_id": 101}}])
    engine_script.add("自己的报价", [{"name": "approve_quote", "args": {"quote_id": 102}}])
    before = writes(app.db)
    for text, user in (("坏报价", 1), ("巨额", 1), ("过去", 1), ("没有的报价", 3), ("别队报价", 3),
                       ("自己的报价", 1)):
        out = loop.handle_sync(message(user, text))
        assert out.replies and not out.replies[-1].choices, text
    assert writes(app.db)[1] == before[1]
