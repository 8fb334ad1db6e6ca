"""What the bot says unasked: reminders, the morning brief, nudges, the weekly digest, the data
star, in zh and en. `pt(lang, key, **params)` formats one. Facts first, short lines: read on a
phone between meetings."""
from __future__ import annotations

from prompts.ui import lang_of, say

PROACTIVE: dict[str, dict[str, str]] = {
    # reminders
    "reminder": {"zh": "⏰ 提醒：{text}", "en": "⏰ Reminder: {text}"},
    "reminder_next_step": {"zh": "⏰ 下一步：{text}", "en": "⏰ Next step: {text}"},
    "reminder_account": {"zh": "客户：{account}", "en": "Account: {account}"},
    "reminder_late": {"zh": "（原定 {due}）", "en": "(was due {due})"},
    "btn_done": {"zh": "✅ 完成", "en": "✅ Done"},
    "btn_snooze": {"zh": "⏰ 1小时后", "en": "⏰ Snooze 1h"},
    "btn_tomorrow": {"zh": "📅 明天", "en": "📅 Tomorrow"},
    # the 🔕 button under generated messages
    "btn_off": {"zh": "🔕 不再接收这类消息", "en": "🔕 Stop these messages"},
    "turned_off": {"zh": "🔕 已关闭「{kind}」。发送 /notify on {code} 可重新打开。",
                   "en": "🔕 {kind} switched off. Send /notify on {code} to turn it back on."},
    # morning brief
    "brief_title": {"zh": "☀️ 早上好，{name}！今天 {day}", "en": "☀️ Good morning, {name}! Today, {day}"},
    "brief_reminders": {"zh": "⏰ 今天的提醒（{n}）：", "en": "⏰ Today's reminders ({n}):"},
    "brief_overdue": {"zh": "⌛ 逾期未完成（{n}）：", "en": "⌛ Overdue ({n}):"},
    "brief_deals": {"zh": "⚠️ 需要跟进的商机（{n}）：", "en": "⚠️ Deals that need action ({n}):"},
    "brief_advice": {"zh": "💡 {account}：{step} {cites}", "en": "💡 {account}: {step} {cites}"},
    "brief_quotes": {"zh": "🧾 等待审批的报价（{n}）：", "en": "🧾 Your quotes awaiting approval ({n}):"},
    "why_stale": {"zh": "{days} 天没有更新", "en": "no update in {days} days"},
    "why_close_passed": {"zh": "预计成交日 {day} 已过", "en": "close date {day} passed"},
    "why_close_soon": {"zh": "{day} 预计成交", "en": "closes {day}"},
    "why_incomplete": {"zh": "缺{missing}", "en": "missing {missing}"},
    "field_amount": {"zh": "金额", "en": "amount"},
    "field_expected_close": {"zh": "预计成交日期", "en": "close date"},
    # stale deals
    "stale_title": {"zh": "🕸 这些商机 {days} 天以上没有更新：", "en": "🕸 No update in {days}+ days:"},
    "stale_item": {"zh": "• {account} {deal}（{stage}）· 上次 {last}，{idle} 天",
                   "en": "• {account} {deal} ({stage}) · last {last}, {idle} days"},
    "stale_hint": {"zh": "回复最新进展即可更新，例如「{account}进入谈判」。",
                   "en": "Reply with the latest, e.g. \"{account} moved to negotiation\"."},
    # approvals
    "approval_nudge": {"zh": "🧾 报价 #{quote_id} 已等你审批 {hours} 小时", "en": "🧾 Quote #{quote_id} has waited {hours} h for your approval"},
    "approval_escalation": {"zh": "⏫ 报价 #{quote_id} 已等待 {days} 天仍未审批（审批人：{approvers}）",
                            "en": "⏫ Quote #{quote_id} has waited {days} days without a decision (approver: {approvers})"},
    "approval_requester": {"zh": "申请人：{name}", "en": "Requested by {name}"},
    # weekly digest
    "digest_title": {"zh": "📊 团队周报 {start} ~ {end}", "en": "📊 Team week {start} – {end}"},
    "digest_activity": {"zh": "拜访 {visits} 次 · 新商机 {new_deals} · 阶段推进 {moves}",
                        "en": "{visits} visits · {new_deals} new deals · {moves} stage moves"},
    "digest_closed": {"zh": "成交 {won} · 流失 {lost}", "en": "Won {won} · lost {lost}"},
    "digest_closed_amount": {"zh": "成交 {won}（{total}）· 流失 {lost}", "en": "Won {won} ({total}) · lost {lost}"},
    "digest_quarter": {"zh": "本季度：赢单率 {win_rate} · 平均周期 {cycle} · 平均成交额 {size}",
                       "en": "This quarter: win rate {win_rate} · avg cycle {cycle} · avg deal {size}"},
    "digest_forecast": {"zh": "加权预测 {weighted}（{n} 个商机预计本季度成交）· 已成交 {won}",
                        "en": "Weighted forecast {weighted} ({n} deals expected this quarter) · won {won}"},
    "digest_days": {"zh": "{n} 天", "en": "{n} days"},
    "digest_approvals": {"zh": "🧾 待审批 {n}：{items}", "en": "🧾 {n} pending approvals: {items}"},
    "digest_no_approvals": {"zh": "🧾 没有待审批的报价", "en": "🧾 No quotes waiting"},
    "digest_approval_item": {"zh": "#{id} {account} {days}天", "en": "#{id} {account} {days}d"},
    "digest_health": {"zh": "🩺 数据健康度 {score}/100", "en": "🩺 Data health {score}/100"},
    "digest_top": {"zh": "🏆 活跃客户：{items}", "en": "🏆 Most active: {items}"},
    "digest_top_item": {"zh": "{account} {visits}次", "en": "{account} {visits}"},
    "digest_approval_timing": {"zh": "⏱ 近4周审批用时：中位 {median} 小时 · P90 {p90} 小时（{n} 单）；最慢 {slowest}",
                               "en": "⏱ Approvals, last 4 weeks: median {median} h · p90 {p90} h ({n}); slowest {slowest}"},
    "digest_slowest": {"zh": "折扣 {band} 中位 {hours} 小时", "en": "discount {band} at {hours} h median"},
    "digest_potential": {"zh": "🎯 高潜客户（🆕 本周新进前十）：{items}",
                         "en": "🎯 High potential (🆕 new to the top ten): {items}"},
    "digest_potential_item": {"zh": "{account} {score}分（{why}）", "en": "{account} {score} ({why})"},
    "value_title": {"zh": "📑 {quarter} 销售管理系统价值报告", "en": "📑 {quarter} sales system value report"},
    "value_line": {"zh": "• {label}：{value}（上季度 {previous}，{change}）", "en": "• {label}: {value} (previous {previous}, {change})"},
    "value_forecast": {"zh": "• 季初预测 {forecast}，实际 {actual}（误差 {error}）",
                       "en": "• Forecast at the start {forecast}, actual {actual} (error {error})"},
    "value_never_used": {"zh": "• 从未使用的功能：{items}", "en": "• Features never used: {items}"},
    "value_full": {"zh": "完整报告（PDF）：salesbot report value --quarter {quarter} -o value.pdf",
                   "en": "Full report (PDF): salesbot report value --quarter {quarter} --lang en -o value.pdf"},
    "digest_trend_title": {"zh": "📈 近 {n} 周趋势", "en": "📈 Last {n} weeks"},
    # charts
    "chart_funnel": {"zh": "销售漏斗（本季度）", "en": "Sales funnel (this quarter)"},
    "chart_trend": {"zh": "每周趋势", "en": "Weekly trend"},
    "series_visits": {"zh": "拜访", "en": "Visits"},
    "series_new_deals": {"zh": "新商机", "en": "New deals"},
    "series_won": {"zh": "成交", "en": "Won"},
    "col_stage": {"zh": "阶段", "en": "Stage"},
    "col_deals": {"zh": "商机", "en": "Deals"},
    "col_amount": {"zh": "金额", "en": "Amount"},
    "col_week": {"zh": "周", "en": "Week"},
    # data star
    "star_title": {"zh": "⭐ {month}数据之星：{name}（完整度 {pct}，{checked} 项）",
                   "en": "⭐ Data star of {month}: {name} ({pct} complete, {checked} records)"},
    "star_item": {"zh": "{rank}. {name} {pct}（{complete}/{checked}）", "en": "{rank}. {name} {pct} ({complete}/{checked})"},
    # /notify
    "notify_status": {"zh": "🔔 通知设置\n开启：{on}\n关闭：{off}\n免打扰：{quiet}\n早报时间：{brief_at}\n用法：/notify off digest · /notify on digest · /notify quiet 22:00-08:00 · /notify quiet off",
                      "en": "🔔 Notifications\nOn: {on}\nOff: {off}\nQuiet hours: {quiet}\nMorning brief at: {brief_at}\nUse: /notify off digest · /notify on digest · /notify quiet 22:00-08:00 · /notify quiet off"},
    "notify_bad": {"zh": "没看懂这个设置：{error}", "en": "I couldn't apply that: {error}"},
    "none": {"zh": "无", "en": "none"},
}

KIND_NAMES: dict[str, dict[str, str]] = {
    "next_step_reminders": {"zh": "拜访下一步提醒", "en": "next-step reminders"},
    "stale_deals": {"zh": "停滞商机提醒", "en": "stale-deal nudges"},
    "approval_nudges": {"zh": "审批催办", "en": "approval nudges"},
    "morning_brief": {"zh": "每日早报", "en": "morning brief"},
    "weekly_digest": {"zh": "团队周报", "en": "weekly digest"},
    "data_star": {"zh": "月度数据之星", "en": "monthly data star"},
    "value_report": {"zh": "季度价值报告", "en": "quarterly value report"},
}


def pt(lang: str | None, key: str, **params) -> str:
    return say(PROACTIVE, key, lang, **params)


def kind_name(lang: str | None, kind: str) -> str:
    return KIND_NAMES.get(kind, {}).get(lang_of(lang), kind)
