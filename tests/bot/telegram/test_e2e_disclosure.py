"""Names across teams, over the wire: a rep's mention resolves only within what they may see, so
no reply names another team's account, contact or owner; a teammate's account may name its owner."""
from __future__ import annotations

import pytest

from storage.models import Account, Visit
from tests.bot.telegram.conftest import TG

# Alice Chen (Bob's team) owns every English account; 王磊, 李娜 and 刘洋 are 张伟's team.
ALICE_SIDE = ("Alice Chen", "Globex", "Contoso", "Umbrella", "Hank Scorpio", "Rachel Green", "Alice Marcus")
WANG_SIDE = ("王磊", "李娜", "刘洋", "蓝鲸数据", "金桥物流", "青松制药", "李明", "周海")


async def _replies(h, who, text: str) -> str:
    return "\n".join(m.get("text") or "" for m in await h.say(who, text))


@pytest.mark.parametrize("text", [
    "今天见了Hank", "昨天跟Hank Scorpio吃了个饭，聊得不错", "met Rachel today", "had a call with Rachel Green this morning",
    "Alice最近拜访了谁", "Alice这周都见了哪些客户", "visited Globex today", "Hank called me about the renewal",
])
async def test_a_rep_never_learns_another_teams_accounts_or_owners(harness, text):
    h = harness
    rep = h.person(1)
    visits = h.count(Visit)
    said = await _replies(h, rep, text)
    assert said, "every message gets an answer"
    assert not any(name in said for name in ALICE_SIDE if name not in text), said
    assert h.count(Visit) == visits


@pytest.mark.parametrize("text", ["met 李明 today", "今天见了周海，聊了续约", "visited 蓝鲸数据 this afternoon",
                                  "who did 王磊 visit recently"])
async def test_the_other_team_is_as_unknown_the_other_way_round(harness, text):
    h = harness
    alice = h.person(4)
    said = await _replies(h, alice, text)
    assert said
    assert not any(name in said for name in WANG_SIDE if name not in text), said


async def test_a_teammates_account_still_names_its_owner(harness):
    h = harness
    rep = h.person(1)
    said = await _replies(h, rep, "今天见了周海，聊了续约")  # 周海 works at 李娜's 金桥物流
    assert "金桥物流" in said and "李娜" in said


async def test_naming_a_hidden_account_creates_no_duplicate_of_it(harness):
    h = harness
    rep = h.person(1)
    said = await _replies(h, rep, "visited Globex today")
    assert "Globex Industries" not in said and "Alice" not in said
    assert "Globex" in said  # the name as the rep wrote it: nothing was recorded under it
    assert h.count(Account, Account.name.ilike("%globex%")) == 1
