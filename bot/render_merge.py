"""Chat text for account merges: the card before (from the dry run) and the answer after."""
from __future__ import annotations

from typing import Any

MOVED_LABELS = {
    "contacts": ("联系人", "contacts"), "opportunities": ("商机", "deals"), "visits": ("拜访", "visits"),
    "quotes": ("报价", "quotes"), "reminders": ("提醒", "reminders"), "leads": ("线索", "leads"),
    "attachments": ("附件", "attachments"),
}
FIELD_LABELS = {
    "owner_id": ("负责人", "owner"), "industry": ("行业", "industry"), "region": ("地区", "region"),
    "phone": ("电话", "phone"), "email": ("邮箱", "email"), "contact.title": ("职务", "title"),
    "contact.phone": ("电话", "phone"), "contact.email": ("邮箱", "email"),
}


def _account(ref: dict[str, Any] | None, f) -> str:
    if not ref:
        return "—"
    code = f" {ref['code']}" if ref.get("code") else ""
    return f"「{ref.get('name')}」{code}" if f.zh else f"{ref.get('name')}{code}"


def _moved(moved: dict[str, int], f) -> str:
    parts = [f"{f.s(*MOVED_LABELS.get(k, (k, k)))} {n}" for k, n in moved.items() if n]
    return f.sep.join(parts) if parts else f.s("无", "nothing")


def _conflicts(conflicts: list[dict[str, Any]], f) -> list[str]:
    if not conflicts:
        return []
    items = []
    for c in conflicts[:4]:
        label = f.s(*FIELD_LABELS.get(c["field"], (c["field"], c["field"])))
        who = f"{c['contact']} " if c.get("contact") else ""
        if c["field"] == "owner_id":
            items.append(f"{label} {f.s('不同', 'differs')}")
        else:
            items.append(f"{who}{label} {c['keep']} ≠ {c['merge']}")
    more = f.s(f" 等 {len(conflicts)} 项", f" and {len(conflicts) - 4} more") if len(conflicts) > 4 else ""
    return [f.s("⚠️ 冲突（保留现有值）：", "⚠️ Conflicts (the kept account's value stays): ") + "; ".join(items) + more]


def merge_card(d: dict[str, Any], args: dict[str, Any], f) -> str:
    """The card of a pending merge: which account stays, what moves, what conflicts."""
    if not d:
        return f"🔗 {f.s('合并客户', 'Merge accounts')} {args.get('merge')} → {args.get('keep')}"
    lines = [f.s(f"🔗 合并客户：保留{_account(d.get('kept'), f)}，并入{_account(d.get('merged'), f)}",
                 f"🔗 Merge accounts: keep {_account(d.get('kept'), f)}, fold in {_account(d.get('merged'), f)}"),
             f"{f.s('移过去：', 'Moves: ')}{_moved(d.get('moved') or {}, f)}"]
    same = d.get("contacts_merged") or []
    if same:
        names = f.sep.join(c["name"] for c in same[:3])
        lines.append(f.s(f"同一个人合并为一位联系人：{names}", f"Same person, one contact: {names}"))
    return "\n".join(lines + _conflicts(d.get("conflicts") or [], f))


def merge_result(d: dict[str, Any], f) -> str:
    head = f.s(f"🔗 已合并：{_account(d.get('merged'), f)} 并入 {_account(d.get('kept'), f)}",
               f"🔗 Merged {_account(d.get('merged'), f)} into {_account(d.get('kept'), f)}")
    lines = [head, f"{f.s('已移过去：', 'Moved: ')}{_moved(d.get('moved') or {}, f)}"]
    lines += _conflicts(d.get("conflicts") or [], f)
    lines.append(f.s(f"合并编号 #{d.get('merge_id')}，旧名称和编号仍可找到该客户；需要时可在网页控制台审计日志里撤销。",
                     f"Merge #{d.get('merge_id')}: the old name and number still find the account; "
                     f"it can be undone from the web console's audit log."))
    return "\n".join(lines)


def unmerge_result(d: dict[str, Any], f) -> str:
    return f.s(f"↩️ 已撤销合并 #{d.get('merge_id')}：{_account(d.get('restored'), f)} 恢复为独立客户，"
               f"移回 {_moved(d.get('returned') or {}, f)}",
               f"↩️ Merge #{d.get('merge_id')} undone: {_account(d.get('restored'), f)} is its own account again; "
               f"moved back: {_moved(d.get('returned') or {}, f)}")
