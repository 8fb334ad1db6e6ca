"""Tool results, pending calls and notices as short text, zh or en, readable on a phone at a glance.

Facts first: the customer, the numbers, the dates; the sentence around them is as short as it can
be. Money keeps its currency (¥800,000, $250,000); a date is MM-DD when it falls in the current
year and YYYY-MM-DD otherwise. "Current" is the user's local date: `today=` when the caller knows
it, else the `as_of` a tool stamps on its result; with neither, dates are written in full.

One renderer per tool, a generic fallback for anything else. Results are the JSON-ready data
described in `tools/values.py`.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from bot.render_analytics import account_potential_text, sales_forecast_text
from bot.render_leads import describe_lead_call, lead_notice, lead_result
from tools.base import Notice, ToolCall, ToolResult

SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "JPY": "JP¥", "HKD": "HK$"}
STAGES = {
    "zh": {"prospect": "潜在", "evaluation": "评估", "negotiation": "谈判", "won": "成交", "lost": "流失"},
    "en": {"prospect": "prospect", "evaluation": "evaluation", "negotiation": "negotiation",
           "won": "won", "lost": "lost"},
}
CHANNELS = {
    "zh": {"onsite": "上门", "phone": "电话", "video": "视频会", "message": "微信", "email": "邮件",
           "event": "展会"},
    "en": {"onsite": "on site", "phone": "call", "video": "video call", "message": "chat",
           "email": "email", "event": "event"},
}
PERIODS = {
    "zh": {"today": "今天", "this_week": "本周", "last_week": "上周", "next_week": "下周",
           "this_month": "本月", "last_month": "上月", "this_quarter": "本季度",
           "last_quarter": "上季度", "this_year": "今年"},
    "en": {"today": "today", "this_week": "this week", "last_week": "last week",
           "next_week": "next week", "this_month": "this month", "last_month": "last month",
           "this_quarter": "this quarter", "last_quarter": "last quarter", "this_year": "this year"},
}


class Fmt:
    """Formatting in one language, relative to one 'today'."""

    def __init__(self, lang: str | None, today: date | None) -> None:
        self.lang = "en" if (lang or "").lower().startswith("en") else "zh"
        self.today = today
        self.zh = self.lang == "zh"

    def s(self, zh: str, en: str) -> str:
        return zh if self.zh else en

    @property
    def sep(self) -> str:
        return "、" if self.zh else ", "

    def money(self, value: dict[str, Any] | None) -> str:
        if not value:
            return "—"
        try:
            amount = Decimal(str(value.get("amount")))
        except (InvalidOperation, TypeError):
            return str(value.get("amount"))
        currency = str(value.get("currency") or "")
        text = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
        symbol = SYMBOLS.get(currency)
        return f"{symbol}{text}" if symbol else f"{currency} {text}".strip()

    def money_list(self, values: list[dict[str, Any]] | None) -> str:
        return " + ".join(self.money(v) for v in values) if values else "0"

    def day(self, value: str | date | None) -> str:
        if not value:
            return "—"
        try:
            parsed = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
        if self.today is not None and parsed.year == self.today.year:
            return parsed.strftime("%m-%d")
        return parsed.isoformat()

    def moment(self, value: str | None) -> str:
        if not value:
            return "—"
        try:
            parsed = datetime.fromisoformat(str(value))
        except ValueError:
            return str(value)
        return f"{self.day(parsed.date())} {parsed:%H:%M}"

    def stage(self, value: str | None) -> str:
        return STAGES[self.lang].get(value or "", value or "—")

    def channel(self, value: str | None) -> str:
        return CHANNELS[self.lang].get(value or "", value or "")

    def period(self, value: str | None) -> str:
        return PERIODS[self.lang].get(value or "", value or "")

    def name(self, ref: dict[str, Any] | None) -> str:
        return str(ref.get("name")) if ref else "—"

    def pct(self, rate: float | None) -> str:
        return "—" if rate is None else f"{rate * 100:.0f}%"


def _today(data: dict[str, Any], today: date | None) -> date | None:
    if today is not None:
        return today
    try:
        return date.fromisoformat(str(data.get("as_of")))
    except (TypeError, ValueError):
        return None


# --- results ----------------------------------------------------------------------------------


def render_result(result: ToolResult, lang: str, *, today: date | None = None) -> str:
    """A finished call's result as a few short lines."""
    f = Fmt(lang, _today(result.data, today))
    renderer = RESULT_RENDERERS.get(result.tool, _generic)
    return renderer(result.data, f)


def _visit(d: dict[str, Any], f: Fmt) -> str:
    line = f"📝 {f.s('已记录拜访', 'Visit logged')} {_visit_line(d, f)}"
    lines = [line]
    if d.get("next_step"):
        lines.append(f"{f.s('下一步：', 'Next: ')}{d['next_step']}")
    lines += _created_lines(d, f)
    return "\n".join(lines)


def _visit_line(d: dict[str, Any], f: Fmt) -> str:
    people = [c["name"] if isinstance(c, dict) else str(c) for c in d.get("contacts") or []]
    parts = [f.name(d.get("account")) if isinstance(d.get("account"), dict) else str(d.get("account") or "—")]
    if people:
        parts.append(f.sep.join(people))
    when = f.day(d.get("occurred_on")) if d.get("occurred_on") else f.s("今天", "today")
    channel = f.channel(d.get("channel"))
    parts.append(f"{when} {channel}".strip())
    return " · ".join(parts)


def _created_lines(d: dict[str, Any], f: Fmt) -> list[str]:
    lines = []
    if d.get("created_account"):
        lines.append(f"➕ {f.s('新客户：', 'New account: ')}{f.name(d.get('account'))}")
    if d.get("created_contacts"):
        lines.append(f"➕ {f.s('新联系人：', 'New contact: ')}{f.sep.join(d['created_contacts'])}")
    if d.get("created_opportunity"):
        lines.append(f"➕ {f.s('新商机：', 'New deal: ')}{f.name(d.get('opportunity'))}")
    if d.get("next_step_reminder"):
        due = f.moment(d["next_step_reminder"].get("due_at"))
        account = f" · {f.name(d['account'])}" if isinstance(d.get("account"), dict) else ""
        lines.append(f"⏰ {f.s('提醒', 'Reminder')} {due}{f.s('：', ': ')}{d.get('next_step') or ''}{account}")
    return lines


def _deal_change(d: dict[str, Any], f: Fmt) -> str:
    deal = d.get("opportunity") or {}
    changes = d.get("changes") or {}
    parts = []
    if "stage" in changes:
        parts.append(f"{f.stage(changes['stage']['before'])} → {f.stage(changes['stage']['after'])}")
    else:
        parts.append(f.stage(deal.get("stage")))
    if "amount" in changes or "currency" in changes:
        parts.append(f.money(deal.get("amount")))
    if "currency" in changes:  # never silently: the card says the deal changes currency
        parts.append(f"{f.s('币种', 'currency')} {changes['currency']['before']} → {changes['currency']['after']}")
    if "expected_close" in changes:
        parts.append(f"{f.s('预计', 'close')} {f.day(changes['expected_close']['after'])}")
    if "closed_on" in changes and changes["closed_on"]["after"]:
        parts.append(f"{f.s('关闭于', 'closed')} {f.day(changes['closed_on']['after'])}")
    if "lost_reason" in changes:
        parts.append(f"{f.s('原因：', 'reason: ')}{changes['lost_reason']['after']}")
    if "competitor" in changes:
        parts.append(f"{f.s('竞品：', 'competitor: ')}{changes['competitor']['after']}")
    account, name = f.name(d.get("account")), deal.get("name") or ""
    head = f"💼 {name}" if name.startswith(account) else f"💼 {account} {name}".rstrip()  # 「蓝鲸数据 商机」 once
    return f"{head}: " + ", ".join(p for p in parts if p)


def _opportunity(d: dict[str, Any], f: Fmt) -> str:
    lines = [_deal_change(d, f)]
    if d.get("stage_backwards"):
        lines.append(f"↩️ {f.s('阶段回退已记录', 'Stage moved back; recorded')}")
    lines += _created_lines(d, f)
    return "\n".join(lines)


def _quote_line(q: dict[str, Any], f: Fmt) -> str:
    parts = [f"#{q.get('id')}", f.name(q.get("account")), f.money(q.get("amount"))]
    if q.get("discount_pct") not in (None, "0"):
        parts.append(f.s(f"折扣 {q['discount_pct']}%", f"{q['discount_pct']}% off"))
    if q.get("product"):
        parts.append(str(q["product"]))
    return " · ".join(parts)


def _create_quote(d: dict[str, Any], f: Fmt) -> str:
    q = d.get("quote") or {}
    approvers = f.sep.join(a["name"] for a in d.get("approvers") or [])
    wait = (f.s(f"等待 {approvers} 审批", f"waiting for {approvers}") if approvers
            else f.s("暂无可审批的人，请联系管理员", "no approver yet; ask an admin"))
    return f"🧾 {f.s('报价已提交', 'Quote requested')} {_quote_line(q, f)}{_quote_deal(d, f)}\n{wait}"


def _quote_deal(d: dict[str, Any], f: Fmt) -> str:
    deal = d.get("opportunity")
    return f" · {f.s('商机：', 'deal: ')}{f.name(deal)}" if deal else ""


def _decision(d: dict[str, Any], f: Fmt) -> str:
    q = d.get("quote") or {}
    approved = d.get("decision") == "approved"
    head = (f"✅ {f.s('已批准', 'Approved')}" if approved else f"❌ {f.s('已驳回', 'Rejected')}")
    lines = [f"{head} {_quote_line(q, f)}"]
    if d.get("comment"):
        lines.append(f"{f.s('意见：', 'Comment: ')}{d['comment']}")
    if d.get("requester"):
        lines.append(f.s(f"已通知 {f.name(d['requester'])}", f"{f.name(d['requester'])} has been told"))
    return "\n".join(lines)


def _create_reminder(d: dict[str, Any], f: Fmt) -> str:
    tail = f" · {f.name(d['account'])}" if d.get("account") else ""
    return f"⏰ {f.s('提醒', 'Reminder')} {f.moment(d.get('due_at'))} · {d.get('text', '')}{tail}"


def _reminder_line(d: dict[str, Any], f: Fmt) -> str:
    tail = f" · {f.name(d['account'])}" if d.get("account") else ""
    return f"{f.moment(d.get('due_at'))} · {d.get('text', '')}{tail}"


def _complete_reminder(d: dict[str, Any], f: Fmt) -> str:
    return f"✅ {f.s('提醒已完成：', 'Reminder done: ')}{_reminder_line(d, f)}"


def _delete_reminder(d: dict[str, Any], f: Fmt) -> str:
    return f"🗑 {f.s('提醒已删除：', 'Reminder deleted: ')}{_reminder_line(d, f)}"


def _move_reminder(d: dict[str, Any], f: Fmt) -> str:
    was = f.s(f"（原 {f.moment(d.get('moved_from'))}）", f" (was {f.moment(d.get('moved_from'))})")
    return f"⏰ {f.s('提醒已改到 ', 'Reminder moved to ')}{_reminder_line(d, f)}{was}"


def _renamed(d: dict[str, Any]) -> str:
    """"old → new" of a rename tool's result."""
    change = (d.get("changes") or {}).get("name") or {}
    return f"{change.get('before', '—')} → {change.get('after', '—')}"


def _rename_opportunity(d: dict[str, Any], f: Fmt) -> str:
    return f"✏️ {f.s('商机已改名', 'Deal renamed')} {f.name(d.get('account'))}{f.s('：', ': ')}{_renamed(d)}"


def _rename_account(d: dict[str, Any], f: Fmt) -> str:
    return (f"✏️ {f.s('客户已改名', 'Account renamed')}{f.s('：', ': ')}{_renamed(d)}"
            f"{f.s('（旧名仍可用）', ' (the old name still works)')}")


def _weekly_report(d: dict[str, Any], f: Fmt) -> str:
    from bot.digest_text import digest_lines  # it formats with this module's Fmt

    lines = digest_lines(d, f.lang, f.today)
    if d.get("scope_narrowed"):
        lines[0] += _scope_note(d, f)
    return "\n".join(lines)


def _list_reminders(d: dict[str, Any], f: Fmt) -> str:
    items = d.get("reminders") or []
    scope = f.period(d.get("period")) if d.get("period") else ""
    if not items:
        return f"⏰ {scope}{f.s('没有待办提醒', 'No pending reminders')}".strip()
    lines = [f"⏰ {scope}{f.s('提醒', ' reminders' if scope else 'Reminders')}（{len(items)}）"
             if f.zh else f"⏰ {(scope.capitalize() + ' reminders') if scope else 'Reminders'} ({len(items)})"]
    for r in items:
        flag = f"⚠️{f.s('已过期', 'overdue')} " if r.get("overdue") else ""
        tail = f" · {f.name(r['account'])}" if r.get("account") else ""
        lines.append(f"• {flag}{f.moment(r.get('due_at'))} {r.get('text', '')}{tail}")
    return "\n".join(lines)


def _pending_approvals(d: dict[str, Any], f: Fmt) -> str:
    decide, mine = d.get("to_decide") or [], d.get("my_requests") or []
    if not decide and not mine:
        return f"🧾 {f.s('没有待审批的报价', 'No quotes waiting for a decision')}"
    lines = []
    if decide:
        lines.append(f"🧾 {f.s('待你审批', 'Waiting for you')}（{len(decide)}）" if f.zh
                     else f"🧾 Waiting for you ({len(decide)})")
        for q in decide:
            waited = f.s(f"等了 {q.get('waiting_days', 0)} 天", f"{q.get('waiting_days', 0)}d")
            lines.append(f"• {_quote_line(q, f)} · {f.name(q.get('requested_by'))} · {waited}")
    if mine:
        lines.append(f"📤 {f.s('你提交的，待审批', 'Your requests, pending')}（{len(mine)}）" if f.zh
                     else f"📤 Your requests, pending ({len(mine)})")
        for q in mine:
            lines.append(f"• {_quote_line(q, f)}")
    return "\n".join(lines)


def _scope_note(d: dict[str, Any], f: Fmt) -> str:
    if d.get("rep"):
        return f.s(f"（{f.name(d['rep'])}）", f" ({f.name(d['rep'])})")
    if d.get("scope_narrowed"):
        return f.s("（只看得到你自己的数据）", " (your own data only)")
    return f.s("（团队）", " (team)") if d.get("scope") == "team" else f.s("（我的）", " (mine)")


def _top_accounts(d: dict[str, Any], f: Fmt) -> str:
    metric = d.get("metric")
    titles = {"activity": f.s("最活跃客户", "most active accounts"),
              "pipeline": f.s("在谈金额最高的客户", "top accounts by open pipeline"),
              "won": f.s("成交最多的客户", "top accounts by won amount")}
    when = "" if metric == "pipeline" else f.period(d.get("period"))
    title = f"{when}{titles.get(metric, '')}" if f.zh else f"{titles.get(metric, '').capitalize()} {when}".strip()
    lines = [f"🏆 {title}{_scope_note(d, f)}"]
    items = d.get("items") or []
    if not items:
        lines.append(f.s("没有数据。", "Nothing to show."))
    for item in items:
        if metric == "activity":
            count = item.get("visits", 0)
            fact = f.s(f"{count} 次拜访", f"{count} visit{'' if count == 1 else 's'}")
        else:
            fact = f.money_list(item.get("totals"))
        owner = f" ({f.name(item.get('owner'))})" if item.get("owner") else ""
        lines.append(f"{item.get('rank')}. {f.name(item.get('account'))} · {fact}{owner}")
    return "\n".join(lines)


def _pipeline(d: dict[str, Any], f: Fmt) -> str:
    opened, won, lost = d.get("open") or {}, d.get("won") or {}, d.get("lost") or {}
    lines = [f"📊 {f.period(d.get('period'))} pipeline{_scope_note(d, f)}" if f.zh
             else f"📊 Pipeline {f.period(d.get('period'))}{_scope_note(d, f)}",
             f"{f.s('在谈', 'Open')}: {opened.get('count', 0)} · {f.money_list(opened.get('totals'))}"]
    for stage in d.get("stages") or []:
        lines.append(f"• {f.stage(stage['stage'])} {stage['count']} · {f.money_list(stage.get('totals'))}")
    lines.append(f"{f.s('成交', 'Won')} {won.get('count', 0)} · {f.money_list(won.get('totals'))}; "
                 f"{f.s('流失', 'lost')} {lost.get('count', 0)}; {f.s('赢率', 'win rate')} {f.pct(d.get('win_rate'))}")
    steps = [f"{f.stage(s['from'])}→{f.stage(s['to'])} {s['advanced']}/{s['entered']}"
             for s in d.get("stage_conversion") or [] if s.get("entered")]
    if steps:
        lines.append(f"{f.s('阶段转化', 'Stage conversion')}: " + ", ".join(steps))
    cycle = d.get("avg_cycle_days")
    size = d.get("avg_deal_size") or []
    facts = []
    if cycle is not None:
        facts.append(f.s(f"平均周期 {cycle:g} 天", f"avg cycle {cycle:g} days"))
    if size:
        facts.append(f"{f.s('平均单额', 'avg deal')} {f.money_list(size)}")
    if facts:
        lines.append("; ".join(facts))
    fc = d.get("forecast") or {}
    lines.append(f"{f.s('预测', 'Forecast')}: {f.money_list(fc.get('total'))} "
                 f"({f.s('已成交', 'won')} {f.money_list(fc.get('won'))} + "
                 f"{f.s('加权在谈', 'weighted open')} {f.money_list(fc.get('weighted_open'))})")
    if d.get("by_rep") is not None:
        lines.append(f.s("按人：", "By rep:"))
        for row in d["by_rep"] or []:
            opened, won = row.get("open") or {}, row.get("won") or {}
            lines.append(f"• {f.name(row.get('user'))}: {f.s('在谈', 'open')} {opened.get('count', 0)} · "
                         f"{f.money_list(opened.get('totals'))}; {f.s('成交', 'won')} {won.get('count', 0)}; "
                         f"{f.s('预测', 'forecast')} {f.money_list(row.get('forecast'))}")
    return "\n".join(lines)


def _account_overview(d: dict[str, Any], f: Fmt) -> str:
    acct = d.get("account") or {}
    head = [f"🏢 {acct.get('name', '—')}"] + [x for x in (acct.get("customer_code"), acct.get("industry"),
                                                           acct.get("region")) if x]
    if d.get("owner"):
        head.append(f"{f.s('负责人', 'owner')} {f.name(d['owner'])}")
    lines = [" · ".join(head)]
    contacts = [c["name"] + (f" ({c['title']})" if c.get("title") else "") for c in d.get("contacts") or []]
    if contacts:
        lines.append(f"{f.s('联系人：', 'Contacts: ')}{f.sep.join(contacts)}")
    for deal in d.get("open_deals") or []:
        close = f" · {f.s('预计', 'close')} {f.day(deal['expected_close'])}" if deal.get("expected_close") else ""
        lines.append(f"💼 {deal['name']} · {f.stage(deal['stage'])} · {f.money(deal.get('amount'))}{close}")
    visits = d.get("recent_visits") or []
    if visits:
        lines.append(f.s("最近拜访：", "Recent visits:"))
        for v in visits:
            who = f" {f.sep.join(v['contacts'])}" if v.get("contacts") else ""
            nxt = f" → {v['next_step']}" if v.get("next_step") else ""
            lines.append(f"• {f.day(v['occurred_on'])} {f.channel(v.get('channel'))}{who}: {v.get('summary') or '—'}{nxt}")
    for q in d.get("pending_quotes") or []:
        lines.append(f"🧾 {f.s('待审批', 'pending')} {_quote_line(q, f)}")
    for r in d.get("pending_reminders") or []:
        lines.append(f"⏰ {f.moment(r.get('due_at'))} {r.get('text', '')}")
    return "\n".join(lines)


def _data_health(d: dict[str, Any], f: Fmt) -> str:
    lines = [f"🩺 {f.s('数据健康度', 'Data health')} {d.get('score')}/100{_scope_note(d, f)}"]
    for rep in d.get("reps") or []:
        gaps = _gap_summary(rep.get("issues") or [], f)
        stale = f.s(f"{rep['stale']} 个停滞商机", f"{rep['stale']} stale deals") if rep.get("stale") else ""
        detail = f.sep.join(x for x in (gaps, stale) if x)
        name = f.name(rep.get("user")) if rep.get("user") else f.s("无负责人", "unowned")
        lines.append(f"• {name} {rep.get('score')}" + (f": {detail}" if detail else " ✓"))
    dups = d.get("duplicates") or []
    if dups:
        pairs = f.sep.join(" ↔ ".join(f.name(a) for a in dup["accounts"]) for dup in dups[:5])
        lines.append(f"{f.s('疑似重复：', 'Possible duplicates: ')}{pairs}")
    stale = d.get("stale_deals") or []
    if stale:
        items = f.sep.join(f"{f.name(s['account'])} {f.name(s['deal'])} {s['days_idle']}{f.s('天', 'd')}"
                           for s in stale[:5])
        lines.append(f"{f.s('停滞商机：', 'Stale deals: ')}{items}")
    cc = d.get("contract_compliance") or {}
    if cc.get("won"):
        line = f.s(f"📄 本季度合同合规率 {f.pct(cc.get('rate'))}（成交 {cc['won']} 单，附合同 {cc['with_contract']}，"
                   f"金额与报价一致 {cc['compliant']}）",
                   f"📄 Contract compliance this quarter {f.pct(cc.get('rate'))} ({cc['won']} won, "
                   f"{cc['with_contract']} with a contract, {cc['compliant']} matching the quote)")
        missing = cc.get("missing") or []
        if missing:
            line += f.s("；缺合同：", "; no contract: ") + f.sep.join(f.name(x) for x in missing[:5])
        lines.append(line)
    return "\n".join(lines)


def _gap_summary(issues: list[dict[str, Any]], f: Fmt) -> str:
    visits = sum(1 for i in issues if i["kind"] == "visit_without_contact")
    deals = sum(1 for i in issues if i["kind"] == "deal_incomplete")
    accounts = sum(1 for i in issues if i["kind"] == "account_incomplete")
    parts = []
    if visits:
        parts.append(f.s(f"{visits} 次拜访没写联系人", f"{visits} visits without a contact"))
    if deals:
        parts.append(f.s(f"{deals} 个商机缺金额或预计日期", f"{deals} deals missing amount/close date"))
    if accounts:
        parts.append(f.s(f"{accounts} 个客户缺行业", f"{accounts} accounts missing industry"))
    return f.sep.join(parts)


NEXT_STEP_TEXT: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    # kind: ((zh action, en action), (zh reason, en reason)); filled from the step's facts
    "chase_approval": (("催报价 #{quote_id}（{amount}）的审批", "Chase approval of quote #{quote_id} ({amount})"),
                       ("已等待 {waiting_days} 天", "waiting {waiting_days} days")),
    "close_date_passed": (("更新「{deal}」的预计成交日期，或确认签约", "Update the close date of {deal} or get it signed"),
                          ("预计 {expected_close} 成交，已过 {days_overdue} 天", "expected {expected_close}, {days_overdue} days ago")),
    "close_date_soon": (("确认「{deal}」的签约流程和决策人", "Confirm signing steps and signers for {deal}"),
                        ("{days_left} 天后（{expected_close}）预计成交", "expected to close in {days_left} days ({expected_close})")),
    "book_check_in": (("约一次回访，推进「{deal}」", "Book a check-in to move {deal} on"),
                      ("{stage}阶段，{since}", "{stage} stage, {since}")),
    "prepare_quote": (("为「{deal}」准备报价并提交审批", "Prepare a quote for {deal} and request approval"),
                      ("已进入谈判，还没有报价", "in negotiation with no quote yet")),
    "fill_gaps": (("补上「{deal}」的{missing}", "Fill in {missing} for {deal}"),
                  ("{stage}阶段的商机需要金额和预计成交日期", "{stage} deals need an amount and a close date")),
    "multi_thread": (("再接触一位相关决策人", "Meet another stakeholder"),
                     ("只见过 {contacts_met} 位联系人（CRM 里有 {contacts_known} 位）", "only {contacts_met} contact(s) met ({contacts_known} known)")),
    "keep_promise": (("兑现承诺：{next_step}", "Deliver what was promised: {next_step}"),
                     ("{agreed_on} 拜访时约定，还没有提醒", "agreed on {agreed_on}, no reminder set")),
    "qualify_opportunity": (("挖掘新需求，建立新商机", "Look for a new need and open a deal"),
                            ("没有进行中的商机（成交 {won}，流失 {lost}）", "no open deal ({won} won, {lost} lost)")),
    "schedule_touch": (("安排下一次联系", "Schedule the next touch"),
                       ("{since}", "{since}")),
}
ADVANCE_TEXT = {
    "prospect": ("安排需求调研或演示，推进到评估", "Run discovery or a demo to reach evaluation"),
    "evaluation": ("明确评估标准、预算和决策人，推进到谈判", "Agree success criteria, budget and signers to reach negotiation"),
    "negotiation": ("敲定条款和签约日期", "Settle terms and a signing date"),
}
LOSS_TEXT = {
    "budget": ("尽早确认预算归属和审批时间", "Confirm budget owner and timing early"),
    "price": ("先讲价值再谈价格，准备分阶段方案", "Lead with value; have a phased offer ready"),
    "timing": ("确认项目时间表和触发事件", "Pin down the project timeline and its trigger"),
    "competitor": ("准备与 {competitor} 的差异化说明", "Prepare a clear comparison with {competitor}"),
    "other": ("复盘上次丢单原因，提前化解", "Review why the last deal was lost and get ahead of it"),
}


def _since(days: int | None, f: Fmt) -> str:
    if days is None:
        return f.s("还没有拜访记录", "no visit logged yet")
    if days == 0:
        return f.s("今天刚联系过", "last touch today")
    return f.s(f"{days} 天没有拜访", f"{days} days since the last visit")


def next_step_line(step: dict[str, Any], f: Fmt) -> str:
    """One suggested step: the action, then why (from the facts)."""
    facts = dict(step.get("facts") or {})
    kind = step.get("kind", "")
    values: dict[str, Any] = {k: ("—" if v is None else v) for k, v in facts.items()}
    values["deal"] = f.name(step.get("deal")) if step.get("deal") else ""
    values["since"] = _since(facts.get("days_since_visit"), f)
    if "stage" in facts:
        values["stage"] = f.stage(facts["stage"])
    if "amount" in facts:
        values["amount"] = f.money(facts["amount"])
    for key in ("expected_close", "agreed_on"):
        if facts.get(key):
            values[key] = f.day(facts[key])
    if isinstance(facts.get("missing"), list):
        names = {"amount": f.s("金额", "the amount"), "expected_close": f.s("预计成交日期", "the close date")}
        values["missing"] = f.sep.join(names.get(m, m) for m in facts["missing"])
    if kind == "advance_stage":
        action = ADVANCE_TEXT.get(facts.get("stage", ""), ("推进到下一阶段", "Move to the next stage"))
        reason = (f"当前：{f.stage(facts.get('stage'))}", f"now: {f.stage(facts.get('stage'))}")
    elif kind == "learn_from_loss":
        action = LOSS_TEXT.get(facts.get("pattern", "other"), LOSS_TEXT["other"])
        reason = ("上次丢单：{lost_reason}" + ("（竞品 {competitor}）" if facts.get("competitor") else ""),
                  "last loss: {lost_reason}" + (" (to {competitor})" if facts.get("competitor") else ""))
    elif kind in NEXT_STEP_TEXT:
        action, reason = NEXT_STEP_TEXT[kind]
    else:
        return f"{kind}: {facts}"
    pick = 0 if f.zh else 1
    text = f"{action[pick]} — {reason[pick]}"
    return text.format_map(_Blank(values))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "—"


def _next_steps(d: dict[str, Any], f: Fmt) -> str:
    if d.get("answer"):  # from similar past deals (knowledge.suggest), already worded and cited
        return str(d["answer"])
    lines = [f"💡 {f.name(d.get('account'))} {f.s('下一步', 'next steps')}"]
    for i, step in enumerate(d.get("steps") or [], start=1):
        lines.append(f"{i}. {next_step_line(step, f)}")
    if d.get("index_note"):
        from prompts.knowledge import INDEX_NOTE, pick

        lines.append(pick(INDEX_NOTE[d["index_note"]], "zh" if f.zh else "en"))
    return "\n".join(lines)


def _reassign(d: dict[str, Any], f: Fmt) -> str:
    moved = d.get("moved") or {}
    head = f.s(
        f"🔁 已把 {f.name(d.get('from_user'))} 的 {moved.get('accounts', 0)} 个客户转给 {f.name(d.get('to_user'))}"
        f"（商机 {moved.get('deals', 0)}，提醒 {moved.get('reminders', 0)}）",
        f"🔁 Moved {moved.get('accounts', 0)} accounts from {f.name(d.get('from_user'))} to "
        f"{f.name(d.get('to_user'))} ({moved.get('deals', 0)} deals, {moved.get('reminders', 0)} reminders)")
    names = f.sep.join(f.name(b.get("account")) for b in d.get("accounts") or [])
    return f"{head}\n{names}" if names else head


def _merge(d: dict[str, Any], f: Fmt) -> str:
    from bot.render_merge import merge_result

    return merge_result(d, f)


def _unmerge(d: dict[str, Any], f: Fmt) -> str:
    from bot.render_merge import unmerge_result

    return unmerge_result(d, f)


def _generic(d: dict[str, Any], f: Fmt) -> str:
    facts = [f"{k}: {v}" for k, v in d.items() if isinstance(v, (str, int, float)) and k != "as_of"]
    return "✅ " + ("; ".join(facts[:6]) if facts else f.s("完成", "Done"))


LEAD_TOOLS = ("create_lead", "update_lead", "convert_lead")
LEAD_NOTICES = ("lead_assigned", "leads_assigned", "lead_nudge", "lead_overdue")

RESULT_RENDERERS: dict[str, Callable[[dict[str, Any], Fmt], str]] = {
    "log_visit": _visit,
    "update_opportunity": _opportunity,
    "create_quote": _create_quote,
    "approve_quote": _decision,
    "reject_quote": _decision,
    "create_reminder": _create_reminder,
    "list_reminders": _list_reminders,
    "list_pending_approvals": _pending_approvals,
    "top_accounts": _top_accounts,
    "pipeline_report": _pipeline,
    "account_overview": _account_overview,
    "data_health": _data_health,
    "suggest_next_steps": _next_steps,
    "reassign_accounts": _reassign,
    "sales_forecast": sales_forecast_text,
    "account_potential": account_potential_text,
    "complete_reminder": _complete_reminder,
    "delete_reminder": _delete_reminder,
    "move_reminder": _move_reminder,
    "rename_opportunity": _rename_opportunity,
    "rename_account": _rename_account,
    "weekly_report": _weekly_report,
    "merge_accounts": _merge,
    "unmerge_accounts": _unmerge,
    "file_contract": lambda d, f: _file_contract(d, f),
    "create_lead": lambda d, f: lead_result("create_lead", d, f),
    "update_lead": lambda d, f: lead_result("update_lead", d, f),
    "convert_lead": lambda d, f: lead_result("convert_lead", d, f),
}


# --- confirmation cards -----------------------------------------------------------------------


def describe_call(call: ToolCall, preview: ToolResult | None, lang: str, *,
                  today: date | None = None) -> str:
    """The card line(s) for a pending write: what will be saved, from the dry run's result when
    there is one (canonical names, "评估 → 谈判", a new account), else from the arguments."""
    data = preview.data if preview is not None else {}
    f = Fmt(lang, _today(data, today))
    args = call.args
    if call.name == "log_visit":
        d = data or {"account": {"name": args.get("account")}, "contacts": args.get("contacts") or [],
                     "occurred_on": args.get("occurred_on"), "channel": args.get("channel")}
        lines = [f"📝 {f.s('拜访', 'Visit')} {_visit_line(d, f)}"]
        summary = data.get("summary") or args.get("summary")
        if summary:
            lines[0] += f" — {summary}"
        return "\n".join(lines + _created_lines(data, f))
    if call.name == "update_opportunity":
        if data:
            lines = [_deal_change(data, f)]
            if data.get("stage_backwards"):
                lines[0] += f" ↩️{f.s('回退', 'back')}"
            return "\n".join(lines + _created_lines(data, f))
        parts = [f.stage(args.get("stage")) if args.get("stage") else "",
                 f.money({"amount": args["amount"], "currency": args.get("currency") or ""}) if args.get("amount") else ""]
        return f"💼 {args.get('account', '')} {args.get('opportunity', '')}".rstrip() + ": " + \
            ", ".join(p for p in parts if p)
    if call.name == "create_quote":
        if data:
            q = data.get("quote") or {}
            approvers = f.sep.join(a["name"] for a in data.get("approvers") or [])
            line = f"🧾 {f.s('报价', 'Quote')} {_quote_line(q, f).split(' · ', 1)[-1]}{_quote_deal(data, f)}"
            return line + (f" → {f.s('审批：', 'approver: ')}{approvers}" if approvers else "")
        money = f.money({"amount": args.get("amount"), "currency": args.get("currency") or ""})
        return f"🧾 {f.s('报价', 'Quote')} {args.get('account', '')} · {money}"
    if call.name in ("approve_quote", "reject_quote"):
        verb = f.s("批准", "Approve") if call.name == "approve_quote" else f.s("驳回", "Reject")
        icon = "✅" if call.name == "approve_quote" else "❌"
        target = _quote_line(data["quote"], f) if data.get("quote") else \
            (f"#{args['quote_id']}" if args.get("quote_id") else str(args.get("account", "")))
        comment = data.get("comment") or args.get("comment")
        return f"{icon} {verb} {target}" + (f" — {comment}" if comment else "")
    if call.name == "create_reminder":
        due = data.get("due_at") or args.get("due_at")
        account = f.name(data["account"]) if data.get("account") else args.get("account")
        return f"⏰ {f.moment(due)} · {data.get('text') or args.get('text', '')}" + (f" · {account}" if account else "")
    if call.name in ("complete_reminder", "delete_reminder", "move_reminder") and data:
        verb = {"complete_reminder": f"✅ {f.s('完成提醒', 'Mark done')}",
                "delete_reminder": f"🗑 {f.s('删除提醒', 'Delete reminder')}",
                "move_reminder": f"⏰ {f.s('改提醒', 'Move reminder')}"}[call.name]
        if call.name == "move_reminder":
            return f"{verb} {f.moment(data.get('moved_from'))} → {_reminder_line(data, f)}"
        return f"{verb} {_reminder_line(data, f)}"
    if call.name == "rename_opportunity" and data:
        return f"✏️ {f.s('商机改名', 'Rename deal')} {f.name(data.get('account'))}{f.s('：', ': ')}{_renamed(data)}"
    if call.name == "rename_account" and data:
        return f"✏️ {f.s('客户改名', 'Rename account')}{f.s('：', ': ')}{_renamed(data)}"
    if call.name in LEAD_TOOLS:
        return describe_lead_call(call.name, args, data, f)
    if call.name == "reassign_accounts":
        names = [f.name(b.get("account")) for b in data.get("accounts") or []]
        who = f"{f.name(data['from_user']) if data.get('from_user') else args.get('from_user')} → " \
              f"{f.name(data['to_user']) if data.get('to_user') else args.get('to_user')}"
        if names:
            shown = f.sep.join(names[:3]) + ("…" if len(names) > 3 else "")
            return f"🔁 {who}: " + f.s(f"{len(names)} 个客户（{shown}）", f"{len(names)} accounts ({shown})")
        return f"🔁 {who}" + (f": {args['account']}" if args.get("account") else "")
    if call.name == "merge_accounts":
        from bot.render_merge import merge_card

        return merge_card(data, args, f)
    if call.name == "file_contract":
        return _contract_card(args, data, f)
    stated = ", ".join(f"{k}={v}" for k, v in args.items())
    return f"• {call.name}" + (f" ({stated})" if stated else "")


def _contract_card(args: dict[str, Any], d: dict[str, Any], f: Fmt) -> str:
    """合同 LJ-2026-1187 · 蓝鲸数据 · ¥800,000 · 2026-12-01 签署 → 关联「数据平台扩容」并标记成交？
    then one line per check that failed."""
    number = args.get("contract_no") or f.s("（编号未识别）", "(number not read)")
    account = f.name(d.get("account")) if d.get("account") else (args.get("account") or f.s("客户？", "account?"))
    amount = d.get("amount") or ({"amount": args["amount"], "currency": args.get("currency") or ""}
                                 if args.get("amount") else None)
    signed = args.get("signed_on")
    signed_text = (f"{signed} 签署" if f.zh else f"signed {signed}") if signed else f.s("签署日期未识别", "signing date not read")
    head = f"📄 {f.s('合同', 'Contract')} {number} · {account} · {f.money(amount)} · {signed_text}"
    deal = d.get("opportunity") or ({"name": args["opportunity"]} if args.get("opportunity") else None)
    if deal:
        already = deal.get("stage") == "won" and not (d.get("changes") or {}).get("stage")
        head += f.s(f" → 关联「{deal['name']}」" + ("（已成交）" if already else "并标记成交") + "？",
                    f" → attach to {deal['name']}" + (" (already won)" if already else " and mark it won") + "?")
    lines = [head]
    if args.get("start_on") or args.get("end_on"):
        lines.append(f.s(f"   期限 {args.get('start_on') or '—'} 至 {args.get('end_on') or '—'}",
                         f"   term {args.get('start_on') or '—'} to {args.get('end_on') or '—'}"))
    checks = d.get("checks") or {}
    for w in checks.get("warnings") or []:
        lines.append(_contract_warning(w, checks, f))
    return "\n".join(lines)


def _contract_warning(w: dict[str, Any], checks: dict[str, Any], f: Fmt) -> str:
    if w.get("kind") == "deal_amount":
        return f.s(f"⚠️ 与商机金额 {f.money(w.get('expected'))} 相差 {w.get('pct')}%",
                   f"⚠️ {w.get('pct')}% off the deal's {f.money(w.get('expected'))}")
    if w.get("kind") == "quote_amount":
        line = f.s(f"⚠️ 与已批准报价 #{w.get('quote_id')}（{f.money(w.get('expected'))}）相差 {w.get('pct')}%",
                   f"⚠️ {w.get('pct')}% off approved quote #{w.get('quote_id')} ({f.money(w.get('expected'))})")
        if checks.get("below_quote"):
            line += f.s("，低于报价：确认后会通知经理", "; below the quote: your manager is told on confirm")
        return line
    if w.get("kind") == "currency":
        return f.s(f"⚠️ 合同币种 {w.get('got')} 与商机币种 {w.get('expected')} 不同",
                   f"⚠️ contract currency {w.get('got')} differs from the deal's {w.get('expected')}")
    return f"⚠️ {w}"


def _file_contract(d: dict[str, Any], f: Fmt) -> str:
    number = d.get("contract_no") or ""
    deal = d.get("opportunity") or {}
    return f.s(f"📄 合同 {number} 已归档：{f.name(d.get('account'))}「{deal.get('name', '—')}」→ 成交 "
               f"{f.money(d.get('amount'))}，成交日期 {d.get('signed_on') or '—'}",
               f"📄 Contract {number} filed: {f.name(d.get('account'))} · {deal.get('name', '—')} → won "
               f"{f.money(d.get('amount'))}, closed {d.get('signed_on') or '—'}").replace("  ", " ")


# --- notices ----------------------------------------------------------------------------------


def render_notice(notice: Notice, lang: str, *, today: date | None = None) -> str:
    """A message for another user: an approval request, a decided quote, a handover brief."""
    d = notice.data
    f = Fmt(lang, _today(d, today))
    if notice.kind == "approval_request":
        q = d.get("quote") or {}
        lines = [f"🧾 {f.s('报价待审批', 'Quote needs approval')} {_quote_line(q, f)}",
                 f"{f.s('申请人：', 'Requested by ')}{f.name(q.get('requested_by'))}"]
        if q.get("note"):
            lines.append(f"{f.s('备注：', 'Note: ')}{q['note']}")
        return "\n".join(lines)
    if notice.kind == "quote_decided":
        q = d.get("quote") or {}
        approved = d.get("decision") == "approved"
        verb = f.s("已被 {who} 批准", "approved by {who}") if approved else f.s("被 {who} 驳回", "rejected by {who}")
        line = f"{'✅' if approved else '❌'} {f.s('你的报价', 'Your quote')} {_quote_line(q, f)} " + \
            verb.format(who=f.name(d.get("decided_by")))
        return line + (f"\n{f.s('意见：', 'Comment: ')}{d['comment']}" if d.get("comment") else "")
    if notice.kind == "contract_below_quote":
        q = d.get("quote") or {}
        deal = d.get("opportunity") or {}
        return f.s(f"⚠️ 价格管控：{f.name(d.get('rep'))} 的合同 {d.get('contract_no') or ''} 金额 {f.money(d.get('amount'))} "
                   f"低于已批准报价 #{q.get('id')}（{f.money(q.get('amount'))}）· {f.name(d.get('account'))}「{deal.get('name', '—')}」",
                   f"⚠️ Price control: {f.name(d.get('rep'))}'s contract {d.get('contract_no') or ''} for {f.money(d.get('amount'))} "
                   f"is below approved quote #{q.get('id')} ({f.money(q.get('amount'))}) · {f.name(d.get('account'))} · "
                   f"{deal.get('name', '—')}")
    if notice.kind == "handover_brief":
        accounts = d.get("accounts") or []
        lines = [f.s(f"📦 {f.name(d.get('from_user'))} 的 {len(accounts)} 个客户已转给你：",
                     f"📦 {len(accounts)} accounts from {f.name(d.get('from_user'))} are now yours:")]
        for brief in accounts:
            lines.append(_brief_line(brief, f))
        return "\n".join(lines)
    if notice.kind in LEAD_NOTICES:
        return lead_notice(notice.kind, d, f)
    return _generic(d, f)


def _brief_line(brief: dict[str, Any], f: Fmt) -> str:
    parts = [f"• {f.name(brief.get('account'))}"]
    contacts = [c["name"] + (f"({c['title']})" if c.get("title") else "") for c in brief.get("contacts") or []]
    if contacts:
        parts.append(f.sep.join(contacts[:3]))
    for deal in brief.get("open_deals") or []:
        parts.append(f"{deal['name']} {f.stage(deal['stage'])} {f.money(deal.get('amount'))}")
    visits = brief.get("recent_visits") or []
    if visits:
        parts.append(f"{f.s('上次', 'last')} {f.day(visits[0]['occurred_on'])}")
    for promise in (brief.get("promises") or [])[:2]:
        parts.append(f"{f.s('承诺：', 'promised: ')}{promise['next_step']}")
    return " — ".join(parts[:1] + ["; ".join(parts[1:])]) if len(parts) > 1 else parts[0]
