"""Messages for other users (an approver, a rep whose quote was decided, a rep taking over
accounts), addressed to every chat the user is linked on."""
from __future__ import annotations

from sqlmodel import Session

from bot.cards import quote_choices
from bot.identity import identities_of
from bot.messages import Outgoing, Reply
from bot.render_results import render_notice
from storage.models import User
from tools.base import Notice


def notices_to_outgoing(notices: list[Notice], *, session: Session) -> list[Outgoing]:
    out: list[Outgoing] = []
    for notice in notices:
        user = session.get(User, notice.user_id)
        if user is None or not user.active:
            continue
        text = render_notice(notice, user.language)
        choices = ()
        if notice.kind == "approval_request" and notice.data.get("quote_id"):
            choices = quote_choices(int(notice.data["quote_id"]), user.language)
        elif notice.kind in ("lead_assigned", "lead_nudge") and (notice.data.get("lead") or {}).get("id"):
            from bot.leads import lead_choices

            choices = lead_choices(int(notice.data["lead"]["id"]), user.language)
        for identity in identities_of(user.id, session=session):
            out.append(Outgoing(platform=identity.platform,
                                chat_id=identity.chat_id or identity.external_id,
                                reply=Reply(text=text, choices=choices)))
    return out
