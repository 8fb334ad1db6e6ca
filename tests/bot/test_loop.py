"""The conversation loop end to end: real database, real tools, a scripted engine."""
from __future__ import annotations

from prompts.ui import t

from sqlmodel import func, select

from bot.identity import create_invite
from bot.loop import ConversationLoop
from storage.db import session_scope
from storage.models import AuditLog, Draft, DraftStatus, Quote, Visit
from tests.bot.conftest import message

VISIT = [{"name": "log_visit", "args": {"account": "蓝鲸数据", "contacts": ["李明"], "occurred_on": "2026-11-25",
                                        "channel": "onsite", "summary": "聊了扩容方案"}}]


def count(engine, model) -> int:
    with session_scope(engine) as s:
        return s.exec(select(func.count()).select_from(model)).one()


def card_choice(reply, action: str) -> str:
    return next(c.id for c in reply.choices if c.id.endswith(":" + action))


def test_write_shows_card_and_writes_only_after_confirm(loop, app, engine_script):
    engine_script.add("拜访蓝鲸", VISIT)
    before = count(app.db, Visit)
    out = loop.handle_sync(message(1, "拜访蓝鲸"))
    card = out.replies[-1]
    assert [c.id.rsplit(":", 1)[1] for c in card.choices] == ["confirm", "edit", "cancel"]
    assert "蓝鲸数据" in card.text
    assert count(app.db, Visit) == before
    done = loop.handle_sync(message(1, choice=card_choice(card, "confirm")))
    assert done.replies[0].replaces_card
    assert count(app.db, Visit) == before + 1
    with session_scope(app.db) as s:
        visit = s.exec(select(Visit).order_by(Visit.id.desc())).first()
        assert visit.rep_id == 1 and visit.source_text == "拜访蓝鲸" and str(visit.occurred_on) == "2026-11-25"
        assert s.exec(select(AuditLog).where(AuditLog.entity == "visit", AuditLog.entity_id == visit.id)).first()


def test_typed_one_confirms_and_a_later_press_says_what_was_saved(loop, app, engine_script):
    engine_script.add("拜访蓝鲸", VISIT)
    card = loop.handle_sync(message(1, "拜访蓝鲸")).replies[-1]
    before = count(app.db, Visit)
    loop.handle_sync(message(1, "1"))
    assert count(app.db, Visit) == before + 1
    again = loop.handle_sync(message(1, choice=card_choice(card, "confirm")))
    assert again.replies[0].text.startswith(t("zh", "draft_already_saved")) and "蓝鲸数据" in again.replies[0].text
    assert count(app.db, Visit) == before + 1


def test_cancel_writes_nothing(loop, app, engine_script):
    engine_script.add("拜访蓝鲸", VISIT)
    card = loop.handle_sync(message(1, "拜访蓝鲸")).replies[-1]
    before = (count(app.db, Visit), count(app.db, AuditLog))
    out = loop.handle_sync(message(1, choice=card_choice(card, "cancel")))
    assert "没有写入" in out.replies[0].text
    assert (count(app.db, Visit), count(app.db, AuditLog)) == before


def test_someone_elses_press_changes_nothing(loop, app, engine_script):
    engine_script.add("拜访蓝鲸", VISIT)
    card = loop.handle_sync(message(1, "拜访蓝鲸")).replies[-1]
    before = count(app.db, Visit)
    out = loop.handle_sync(message(2, choice=card_choice(card, "confirm")))
    assert "不是你的" in out.replies[0].text
    forged = loop.handle_sync(message(1, choice="d:999999:confirm"))
    assert "过期" in forged.replies[0].text
    junk = loop.handle_sync(message(1, choice="rm -rf /"))
    assert junk.replies and count(app.db, Visit) == before
    with session_scope(app.db) as s:
        assert s.exec(select(Draft).order_by(Draft.id.desc())).first().status == DraftStatus.pending


def test_same_message_twice_is_handled_once(loop, app, engine_script):
    engine_script.add("拜访蓝鲸", VISIT)
    first = loop.handle_sync(message(1, "拜访蓝鲸", message_id="dup-1"))
    second = loop.handle_sync(message(1, "拜访蓝鲸", message_id="dup-1"))
    assert first.replies and not second.replies and second.duplicate
    assert count(app.db, Draft) == 1


def test_draft_survives_a_restart(app, engine_script):
    engine_script.add("拜访蓝鲸", VISIT)
    card = ConversationLoop(app).handle_sync(message(1, "拜访蓝鲸")).replies[-1]
    from bot.app import build_app

    fresh = build_app(app.settings, clock=app.clock, engine=engine_script, db=app.db, run_migrations=False)
    before = count(app.db, Visit)
    ConversationLoop(fresh).handle_sync(message(1, choice=card_choice(card, "confirm")))
    assert count(app.db, Visit) == before + 1


def test_edit_by_replying_changes_the_draft(loop, app, engine_script):
    engine_script.add("蓝鲸进入谈判", [{"name": "update_opportunity",
                                      "args": {"account": "蓝鲸数据", "stage": "negotiation"}}])
    card = loop.handle_sync(message(1, "蓝鲸进入谈判")).replies[-1]
    prompt = loop.handle_sync(message(1, choice=card_choice(card, "edit")))
    assert "回复" in prompt.replies[0].text
    edited = loop.handle_sync(message(1, "金额改成90万"))
    assert "900,000" in edited.replies[-1].text
    with session_scope(app.db) as s:
        draft = s.exec(select(Draft).order_by(Draft.id.desc())).first()
        assert draft.calls[0]["args"]["amount"] == 900000
        assert draft.calls[0]["args"]["stage"] == "negotiation"


def test_missing_amount_is_asked_and_the_answer_fills_the_draft(loop, app, engine_script):
    engine_script.add("给蓝鲸报个价", [{"name": "create_quote", "args": {"account": "蓝鲸数据"}}])
    ask = loop.handle_sync(message(1, "给蓝鲸报个价"))
    assert "金额" in ask.replies[-1].text
    retry = loop.handle_sync(message(1, "不知道"))
    assert "没听懂" in retry.replies[-1].text
    card = loop.handle_sync(message(1, "80万")).replies[-1]
    assert card.choices and "800,000" in card.text
    before = count(app.db, Quote)
    loop.handle_sync(message(1, "确认"))
    assert count(app.db, Quote) == before + 1


def test_ambiguous_account_asks_with_candidates(loop, app, engine_script):
    from intents.base import Parse, Question
    from tools.base import ToolCall

    engine_script.script["拜访蓝"] = Parse(
        calls=[ToolCall("log_visit", {"account": "蓝", "summary": "聊方案"})],
        questions=[Question("ambiguous", 0, "account", "蓝", ("蓝鲸数据", "蓝海数据"))], engine="scripted")
    ask = loop.handle_sync(message(1, "拜访蓝")).replies[-1]
    assert [c.label for c in ask.choices] == ["蓝鲸数据", "蓝海数据"]
    card = loop.handle_sync(message(1, choice=ask.choices[0].id)).replies[-1]
    assert "蓝鲸数据" in card.text and card.choices


def test_reads_answer_at_once_without_a_card(loop, engine_script):
    engine_script.add("待审批", [{"name": "list_pending_approvals", "args": {}}])
    out = loop.handle_sync(message(3, "待审批"))
    assert out.replies and not out.replies[0].choices
    assert "102" in out.replies[0].text


def test_quote_goes_to_the_manager_who_approves_and_the_rep_is_told(loop, app, engine_script):
    engine_script.add("报价", [{"name": "create_quote", "args": {"account": "青松制药", "amount": 500000,
                                                               "discount_pct": 10}}])
    card = loop.handle_sync(message(1, "报价")).replies[-1]
    done = loop.handle_sync(message(1, choice=card_choice(card, "confirm")))
    request = next(o for o in done.outgoing if o.chat_id == "chat3")
    approve = next(c.id for c in request.reply.choices if c.id.endswith(":approve"))
    decided = loop.handle_sync(message(3, choice=approve))
    assert decided.replies
    told = [o for o in decided.outgoing if o.chat_id == "chat1"]
    assert told
    quote_id = int(approve.split(":")[1])
    with session_scope(app.db) as s:
        quote = s.get(Quote, quote_id)
        assert quote.status == "approved" and quote.approver_id == 3 and quote.decided_at is not None


def test_reject_button_asks_for_a_reason(loop, app, engine_script):
    out = loop.handle_sync(message(3, choice="q:102:reject"))
    assert "原因" in out.replies[0].text
    loop.handle_sync(message(3, "折扣太大"))
    with session_scope(app.db) as s:
        quote = s.get(Quote, 102)
        assert quote.status == "rejected" and quote.comment == "折扣太大"


def test_a_rep_cannot_approve_by_button(loop, app):
    out = loop.handle_sync(message(2, choice="q:102:approve"))
    assert out.replies
    with session_scope(app.db) as s:
        assert s.get(Quote, 102).status == "pending"


def test_unexpected_error_gives_apology_with_id_and_writes_nothing(loop, app, engine_script):
    engine_script.script["boom"] = RuntimeError("engine exploded")
    before = count(app.db, Draft)
    out = loop.handle_sync(message(1, "boom"))
    assert "错误编号" in out.replies[0].text
    assert count(app.db, Draft) == before


def test_unlinked_user_is_refused_then_links_with_a_code(loop, app, clock):
    refused = loop.handle_sync(message("x", "你好", external_user_id="stranger"))
    assert "邀请码" in refused.replies[0].text
    with session_scope(app.db) as s:
        code = create_invite(2, session=s, now=clock())
    bad = loop.handle_sync(message("x", "/start WRONGCODE", external_user_id="stranger"))
    assert "无效" in bad.replies[0].text
    ok = loop.handle_sync(message("x", f"/start {code}", external_user_id="stranger"))
    assert "李娜" in ok.replies[0].text
    reused = loop.handle_sync(message("y", f"/start {code}", external_user_id="someone-else"))
    assert "无效" in reused.replies[0].text


def test_group_messages_need_a_mention(loop, engine_script):
    engine_script.add("拜访蓝鲸", VISIT)
    assert not loop.handle_sync(message(1, "拜访蓝鲸", is_group=True)).replies
    assert loop.handle_sync(message(1, "拜访蓝鲸", is_group=True, mentions_bot=True)).replies


def test_ambiguous_deal_found_by_the_tool_becomes_a_question(loop, app, engine_script):
    from storage.models import Opportunity

    with session_scope(app.db) as s:
        s.add(Opportunity(account_id=1, name="数据平台扩容二期", stage="evaluation", owner_id=1))
        s.add(Opportunity(account_id=1, name="数据平台扩容三期", stage="evaluation", owner_id=1))
    engine_script.add("扩容推进", [{"name": "update_opportunity", "args": {
        "account": "蓝鲸数据", "opportunity": "扩容", "stage": "negotiation"}}])
    ask = loop.handle_sync(message(1, "扩容推进")).replies[-1]
    assert len(ask.choices) >= 2 and all(c.id.startswith("c:") for c in ask.choices)
    picked = next(c for c in ask.choices if c.label == "数据平台扩容三期")
    card = loop.handle_sync(message(1, choice=picked.id)).replies[-1]
    assert "三期" in card.text and card.choices


def test_small_talk_and_questions_about_the_bot(loop):
    assert "不客气" in loop.handle_sync(message(1, "谢谢")).replies[0].text
    assert "Salesbot" in loop.handle_sync(message(4, "hey, what can you do?")).replies[0].text
    assert "Salesbot" in loop.handle_sync(message(1, "你好，你都能干啥？")).replies[0].text
    assert "没听懂" in loop.handle_sync(message(1, "嗯嗯嗯")).replies[0].text
