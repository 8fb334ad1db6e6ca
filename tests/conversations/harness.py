"""Conversation scripts: one YAML transcript, played through a real adapter, checked against the
database.

A script (`scripts/*.yaml`) is what a user does and what they should see:

    name: a failed edit keeps the card
    as: 1                       # the demo user who talks (王磊); demo data, today = Fri 2026-12-04 10:00
    steps:
      - say: 今天拜访了青松制药孙悦，进入谈判，金额120万
        shows: [确认写入, 青松制药]  # each must appear in what the bot showed for this step
        hides: [已保存]             # none of these may appear
        buttons: 3                 # how many choices the last message offers
      - press: edit               # a button of the last message with choices: confirm / edit /
                                  # cancel, its number (1-based) or words of its label
      - photo: [[合同编号：LJ-1, 甲方：蓝鲸数据科技有限公司, ...], [...]]
                                  # pictures sent together, one list of text lines each (what a
                                  # fake of the OCR interface reads on it): `/photo` in the
                                  # console, photos on Telegram
      - restart: true             # a new app and adapter over the same database
      - wait: {hours: 80}         # the clock moves on
        db: {draft: confirmed}    # what the database holds now (see `check_db`)
    unsure:                       # texts the engine reads with alternatives instead of calls
      蓝海数据: [{label: ..., calls: [{name: ..., args: {...}}]}, ...]
    readings:                     # texts the engine reads as given (calls and questions)
      今天拜访了那家孙悦: {calls: [...], questions: [{kind: ambiguous, call: 0, arg: account, ...}]}

`ConsoleRun` types each line into the console adapter (a press is typing the option's number,
as a person at the terminal does); `TelegramRun` sends messages and presses inline buttons
through the fake Bot API server with the real PTB application. Both share `play`, so one script
means the same on both.
"""
from __future__ import annotations

import asyncio
import io
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from sqlmodel import Session, col, func, select

from intents.base import Alternative, Parse, ParseContext, Question
from intents.rules import RulesEngine
from storage.leadkeys import company_key
from storage.models import (Account, Attachment, Contact, Draft, Lead, Opportunity, Quote, Reminder, User, Visit,
                            VisitContact)
from tests.fakes.ocr import PageOcr
from tools.base import ToolCall

SCRIPTS = Path(__file__).parent / "scripts"
SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime(2026, 12, 4, 10, 0, tzinfo=SHANGHAI)  # a Friday, as in the reproductions


@dataclass
class Script:
    name: str
    path: Path
    user: int
    steps: list[dict]
    unsure: dict[str, list[dict]] = field(default_factory=dict)
    readings: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Script:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return cls(name=data["name"], path=path, user=int(data.get("as", 1)), steps=list(data["steps"]),
                   unsure=dict(data.get("unsure") or {}), readings=dict(data.get("readings") or {}))


def all_scripts() -> list[Script]:
    return [Script.load(p) for p in sorted(SCRIPTS.glob("*.yaml"))]


class ScriptEngine:
    """The rules engine, except for the texts a script lists: `unsure` ones come back with no
    calls and the script's alternatives (an engine that is not sure), `readings` as written (an
    engine that finds a name ambiguous)."""

    name = "rules"

    def __init__(self, unsure: dict[str, list[dict]], readings: dict[str, dict]) -> None:
        self.rules, self.unsure, self.readings = RulesEngine(), unsure, readings

    def parse(self, text: str, ctx: ParseContext) -> Parse:
        if text in self.readings:
            reading = self.readings[text]
            questions = [Question(q["kind"], q.get("call", 0), q["arg"], q.get("mention", ""),
                                  tuple(q.get("candidates") or ())) for q in reading.get("questions") or []]
            return Parse(calls=[ToolCall.from_json(c) for c in reading["calls"]], questions=questions,
                         confidence=0.5, engine="rules")
        if text in self.unsure:
            alternatives = [Alternative(calls=tuple(ToolCall.from_json(c) for c in alt["calls"]),
                                        confidence=0.4, label=alt.get("label", ""))
                            for alt in self.unsure[text]]
            return Parse(calls=[], confidence=0.4, alternatives=alternatives, engine="rules")
        return self.rules.parse(text, ctx)


class Clock:
    def __init__(self) -> None:
        self.current = TODAY

    def __call__(self) -> datetime:
        return self.current


@dataclass
class Shown:
    """What the bot showed for one step: its texts and the options of the last message with any."""

    texts: list[str]
    options: list[tuple[str, str]]  # (choice id, label) of the newest message that has choices

    @property
    def all_text(self) -> str:
        return "\n".join(self.texts)


async def play(script: Script, run) -> None:
    """Play every step through `run` (a ConsoleRun or a TelegramRun) and check it."""
    options: list[tuple[str, str]] = []
    for number, step in enumerate(script.steps, 1):
        where = f"{script.path.name} step {number} {step}"
        if "wait" in step:
            run.clock.current += timedelta(**step["wait"])
        if step.get("restart"):
            await run.restart()
        shown: Shown | None = None
        if "say" in step:
            assert isinstance(step["say"], (str, int)) and not isinstance(step["say"], bool), (
                f"{where}: quote what the user says (YAML reads yes/no/on/off as booleans)")
            shown = await run.say(str(step["say"]))
        elif "press" in step:
            shown = await run.press(_option(options, step["press"], where))
        elif "photo" in step:
            shown = await run.photo([[str(line) for line in page] for page in step["photo"]])
        if shown is not None:
            if shown.options:
                options = shown.options
            for expected in _listed(step.get("shows")):
                assert expected in shown.all_text, f"{where}: {expected!r} not in {shown.all_text!r}"
            for unexpected in _listed(step.get("hides")):
                assert unexpected not in shown.all_text, f"{where}: {unexpected!r} in {shown.all_text!r}"
            if "buttons" in step:
                assert len(shown.options) == step["buttons"], f"{where}: options {shown.options}"
        if "db" in step:
            with Session(run.db) as session:
                check_db(session, script.user, run.baseline, step["db"], where)


def _listed(value) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _option(options: list[tuple[str, str]], wanted, where: str) -> tuple[int, str]:
    """(1-based number, choice id) of the option a step presses."""
    assert options, f"{where}: nothing to press"
    if isinstance(wanted, int):
        assert 1 <= wanted <= len(options), f"{where}: no option {wanted} in {options}"
        return wanted, options[wanted - 1][0]
    for i, (choice_id, label) in enumerate(options, 1):
        if choice_id.endswith(":" + wanted) or wanted in label:
            return i, choice_id
    raise AssertionError(f"{where}: no option {wanted!r} in {options}")


# --- the database -----------------------------------------------------------------------------


def baseline(session: Session) -> dict[str, int]:
    """The highest id of each table a script checks, before it starts: what is new is above."""
    return {name: session.exec(select(func.max(model.id))).one() or 0
            for name, model in _MODELS.items()}


_MODELS = {"visits": Visit, "reminders": Reminder, "deals": Opportunity, "quotes": Quote, "drafts": Draft,
           "attachments": Attachment, "leads": Lead}


def check_db(session: Session, user_id: int, before: dict[str, int], expected: dict, where: str) -> None:
    """`new visits: 1`, `visit: {account, contacts, occurred_on, channel, deal}`, `new reminders: 1`,
    `reminder: {account, due, text}`, `reminders with: {text, status}` (any of the user's), `deal: {account, stage, amount, currency, competitor, name, closed_on}`,
    `new deals`, `new quotes`, `new attachments`, `quote: {account, amount, discount_pct, deal}`, `draft: status`,
    `owner: {account: name, user: name}`, `merged: {account: name, into: name | null}`, `lead: {company, status,
    owner, sources, account, reason}` (the newest lead of that company), `deal source: {account, source}`."""
    for key, want in expected.items():
        if key.startswith("new "):
            name = key[4:]
            model = _MODELS[name]
            got = session.exec(select(func.count()).select_from(model).where(model.id > before[name])).one()
            assert got == want, f"{where}: {got} new {name}, expected {want}"
        elif key == "visit":
            visit = session.exec(select(Visit).where(Visit.id > before["visits"]).order_by(
                col(Visit.id).desc())).first()
            assert visit is not None, f"{where}: no new visit"
            _fields(where, "visit", {
                "account": _account_name(session, visit.account_id),
                "contacts": sorted(session.get(Contact, link.contact_id).name for link in session.exec(
                    select(VisitContact).where(VisitContact.visit_id == visit.id)).all()),
                "occurred_on": visit.occurred_on.isoformat(), "channel": str(visit.channel or ""),
                "deal": _deal_name(session, visit.opportunity_id)}, want)
        elif key == "reminder":
            reminder = session.exec(select(Reminder).where(Reminder.id > before["reminders"]).order_by(
                col(Reminder.id).desc())).first()
            assert reminder is not None, f"{where}: no new reminder"
            due = reminder.due_at.astimezone(ZoneInfo(reminder.timezone)).strftime("%Y-%m-%d %H:%M")
            _fields(where, "reminder", {"account": _account_name(session, reminder.account_id), "due": due,
                                        "text": reminder.text, "status": str(reminder.status)}, want)
        elif key == "reminders with":  # every reminder of the user whose text holds `text`
            found = [r for r in session.exec(select(Reminder).where(Reminder.user_id == user_id)).all()
                     if want["text"] in r.text]
            assert found, f"{where}: no reminder with {want['text']!r}"
            for reminder in found:
                _fields(where, "reminder", {"status": str(reminder.status), "text": reminder.text},
                        {k: v for k, v in want.items() if k != "text"})
        elif key == "deal":
            account = _account(session, want["account"])
            deal = session.exec(select(Opportunity).where(Opportunity.account_id == account.id).order_by(
                col(Opportunity.updated_at).desc(), col(Opportunity.id).desc())).first()
            assert deal is not None, f"{where}: no deal of {want['account']}"
            _fields(where, "deal", {"account": account.name, "stage": str(deal.stage), "amount": deal.amount,
                                    "currency": deal.currency, "competitor": deal.competitor or "",
                                    "name": deal.name, "closed_on": str(deal.closed_on or "")}, want)
        elif key == "quote":
            quote = session.exec(select(Quote).where(Quote.id > before["quotes"]).order_by(
                col(Quote.id).desc())).first()
            assert quote is not None, f"{where}: no new quote"
            _fields(where, "quote", {"account": _account_name(session, quote.account_id), "amount": quote.amount,
                                     "discount_pct": quote.discount_pct,
                                     "deal": _deal_name(session, quote.opportunity_id)}, want)
        elif key == "draft":
            draft = session.exec(select(Draft).where(Draft.user_id == user_id).order_by(
                col(Draft.id).desc())).first()
            assert draft is not None and str(draft.status) == want, \
                f"{where}: last draft {draft.status if draft else None}, expected {want}"
        elif key == "owner":
            account = _account(session, want["account"])
            owner = session.get(User, account.owner_id) if account.owner_id else None
            assert owner is not None and owner.name == want["user"], \
                f"{where}: {account.name} owned by {owner.name if owner else None}, expected {want['user']}"
        elif key == "merged":
            account = _account(session, want["account"])
            into = session.get(Account, account.merged_into_id) if account.merged_into_id else None
            assert (into.name if into else None) == want["into"], \
                f"{where}: {account.name} merged into {into.name if into else None}, expected {want['into']}"
        elif key == "lead":
            lead = session.exec(select(Lead).where(Lead.company_key == company_key(want["company"]))
                                .order_by(col(Lead.id).desc())).first()
            assert lead is not None, f"{where}: no lead of {want['company']}"
            owner = session.get(User, lead.owner_id) if lead.owner_id else None
            _fields(where, "lead", {"company": want["company"], "status": lead.status,
                                    "owner": owner.name if owner else None, "sources": lead.sources,
                                    "account": _account_name(session, lead.account_id) if lead.account_id else None,
                                    "reason": lead.disqualified_reason, "contact": lead.contact,
                                    "phone": lead.phone}, want)
        elif key == "deal source":
            account = _account(session, want["account"])
            deal = session.exec(select(Opportunity).where(Opportunity.account_id == account.id)
                                .order_by(col(Opportunity.id).desc())).first()
            assert deal is not None and deal.source == want["source"], \
                f"{where}: deal source {deal.source if deal else None}, expected {want['source']}"
        else:
            raise AssertionError(f"{where}: unknown database check {key!r}")


def _fields(where: str, what: str, got: dict[str, Any], want: dict) -> None:
    for name, value in want.items():
        actual = got[name]
        if isinstance(actual, Decimal) or name in ("amount", "discount_pct"):
            ok = actual is not None and Decimal(str(actual)) == Decimal(str(value))
        elif name == "contacts":
            ok = actual == sorted(value)
        elif name == "text":
            ok = str(value) in str(actual)
        else:
            ok = str(actual) == str(value)
        assert ok, f"{where}: {what} {name} is {actual!r}, expected {value!r}"


def _account(session: Session, name: str) -> Account:
    account = session.exec(select(Account).where(Account.name == name)).first()
    assert account is not None, f"no account {name!r}"
    return account


def _account_name(session: Session, account_id: int | None) -> str:
    account = session.get(Account, account_id) if account_id else None
    return account.name if account else ""


def _deal_name(session: Session, deal_id: int | None) -> str:
    deal = session.get(Opportunity, deal_id) if deal_id else None
    return deal.name if deal else ""


# --- the adapters -------------------------------------------------------------------------------


class ConsoleRun:
    """The console adapter as someone at the terminal uses it: lines in, printed lines out."""

    def __init__(self, make_app, user_id: int, clock: Clock, files: Path | None = None) -> None:
        self.make_app, self.user_id, self.clock = make_app, user_id, clock
        self.ocr, self.files = PageOcr(), files
        self.app = make_app()
        self.app.ocr = self.ocr
        self.db = self.app.db
        with Session(self.db) as session:
            self.baseline = baseline(session)
        self._adapter()

    def _adapter(self) -> None:
        from bot.adapters.console.adapter import ConsoleAdapter
        from bot.loop import ConversationLoop

        with Session(self.db) as session:
            user = session.get(User, self.user_id)
            name, lang = user.name, user.language
        self.out = io.StringIO()
        self.adapter = ConsoleAdapter(ConversationLoop(self.app), self.user_id, name, lang, stdout=self.out)

    async def restart(self) -> None:
        self.app = self.make_app()
        self.app.ocr = self.ocr
        self._adapter()

    async def say(self, text: str) -> Shown:
        start = len(self.out.getvalue())
        await self.adapter.handle_line(text)
        printed = self.out.getvalue()[start:]
        options = [(choice_id, label) for choice_id, label in zip(self.adapter._choices, _numbered(printed))]
        return Shown([printed], options)

    async def press(self, option: tuple[int, str]) -> Shown:
        return await self.say(str(option[0]))

    async def photo(self, pages: list[list[str]]) -> Shown:
        assert self.files is not None, "a script with photos needs a folder for them"
        self.files.mkdir(parents=True, exist_ok=True)
        paths = []
        for lines in pages:
            path = self.files / f"page{len(list(self.files.iterdir())) + 1}.png"
            path.write_bytes(self.ocr.page(lines))
            paths.append(str(path))
        return await self.say("/photo " + " ".join(paths))

    async def close(self) -> None:
        pass


_OPTION_LINE = re.compile(r"^\s*(\d+)\. (.*)$", re.MULTILINE)


def _numbered(printed: str) -> list[str]:
    return [m.group(2) for m in _OPTION_LINE.finditer(printed)]


class TelegramRun:
    """The Telegram adapter with the real PTB application, polling the fake Bot API server."""

    def __init__(self, make_app, user_id: int, clock: Clock, api, telegram_id: int, name: str,
                 language: str) -> None:
        self.make_app, self.user_id, self.clock, self.api = make_app, user_id, clock, api
        self.telegram_id = telegram_id
        self.ocr = PageOcr()
        self.app = make_app()
        self.app.ocr = self.ocr
        self.db = self.app.db
        with Session(self.db) as session:
            self.baseline = baseline(session)
        self.person = api.user(telegram_id, name, language_code=language)
        self.adapter = None

    async def start(self) -> None:
        from bot.adapters.telegram.adapter import TelegramAdapter
        from bot.adapters.telegram.config import TelegramConfig
        from bot.loop import ConversationLoop

        config = TelegramConfig(token=self.api.token, base_url=self.api.base_url,
                                base_file_url=self.api.base_file_url)
        self.adapter = TelegramAdapter(ConversationLoop(self.app), config, poll_timeout=1, flood_limiter=False)
        await self.adapter.start()

    async def restart(self) -> None:
        await self.close()
        self.app = self.make_app()
        self.app.ocr = self.ocr
        await self.start()

    async def _settled(self) -> None:
        await self.api.delivered()
        await self.adapter.idle(15)

    async def say(self, text: str) -> Shown:
        before = self.api.last_message_id(self.telegram_id)
        self.person.send(text)
        await self._settled()
        return self._shown(before, [])

    async def photo(self, pages: list[list[str]]) -> Shown:
        before = self.api.last_message_id(self.telegram_id)
        group = f"album{before}" if len(pages) > 1 else None
        for lines in pages:
            self.person.send_photo(self.ocr.page(lines, fmt="JPEG"), media_group_id=group)
        await self._settled()
        return self._shown(before, [])

    async def press(self, option: tuple[int, str]) -> Shown:
        card = self._message_with(option[1])
        before = self.api.last_message_id(self.telegram_id)
        old_text = card["text"]
        update = self.person.press(card, option[1])
        await self._settled()
        texts = []
        answer = self.api.callback_answers.get(update["callback_query"]["id"]) or {}
        if answer.get("text"):
            texts.append(answer["text"])
        now = self.api.current(self.telegram_id, card["message_id"])
        edited = [now] if now["text"] != old_text or "reply_markup" not in now else []
        return self._shown(before, texts, edited)

    def _message_with(self, choice_id: str) -> dict:
        for message in reversed(self.api.bot_messages(self.telegram_id)):
            current = self.api.current(self.telegram_id, message["message_id"])
            if choice_id in _buttons(current):
                return current
        raise AssertionError(f"no message shows the button {choice_id}")

    def _shown(self, before: int, texts: list[str], edited: list[dict] | None = None) -> Shown:
        new = [self.api.current(self.telegram_id, m["message_id"]) for m in self.api.bot_messages(self.telegram_id)
               if m["message_id"] > before]
        messages = (edited or []) + new
        options: list[tuple[str, str]] = []
        for message in messages:
            if "reply_markup" in message:
                options = _buttons_with_labels(message)
        return Shown(texts + [m.get("text") or m.get("caption") or "" for m in messages], options)

    async def close(self) -> None:
        if self.adapter is not None:
            await self.adapter.stop()
            self.adapter = None


def _buttons(message: dict) -> list[str]:
    return [data for data, _ in _buttons_with_labels(message)]


def _buttons_with_labels(message: dict) -> list[tuple[str, str]]:
    markup = message.get("reply_markup") or {}
    return [(b["callback_data"], b["text"]) for row in markup.get("inline_keyboard", []) for b in row]


class FeishuRun:
    """The Feishu adapter serving /feishu/events, driven by the fake open platform's encrypted,
    signed events; a press is a card.action.trigger callback and its answer updates the card."""

    def __init__(self, make_app, user_id: int, clock: Clock, server, open_id: str, name: str) -> None:
        self.make_app, self.user_id, self.clock, self.server = make_app, user_id, clock, server
        self.ocr = PageOcr()
        self.app = make_app()
        self.app.ocr = self.ocr
        self.db = self.app.db
        with Session(self.db) as session:
            self.baseline = baseline(session)
        self.person = server.user(open_id, name)
        self.adapter = None

    async def start(self) -> None:
        from bot.adapters.feishu.adapter import EVENTS_PATH, FeishuAdapter
        from bot.adapters.feishu.config import FeishuConfig
        from bot.loop import ConversationLoop

        s = self.server
        config = FeishuConfig(app_id=s.app_id, app_secret=s.app_secret, verification_token=s.verification_token,
                              encrypt_key=s.encrypt_key, api_base=s.base_url, host="127.0.0.1", port=0)
        self.adapter = FeishuAdapter(ConversationLoop(self.app), config)
        await self.adapter.start()
        s.events_url = f"http://127.0.0.1:{self.adapter.port}{EVENTS_PATH}"

    async def restart(self) -> None:
        await self.close()
        self.app = self.make_app()
        self.app.ocr = self.ocr
        await self.start()

    def _messages(self) -> list:
        return self.server.bot_messages(self.person.p2p_chat)

    async def say(self, text: str) -> Shown:
        before = len(self._messages())
        status, _ = await self.person.send(text)
        assert status == 200, status
        await self.adapter.idle()
        return self._shown(before)

    async def photo(self, pages: list[list[str]]) -> Shown:
        """Each page as its own image message, as a phone sends several photos."""
        before = len(self._messages())
        for lines in pages:
            status, _ = await self.person.send_image(self.ocr.page(lines, fmt="JPEG"), content_type="image/jpeg")
            assert status == 200, status
        await self.adapter.idle()
        return self._shown(before)

    async def press(self, option: tuple[int, str]) -> Shown:
        card = next((m for m in reversed(self._messages()) if option[1] in m.choices), None)
        assert card is not None, f"no card shows the button {option[1]}"
        before, old = len(self._messages()), card.content
        status, _ = await self.person.press(card, option[1])
        assert status == 200, status
        await self.adapter.idle()
        return self._shown(before, [card] if card.content is not old else [])

    def _shown(self, before: int, edited: list | None = None) -> Shown:
        messages = (edited or []) + self._messages()[before:]
        options: list[tuple[str, str]] = []
        for message in messages:
            if message.buttons:
                options = message.buttons
        return Shown([m.text for m in messages], options)

    async def close(self) -> None:
        if self.adapter is not None:
            await self.adapter.stop()
            self.adapter = None
