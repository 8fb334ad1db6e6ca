"""Merging duplicate accounts in words: the two accounts named, the direction when the words give
one ("把B并入A", "merge B into A"), `pick_keep` when they do not, and nothing read when fewer or
more than two accounts are named or the thing merged is not an account. Paraphrases of our own."""
from __future__ import annotations

import pytest


def merges(calls, text, user=3):
    return [c for c in calls(text, user=user) if c["name"] == "merge_accounts"]


@pytest.mark.parametrize("text, user", [
    ("把蓝鲸数据和青松制药合并", 3),
    ("青松和蓝鲸其实是同一家公司，合并一下吧", 3),
    ("蓝鲸数据、青松制药这两个客户合成一个", 3),
    ("merge Bluewhale and 青松 please", 5),
    ("Bluewhale and 青松制药 are the same customer, merge them", 5),
    ("can you combine 蓝鲸 with 青松", 5),
])
def test_two_accounts_without_a_direction_leave_the_choice_to_the_tool(calls, text, user):
    [call] = merges(calls, text, user)
    assert {call["args"]["keep"], call["args"]["merge"]} == {"蓝鲸数据", "青松制药"}
    assert call["args"]["pick_keep"] is True


@pytest.mark.parametrize("text, user, keep, dropped", [
    ("把青松并入蓝鲸数据", 3, "蓝鲸数据", "青松制药"),
    ("青松制药合并到蓝鲸下面", 3, "蓝鲸数据", "青松制药"),
    ("把蓝鲸的记录都合到青松里", 3, "青松制药", "蓝鲸数据"),
    ("merge 青松 into Bluewhale", 5, "蓝鲸数据", "青松制药"),
    ("please merge Bluewhale Data into 青松制药", 5, "青松制药", "蓝鲸数据"),
])
def test_into_says_which_account_stays(calls, text, user, keep, dropped):
    [call] = merges(calls, text, user)
    assert call["args"]["keep"] == keep and call["args"]["merge"] == dropped and "pick_keep" not in call["args"]


@pytest.mark.parametrize("text", [
    "蓝鲸数据的两张报价合并一下",      # quotes, not accounts
    "把蓝鲸的两个商机合并",            # one account named
    "merge the two Acme quotes",
    "蓝鲸、青松、北辰三家合并统计一下拜访",  # three accounts: not a merge of duplicates
    "今天拜访了蓝鲸李总，进入谈判",
])
def test_nothing_is_merged_when_the_words_are_about_something_else(calls, text):
    assert merges(calls, text) == []
