"""Traditional Chinese read as Simplified, sales shorthand written out; offsets and the words the
user wrote survive both."""
import pytest

from intents.rules.normalize import expand, to_simplified
from intents.rules.text import prepare


@pytest.mark.parametrize("traditional, simplified", [
    ("下週五跟進報價", "下周五跟进报价"),
    ("後天約華康開會", "后天约华康开会"),
    ("這單簽了九十萬", "这单签了九十万"),
    ("幫我提個報價，打八折", "帮我提个报价，打八折"),
    ("俺明兒去趟金橋", "我明儿去趟金桥"),
])
def test_traditional_and_dialect_become_simplified_of_the_same_length(traditional, simplified):
    assert to_simplified(traditional) == simplified
    assert len(to_simplified(traditional)) == len(traditional)


@pytest.mark.parametrize("text", ["蓝鲸\x00数据\ud800拜访", "Acme 🎉 签了", "", "only latin here"])
def test_odd_input_keeps_its_length(text):
    assert len(to_simplified(text)) == len(text)


@pytest.mark.parametrize("written, read", [
    ("mtg w/ Ken @ Contoso tmrw", "meeting with Ken at Contoso tmrw"),
    ("ph call w/ Jane 2day re: pricing", "phone call with Jane today about pricing"),
    ("vid call this am, pls f/u thru email", "video call this morning, please follow up through email"),
    ("acct review nxt wk", "account review next week"),
    ("caled Sam, vistied Initech b4 lunch", "called Sam, visited Initech before lunch"),
])
def test_shorthand_is_written_out(written, read):
    text, origin = expand(written, list(range(len(written))))
    assert text == read
    assert len(origin) == len(text)


@pytest.mark.parametrize("text", ["mail bob@acme.com the deck", "we're close", "Acme/Globex joint call", "w/e"])
def test_what_is_not_shorthand_stays(text):
    assert expand(text, list(range(len(text))))[0] == text


@pytest.mark.parametrize("raw", ["週三跟藍海黃總電話，聊了續約", "mtg w/ Hank @ Globex re: renewal", "下週一 f/u w/ 瑞豐"])
def test_free_text_is_cut_from_what_the_user_wrote(raw):
    msg = prepare(raw)
    assert msg.original(0, len(msg.text)) == raw


@pytest.mark.parametrize("text, user, expected", [
    ("上週四去藍海拜訪黃總，聊了數據治理", 1, ("log_visit", {"account": "蓝海数据", "contacts": ["黄磊"], "occurred_on": "2026-11-19"})),
    ("明天下午兩點提醒我給雲帆林總回電話", 6, ("create_reminder", {"due_at": "2026-11-26T14:00", "account": "云帆软件"})),
    ("給北辰報個價，三百萬，九五折", 1, ("create_quote", {"account": "北辰汽车", "amount": 3000000, "discount_pct": 5})),
    ("華康那單輸了，選了競品", 2, ("update_opportunity", {"account": "华康医疗", "stage": "lost"})),
])
def test_traditional_sentences_parse_like_simplified(calls, text, user, expected):
    got = calls(text, user=user)
    name, args = expected
    match = [c for c in got if c["name"] == name]
    assert match, got
    assert {k: match[0]["args"].get(k) for k in args} == args


def test_traditional_summary_keeps_the_users_characters(calls):
    (visit,) = calls("今天去金橋見了周總，談倉儲系統")
    assert visit["args"]["summary"] == "今天去金橋見了周總，談倉儲系統"


@pytest.mark.parametrize("text, user, expected", [
    ("vid call w/ Peter from Initech 2day re the API", 4, {"account": "Initech", "channel": "video", "occurred_on": "2026-11-25"}),
    ("ph call w/ Rachel @ Contoso Insurance yday", 4, {"account": "Contoso Insurance", "channel": "phone", "occurred_on": "2026-11-24"}),
    ("mtg w/ Hank at Globex this am, went thru renewal terms", 4, {"account": "Globex Industries", "occurred_on": "2026-11-25"}),
])
def test_shorthand_visits(calls, text, user, expected):
    (visit,) = [c for c in calls(text, user=user) if c["name"] == "log_visit"]
    assert {k: visit["args"].get(k) for k in expected} == expected


@pytest.mark.parametrize("text, user, account", [
    ("sat down w/ Peter @ Initech yday re: API limits", 4, "Initech"),
    ("sat down with Jane at Fabrikam this am", 4, "Fabrikam Manufacturing"),
    ("Sat down w/ Nancy from Northwind 2day, went thru pricing", 4, "Northwind Traders"),
])
def test_sat_down_with_is_an_onsite_visit(calls, text, user, account):
    (visit,) = [c for c in calls(text, user=user) if c["name"] == "log_visit"]
    assert visit["args"]["account"] == account and visit["args"]["channel"] == "onsite"


@pytest.mark.parametrize("text, user, name, expected", [
    ("下周二根进一下天衡的标书", 1, "create_reminder", {"due_at": "2026-12-01T09:00", "account": "天衡能源"}),
    ("明天上午十点题醒我给瑞丰冯经理回电话", 6, "create_reminder", {"due_at": "2026-11-26T10:00", "account": "瑞丰食品"}),
    ("今天拜仿了青松赵主任，聊了验收", 1, "log_visit", {"account": "青松制药", "occurred_on": "2026-11-25"}),
    ("蓝海进入谈叛阶段了", 2, "update_opportunity", {"account": "蓝海数据", "stage": "negotiation"}),
])
def test_input_method_slips_on_cue_words(calls, text, user, name, expected):
    (call,) = [c for c in calls(text, user=user) if c["name"] == name]
    assert {k: call["args"].get(k) for k in expected} == expected
