"""User-facing strings of the conversation loop, in zh and en.

`t(lang, key, **params)` formats one. Keep every message short and facts-first: it is read on a
phone. Tool errors live in `prompts/errors.py`; tool results are rendered in `bot/render_results.py`.
"""
from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "card_title": {"zh": "📋 确认写入（{n} 项）", "en": "📋 Confirm ({n} item{plural})"},
    "card_heard": {"zh": "🎙 听到：{transcript}", "en": "🎙 Heard: {transcript}"},
    "card_footer": {"zh": "回复 1 确认 / 2 修改 / 3 取消", "en": "Reply 1 confirm / 2 edit / 3 cancel"},
    "btn_confirm": {"zh": "✅ 确认", "en": "✅ Confirm"},
    "btn_edit": {"zh": "✏️ 修改", "en": "✏️ Edit"},
    "btn_cancel": {"zh": "✖️ 取消", "en": "✖️ Cancel"},
    "btn_approve": {"zh": "✅ 同意", "en": "✅ Approve"},
    "btn_merge_pair": {"zh": "🔗 合并 {first} + {second}", "en": "🔗 Merge {first} + {second}"},
    "btn_reject": {"zh": "❌ 驳回", "en": "❌ Reject"},
    "confirmed": {"zh": "✅ 已保存", "en": "✅ Saved"},
    "cancelled": {"zh": "已取消，没有写入任何内容。", "en": "Cancelled. Nothing was saved."},
    "edit_prompt": {"zh": "请直接回复要改的内容，例如「金额改成90万」「改成下周四」。",
                    "en": "Reply with the change, e.g. \"amount 900k\" or \"next Thursday instead\"."},
    "edit_no_change": {"zh": "没看出要改什么。请说明要改的内容，或回复 1 确认 / 3 取消。",
                       "en": "I couldn't tell what to change. Say what to change, or reply 1 to confirm / 3 to cancel."},
    "edit_kept": {"zh": "这个修改没有生效：{reason}\n卡片保持原样，可以再改，或回复 1 确认 / 3 取消。",
                  "en": "That change was not made: {reason}\nThe card is unchanged: change something else, or reply 1 to confirm / 3 to cancel."},
    "ask_alternatives": {"zh": "你是想：", "en": "Did you mean:"},
    "btn_none_of_these": {"zh": "都不是", "en": "None of these"},
    "alternatives_none": {"zh": "好的，没有做任何事。请换个说法再说一遍。",
                          "en": "OK, nothing done. Please say it another way."},
    "draft_stale": {"zh": "这张卡片已经处理过或已过期，没有做任何修改。",
                    "en": "That card was already handled or has expired; nothing changed."},
    "draft_already_saved": {"zh": "这张卡片已经保存过了，没有重复写入。已保存的是：",
                            "en": "This card was already saved; nothing was written twice. What was saved:"},
    "draft_not_yours": {"zh": "这张卡片不是你的，没有做任何修改。",
                        "en": "That card belongs to someone else; nothing changed."},
    "nothing_pending": {"zh": "没有待确认的内容。", "en": "There is nothing waiting for confirmation."},
    "ask_missing": {"zh": "还缺少「{field}」：{hint}", "en": "Missing {field}: {hint}"},
    "ask_ambiguous": {"zh": "「{mention}」指的是哪一个？回复序号：", "en": "Which \"{mention}\" do you mean? Reply with a number:"},
    "answer_not_understood": {"zh": "没听懂这个回答。{question}", "en": "I didn't get that answer. {question}"},
    "empty_message": {"zh": "消息是空的。请用一句话描述拜访、商机或提醒。",
                      "en": "That message was empty. Describe a visit, a deal update or a reminder in one sentence."},
    "too_long": {"zh": "消息太长（{n} 字，上限 {limit}）。请分几条发送。",
                 "en": "That message is too long ({n} characters, limit {limit}). Please split it."},
    "unreadable": {"zh": "这条消息里没有可读的文字。", "en": "I couldn't find readable text in that message."},
    "not_understood": {"zh": "没听懂。可以这样说：\n• 今天拜访了蓝鲸李总，进入谈判，下周三跟进\n• 提醒我明天下午3点给青松回电话\n• 本周团队最活跃的客户",
                       "en": "I didn't understand. Try:\n• visited Acme today, met John, moving to negotiation\n• remind me tomorrow 3pm to call Rachel\n• top accounts this week"},
    "help": {"zh": "我是 Salesbot，销售助理。直接说：\n• 记拜访：「今天拜访了蓝鲸李总，聊了扩容方案」\n• 更新商机：「北辰进入谈判，金额120万」\n• 报价审批：「给青松报价50万，九折」\n• 提醒：「周五下午3点提醒我回电话」\n• 查询：「本周团队最活跃的客户」「本季度pipeline」「我的提醒」\n写入前都会先给你确认。",
             "en": "I'm Salesbot, your sales assistant. Just say:\n• log a visit: \"visited Acme today, met John about the rollout\"\n• update a deal: \"Globex moved to negotiation, $500k\"\n• request a quote: \"quote for Initech $90k, 10% off\"\n• reminders: \"remind me friday 3pm to call Ken\"\n• ask: \"top accounts this week\", \"pipeline this quarter\", \"my reminders\"\nI always ask before saving anything."},
    "thanks": {"zh": "不客气 👍", "en": "You're welcome 👍"},
    "greeting": {"zh": "你好！有什么要记录或查询的？", "en": "Hi! What would you like to log or look up?"},
    "not_linked": {"zh": "你还没有绑定 Salesbot 账号。请向管理员要邀请码，然后发送 /start 邀请码。",
                   "en": "You're not linked to a Salesbot user yet. Ask your admin for an invite code and send /start CODE."},
    "link_ok": {"zh": "绑定成功，{name}！发送 /help 看看我能做什么。", "en": "Linked. Welcome, {name}! Send /help to see what I can do."},
    "link_bad_code": {"zh": "邀请码无效或已过期，请向管理员要一个新的。", "en": "That invite code is invalid or expired. Ask your admin for a new one."},
    "link_already": {"zh": "这个账号已经绑定为 {name}。", "en": "This account is already linked as {name}."},
    "voice_disabled": {"zh": "暂未开启语音识别，请发送文字。", "en": "Voice notes are not enabled yet; please type your message."},
    "working": {"zh": "⏳ 处理中…", "en": "⏳ Working on it…"},
    "contract_which_account": {"zh": "合同双方（{parties}）都不是你名下的客户。", "en": "Neither party of the contract ({parties}) is one of your accounts."},
    "contract_which_deal": {"zh": "要关联的商机", "en": "the deal to close"},
    "contract_already_filed": {"zh": "这份合同 {day} 已归档在 {account}「{opportunity}」，没有重复保存。",
                               "en": "This contract was filed on {day} with {account} · {opportunity}; nothing was saved twice."},
    "contract_reading": {"zh": "⏳ 正在识别合同…", "en": "⏳ Reading the contract…"},
    "contract_unsupported": {"zh": "「{name}」不是图片或 PDF，没有保存。请发送合同的照片或 PDF。",
                             "en": "{name} is not an image or a PDF; nothing was kept. Send photos or a PDF of the contract."},
    "contract_corrupt": {"zh": "「{name}」已损坏，无法打开，没有保存。请重新拍照或导出后再发。",
                         "en": "{name} is damaged and cannot be opened; nothing was kept. Take the photo or export the file again."},
    "contract_too_large": {"zh": "「{name}」太大（{mb} MB，上限 {limit} MB），没有保存。请压缩后再发。",
                           "en": "{name} is too large ({mb} MB, limit {limit} MB); nothing was kept. Send a smaller file."},
    "contract_empty": {"zh": "「{name}」是空的，没有保存。", "en": "{name} is empty; nothing was kept."},
    "contract_not_found": {"zh": "没有在图片里找到合同（没有读出合同编号、甲乙方或金额），没有保存。请对准合同首页和金额页，拍清楚后再发。",
                           "en": "I found no contract in that picture (no contract number, party or amount could be read); nothing was kept. Photograph the first page and the page with the total, in focus."},
    "apology": {"zh": "抱歉，出了点问题，没有写入任何内容。错误编号：{error_id}", "en": "Sorry, something went wrong and nothing was saved. Error id: {error_id}"},
    "partial_engine": {"zh": "（{engine} 引擎解析）", "en": "({engine} engine)"},
    "rate_limited": {"zh": "消息太频繁了，请稍后再试。", "en": "Too many messages; please wait a moment."},
    "approval_request": {"zh": "🧾 报价待审批 #{quote_id}\n{account} · {amount} · 折扣 {discount}%\n申请人：{requester}{product}",
                         "en": "🧾 Quote #{quote_id} needs approval\n{account} · {amount} · {discount}% off\nRequested by {requester}{product}"},
    "ask_reject_reason": {"zh": "请回复驳回 #{quote_id} 的原因：", "en": "Reply with the reason for rejecting #{quote_id}:"},
}

_FIELD_NAMES = {
    "zh": {"amount": "金额", "account": "客户", "due_at": "时间", "text": "提醒内容", "quote_id": "报价编号",
           "to_user": "接手人", "from_user": "原负责人", "comment": "原因",
           "signed_on": "签署日期"},
    "en": {"amount": "amount", "account": "account", "due_at": "time", "text": "what to remind",
           "quote_id": "quote number", "to_user": "receiving rep", "from_user": "current owner", "comment": "reason",
           "signed_on": "signing date"},
}
_FIELD_HINTS = {
    "zh": {"amount": "请回复金额，如「80万」", "account": "请回复客户名称", "due_at": "请回复时间，如「周五下午3点」",
           "text": "请回复要提醒的事", "comment": "请回复原因",
           "signed_on": "请回复合同上的签署日期，如「2026-12-01」"},
    "en": {"amount": "reply with the amount, e.g. \"80k\"", "account": "reply with the account name",
           "due_at": "reply with a time, e.g. \"friday 3pm\"", "text": "reply with what to remind you of",
           "comment": "reply with the reason", "signed_on": "reply with the date on the contract, e.g. \"2026-12-01\""},
}


def lang_of(lang: str | None) -> str:
    return "en" if (lang or "").lower().startswith("en") else "zh"


def say(table: dict[str, dict[str, str]], key: str, lang: str | None, **params) -> str:
    """`table[key]` in the user's language, formatted; every prompts/ message table uses this."""
    text = table[key][lang_of(lang)]
    return text.format(**params) if params else text


def t(lang: str | None, key: str, **params) -> str:
    return say(MESSAGES, key, lang, **params)


def field_name(lang: str | None, field: str) -> str:
    return _FIELD_NAMES[lang_of(lang)].get(field, field)


def field_hint(lang: str | None, field: str) -> str:
    return _FIELD_HINTS[lang_of(lang)].get(field, "")
