"""Generated hostile text through the real loop and rules engine: lone surrogates, control and
bidi characters, NUL, mixed scripts and 100k-character notes always get a clear reply, never the
apology of an internal error, and whatever is saved is valid UTF-8."""
from __future__ import annotations

import logging
import random

import pytest
from sqlmodel import select

from bot.identity import link
from bot.loop import ConversationLoop
from bot.messages import IncomingMessage
from storage.db import session_scope
from storage.models import Draft
from tests.bot.telegram.conftest import make_app

NASTY = (["\ud800", "\udbff", "\udc00", "\udfff", "\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9f", "\u200b",
          "\u200f", "\u202e", "\u2066", "\u2069", "\ufeff", "\ufffd", "\n", "\t", "\r"]
         + ["\U0001F600", "\u0301", "ع", "ש", "\u0600"])
WORDS = ["今天拜访了蓝鲸李总", "进入谈判", "金额80万", "下周三跟进", "met John at Acme", "提醒我明天给青松回电话",
         "ok", "1", "取消", "蓝鲸", "مرحبا", "שלום", "   ", "。。。", "$$$", "🙂"]


def hostile_texts(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 8)):
            parts.append(rng.choice(WORDS) if rng.random() < 0.5
                         else "".join(rng.choice(NASTY) for _ in range(rng.randint(1, 4))))
        texts.append("".join(parts))
    texts += ["\ud800" * 50, "蓝鲸" + "\u202e" * 1000, "x" * 100_000, "今天拜访了蓝鲸" + "\ud83d" * 99_990,
              "".join(chr(c) for c in range(0, 0x300)), "\x00" * 10]
    return texts


@pytest.fixture
def real_loop(crm, clock):
    app = make_app(crm, clock)
    with session_scope(crm) as session:
        link(1, "fuzz", "u1", chat_id="c1", session=session, now=clock())
    return ConversationLoop(app)


def test_hostile_text_always_gets_a_clear_reply(real_loop, crm, caplog):
    caplog.set_level(logging.ERROR, logger="salesbot.loop")
    for i, text in enumerate(hostile_texts(seed=17, n=120)):
        outcome = real_loop.handle_sync(IncomingMessage(platform="fuzz", chat_id="c1", external_user_id="u1",
                                                        message_id=f"m{i}", text=text))
        assert outcome.replies, ascii(text[:80])
        for reply in outcome.replies:
            reply.text.encode("utf-8")
            assert "错误编号" not in reply.text, ascii(text[:80])
    assert not caplog.records
    with session_scope(crm) as session:
        for draft in session.exec(select(Draft)).all():
            (draft.source_text or "").encode("utf-8")
