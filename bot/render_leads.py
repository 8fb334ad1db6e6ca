"""Chat text for leads: the card line of a lead tool, its result, and the notices a rep or a
manager gets (a lead assigned, a first contact overdue). `f` is `bot.render_results.Fmt`."""
from __future__ import annotations

from typing import Any

STATUS = {"zh": {"new": "新线索", "assigned": "已分配", "contacted": "已联系", "qualified": "已确认需求",
                 "converted": "已转商机", "disqualified": "不合适", "accepted": "已接受"},
          "en": {"new": "new", "assigned": "assigned", "contacted": "contacted", "qualified": "qualified",
                 "converted": "converted", "disqualified": "not a fit", "accepted": "accepted"}}


def lead_line(lead: dict[str, Any], f) -> str:
    parts = [str(lead.get("company") or "—")]
    parts += [str(lead[k]) for k in ("contact", "phone", "email") if lead.get(k)]
    line = " · ".join(parts)
    sources = lead.get("sources") or []
    if sources:
        line += f.s(f"（来源：{'、'.join(sources)}）", f" (source: {', '.join(sources)})")
    return line


def status(value: str | None, f) -> str:
    return STATUS[f.lang].get(value or "", value or "—")


def describe_lead_call(name: str, args: dict[str, Any], data: dict[str, Any], f) -> str:
    if name == "create_lead":
        lead = data.get("lead") or args
        line = f"🆕 {f.s('新线索', 'New lead')} {lead_line(lead, f)}"
        if data.get("merged"):
            line += f.s(f"\n🔗 并入已有线索 #{lead.get('id')}", f"\n🔗 joins open lead #{lead.get('id')}")
        if data.get("account"):
            line += f.s(f"\n👤 老客户：{f.name(data['account'])}", f"\n👤 existing customer: {f.name(data['account'])}")
        if data.get("owner"):
            line += f.s(f"\n→ 负责人：{f.name(data['owner'])}", f"\n→ owner: {f.name(data['owner'])}")
        if (data.get("lead") or args).get("note"):
            line += f.s(f"\n备注：{(data.get('lead') or args)['note']}", f"\nNote: {(data.get('lead') or args)['note']}")
        return line
    if name == "update_lead":
        lead = data.get("lead") or {"company": args.get("lead")}
        action = data.get("action") or args.get("status")
        line = f"📌 {f.s('线索', 'Lead')} {lead.get('company')} → {status(action, f)}"
        reason = args.get("reason")
        return line + (f" — {reason}" if reason and action == "disqualified" else "")
    if name == "convert_lead":
        if not data:
            return f"💼 {f.s('线索转商机', 'Convert lead')} {args.get('lead')}"
        return "\n".join(_convert_lines(data, f))
    return f"• {name}"


def _convert_lines(d: dict[str, Any], f) -> list[str]:
    deal = d.get("opportunity") or {}
    new = f.s("（新建）", " (new)")
    lines = [f"💼 {f.s('线索转商机', 'Lead → deal')}: {d['lead']['company']}",
             f"{f.s('客户：', 'Account: ')}{f.name(d.get('account'))}{new if d.get('created_account') else ''}"]
    if d.get("contact"):
        lines.append(f"{f.s('联系人：', 'Contact: ')}{f.name(d['contact'])}{new if d.get('created_contact') else ''}")
    lines.append(f"{f.s('商机：', 'Deal: ')}{deal.get('name')} · {f.stage('prospect')}"
                 + (f" · {f.s('来源', 'source')} {deal['source']}" if deal.get("source") else ""))
    return lines


def lead_result(name: str, d: dict[str, Any], f) -> str:
    if name == "create_lead":
        lead = d.get("lead") or {}
        if d.get("merged"):
            head = f.s(f"🔗 已并入已有线索 #{lead.get('id')}：", f"🔗 Joined open lead #{lead.get('id')}: ")
        else:
            head = f.s(f"✅ 线索 #{lead.get('id')} 已记录：", f"✅ Lead #{lead.get('id')} recorded: ")
        line = head + lead_line(lead, f)
        if d.get("owner"):
            line += f.s(f"，负责人 {f.name(d['owner'])}", f", owner {f.name(d['owner'])}")
        if d.get("account"):
            line += f.s(f"（老客户 {f.name(d['account'])}）", f" (existing customer {f.name(d['account'])})")
        return line
    if name == "update_lead":
        lead = d.get("lead") or {}
        return f"✅ {f.s('线索', 'Lead')} {lead.get('company')}：{status(d.get('action'), f)}" if f.zh else \
            f"✅ Lead {lead.get('company')}: {status(d.get('action'), f)}"
    lines = _convert_lines(d, f)
    lines[0] = "✅ " + lines[0].removeprefix("💼 ")
    return "\n".join(lines)


def lead_notice(kind: str, d: dict[str, Any], f) -> str:
    lead = d.get("lead") or {}
    if kind == "lead_assigned":
        head = f.s("🆕 新线索分给你：", "🆕 A new lead for you: ") if not d.get("reassigned") else \
            f.s("🔁 一条超时未联系的线索转给你：", "🔁 An overdue lead was passed to you: ")
        line = head + lead_line(lead, f)
        if lead.get("note"):
            line += f"\n{f.s('备注：', 'Note: ')}{lead['note']}"
        if lead.get("contact_due"):
            line += f.s(f"\n请在 {f.moment(lead['contact_due'])} 前首次联系", f"\nFirst contact due by {f.moment(lead['contact_due'])}")
        return line
    if kind == "leads_assigned":
        names = d.get("companies") or []
        more = "…" if d.get("count", 0) > len(names) else ""
        return f.s(f"🆕 {d.get('count')} 条新线索分给你：{'、'.join(names)}{more}",
                   f"🆕 {d.get('count')} new leads for you: {', '.join(names)}{more}")
    if kind == "lead_nudge":
        return f.s(f"⏰ 线索「{lead.get('company')}」已超过首次联系时限，还没有联系。联系后说「{lead.get('company')}的线索联系过了」。",
                   f"⏰ The {lead.get('company')} lead is past its first-contact time. Once you have called, "
                   f"say \"contacted the {lead.get('company')} lead\".")
    owner = d.get("owner") or {}
    return f.s(f"⚠️ {f.name(owner) if owner else '负责人'} 的线索「{lead.get('company')}」超时未联系。",
               f"⚠️ The {lead.get('company')} lead of {f.name(owner) if owner else 'its owner'} is overdue for first contact.")
