"""`/web` in chat: a one-time sign-in link for the console, never in a group."""
from __future__ import annotations

import re

from storage.db import session_scope
from storage.repos.web_access import redeem_signin_link
from tests.bot.conftest import message


def _link(text: str) -> str:
    match = re.search(r"(http://\S+/web/signin/(\S+))", text)
    assert match, text
    return match.group(2)


def test_web_in_a_private_chat_gives_a_link_that_signs_the_sender_in_once(loop, app, clock):
    reply = loop.handle_sync(message(3, "/web")).replies[0].text
    assert "10 分钟" in reply and reply.count("http://127.0.0.1:8080/web/signin/") == 1
    secret = _link(reply)
    with session_scope(app.db) as session:
        assert redeem_signin_link(secret, session=session, now=clock()).id == 3
    with session_scope(app.db) as session:
        assert redeem_signin_link(secret, session=session, now=clock()) is None


def test_the_link_expires_after_ten_minutes(loop, app, clock):
    secret = _link(loop.handle_sync(message(4, "/web")).replies[0].text)
    clock.advance(minutes=10, seconds=1)
    with session_scope(app.db) as session:
        assert redeem_signin_link(secret, session=session, now=clock()) is None


def test_web_in_a_group_is_refused_without_a_link(loop):
    reply = loop.handle_sync(message(4, "/web", is_group=True, chat_id="group1")).replies[0].text
    assert "private chat" in reply and "http" not in reply


def test_web_in_english_for_an_english_user(loop):
    reply = loop.handle_sync(message(4, "/web")).replies[0].text
    assert reply.startswith("🔗 Your console sign-in link (valid 10 minutes, one use)")
