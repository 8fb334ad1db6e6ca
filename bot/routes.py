"""The route table: what a message from a linked user is, in the order it is decided.

Each route is a name, a test on the `Turn` and a handler. The first route whose test passes
handles the message; a handler may return None to pass it on (an open card's handler does so
for text that is neither an answer nor a change: a new request). The loop adds the last route,
the engine reading a new request.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot import drafts
from bot.identity import link_code_in
from bot.outcome import Outcome
from bot.text_input import control_word, has_words, is_help, looks_binary
from bot.turn import Turn
from prompts.ui import t
from storage.repos.usage import record_usage


@dataclass(frozen=True)
class Route:
    name: str
    when: Callable[[Turn], bool]
    run: Callable[[Turn], Outcome | None]


def _say(key: str, kind: str = "answer") -> Callable[[Turn], Outcome]:
    return lambda turn: Outcome().say(t(turn.language, key), kind=kind)


def _ignored_in_group(turn: Turn) -> bool:
    msg = turn.message
    return msg.is_group and not (msg.mentions_bot or msg.choice or (turn.text or "").startswith("/"))


def _raw(turn: Turn) -> str:
    return turn.transcript if turn.transcript is not None else (turn.message.text or "")


def _count_message(turn: Turn) -> None:
    """Usage analytics: every message a linked user addressed to the bot (passes it on)."""
    msg = turn.message
    record_usage(session=turn.session, at=turn.now, user_id=turn.user.id, kind="message",
                 name="choice" if msg.choice else "voice" if msg.audio is not None else "photo" if msg.images
                 else "text", platform=msg.platform)
    return None


def _command(name: str, run: Callable[[Turn], Outcome | None]) -> Callable[[Turn], Outcome | None]:
    """`run`, counted as the command `name` in usage analytics when it answers."""
    def counted(turn: Turn) -> Outcome | None:
        outcome = run(turn)
        if outcome is not None:
            record_usage(session=turn.session, at=turn.now, user_id=turn.user.id, kind="command", name=name)
        return outcome
    return counted


def _notify(turn: Turn) -> Outcome | None:
    from bot.scheduler.notify import notify_command

    reply = notify_command(turn.session, turn.user, turn.text, now=turn.now)
    return Outcome().say(reply) if reply is not None else None


def _web_link(turn: Turn) -> Outcome | None:
    from bot.web_link import web_command

    reply = web_command(turn.session, turn.user, turn.text, now=turn.now, settings=turn.app.settings,
                        is_group=turn.message.is_group)
    return Outcome().say(reply) if reply is not None else None


def _contract_photos(turn: Turn) -> Outcome:
    from bot.contract_photos import on_photos

    return on_photos(turn)


def _open_card(turn: Turn) -> Outcome | None:
    draft = drafts.latest_open(turn)
    if draft is None:
        return None
    return drafts.on_reply(turn, draft, control_word(turn.text))


def _stray_control(turn: Turn) -> bool:
    word = control_word(turn.text)
    return word is not None and (word == "cancel" or turn.text.strip().isdigit())


ROUTES: list[Route] = [
    Route("group, not addressed", _ignored_in_group, lambda turn: Outcome()),
    Route("usage count", lambda turn: True, _count_message),
    Route("button press", lambda turn: bool(turn.message.choice), drafts.on_choice),
    Route("contract photo", lambda turn: bool(turn.message.images), _contract_photos),
    Route("voice without a transcriber", lambda turn: turn.message.audio is not None and turn.transcript is None,
          _say("voice_disabled")),
    Route("link code, already linked", lambda turn: link_code_in(_raw(turn)) is not None,
          lambda turn: Outcome().say(t(turn.language, "link_already", name=turn.user.name), kind="notice")),
    Route("binary", lambda turn: looks_binary(_raw(turn)), _say("unreadable", "notice")),
    Route("empty", lambda turn: not turn.text, _say("empty_message", "notice")),
    Route("too long", lambda turn: len(turn.text) > turn.app.settings.max_message_chars,
          lambda turn: Outcome().say(t(turn.language, "too_long", n=len(turn.text),
                                       limit=turn.app.settings.max_message_chars), kind="notice")),
    Route("no words", lambda turn: not has_words(turn.text), _say("unreadable", "notice")),
    Route("help", lambda turn: is_help(turn.text), _command("help", _say("help"))),
    Route("notification settings", lambda turn: True, _command("notify", _notify)),
    Route("web console link", lambda turn: True, _web_link),
    Route("open card", lambda turn: True, _open_card),
    Route("control word, nothing open", _stray_control, _say("nothing_pending", "notice")),
]
