import pytest

from intents.rules.lexicon import channel_in, stage_cues


def stages(text: str) -> list[str]:
    return [c.value for c in stage_cues(text.lower())]


@pytest.mark.parametrize("text, stage", [
    ("新线索：东方医药", "prospect"), ("对方有意向上CRM", "prospect"), ("今天电话初次接触", "prospect"),
    ("new lead: Stark Logistics", "prospect"), ("first contact by email", "prospect"),
    ("POC环境搭好了", "evaluation"), ("先试点三家门店", "evaluation"), ("同意先试用一个月", "evaluation"),
    ("做了产品demo", "evaluation"), ("they agreed to run a pilot", "evaluation"), ("Globex is evaluating us", "evaluation"),
    ("在对比我们和用友的方案", "evaluation"), ("进入方案评审", "evaluation"),
    ("升级到谈判阶段", "negotiation"), ("可以谈价格了", "negotiation"), ("开始走合同", "negotiation"),
    ("合同审核中", "negotiation"), ("ready for contract review", "negotiation"), ("pricing talks started", "negotiation"),
    ("合同已经签了", "won"), ("明远教育签了", "won"), ("华康中标了", "won"), ("PO下来了", "won"), ("八十万拿下", "won"),
    ("Initech signed!!", "won"), ("PO received for $640k", "won"), ("closed at $92k", "won"), ("closed won", "won"),
    ("we won it", "won"), ("蓝鲸的deal今天close了", "won"),
    ("这单丢了", "lost"), ("被华为拿走了", "lost"), ("我们没中标", "lost"), ("选了别家", "lost"), ("项目取消", "lost"),
    ("lost Northwind", "lost"), ("they went with Salesforce", "lost"), ("they're cancelling the project", "lost"),
    ("那单黄了", "lost"), ("输给了浪潮", "lost"), ("瑞丰那单凉了", "lost"),
    ("价格基本谈妥", "negotiation"), ("准备签合同了", "negotiation"), ("马上就要签约", "negotiation"),
    ("这单卡在法务那边了", "negotiation"), ("合同条款还在审", "negotiation"), ("合同已经盖章寄回来了", "won"),
    ("Initech PO came through this morning", "won"), ("they're going with us!", "won"),
    ("蓝海数据新开了一个商机", "prospect"),
])
def test_stage_cues(text, stage):
    assert stages(text)[-1] == stage


@pytest.mark.parametrize("text", [
    "预计成交日期12月20号", "预计下个月签约", "还没签", "签了保密协议", "签了验收单", "we won't sign", "expected to sign in May",
    "which accounts closed the most", "会议取消了", "pen test report", "close date moved", "比较关注实时同步",
])
def test_what_is_not_a_stage_change(text):
    assert stages(text) == []


@pytest.mark.parametrize("text, channel", [
    ("上门拜访", "onsite"), ("去了趟天衡", "onsite"), ("跑了一趟", "onsite"), ("在蓝鲸见了陈经理", "onsite"), ("开了个会", "onsite"),
    ("visited Acme", "onsite"), ("met Ken at their office", "onsite"), ("had lunch with Ken", "onsite"),
    ("电话里说", "phone"), ("来电话", "phone"), ("Hank called", "phone"), ("two calls today", "phone"), ("on the phone", "phone"),
    ("开了视频会", "video"), ("腾讯会议", "video"), ("zoom w/ John", "video"), ("a Teams call", "video"),
    ("dialed in on a video call", "video"), ("微信上问", "message"), ("pinged me on WeChat", "message"), ("texted me", "message"),
    ("发了邮件", "email"), ("confirmed by email", "email"), ("emailed Mary", "email"),
    ("在工博会碰到", "event"), ("在能源展上碰到", "event"), ("at the aviation expo", "event"), ("cloud summit", "event"),
    ("met Sam at the expo", "event"), ("a conference call", "phone"), ("在教育装备展碰到", "event"),
    ("在她办公室聊了一个小时", "onsite"), ("去北辰做了POC演示", "onsite"),
])
def test_channels(text, channel):
    low = text.lower()
    assert channel_in(low, 0, len(low)) == channel


@pytest.mark.parametrize("text", ["进展不错", "发展很快", "好消息", "聊了几句", "budget approved", "在展示我们的方案",
                                  "去年做过一期"])
def test_no_channel(text):
    assert channel_in(text.lower(), 0, len(text)) is None
