"""What the user reads when a tool refuses: one short zh and en message per `ToolError` code.

Each message says what went wrong in the user's terms and what they can do about it. Nothing
was written when one of these is shown (the call's transaction is rolled back).
`render_error(code, params, lang)` fills a template from the error's params; a param the
template needs but the error lacks renders as a neutral placeholder, never a crash.
"""
from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

ERRORS: dict[str, dict[str, str]] = {
    "ambiguous_account": {
        "zh": "「{mention}」对应多个客户：{candidates}。请说明是哪一个。",
        "en": "\"{mention}\" matches several accounts: {candidates}. Say which one you mean."},
    "ambiguous_contact": {
        "zh": "「{mention}」对应多个联系人：{candidates}。请说全名。",
        "en": "\"{mention}\" matches several contacts: {candidates}. Use the full name."},
    "ambiguous_user": {
        "zh": "「{mention}」对应多位同事：{candidates}。请说全名。",
        "en": "\"{mention}\" matches several colleagues: {candidates}. Use the full name."},
    "ambiguous_opportunity": {
        "zh": "「{mention}」对应多个商机：{candidates}。请说商机全名。",
        "en": "\"{mention}\" matches several deals: {candidates}. Name the deal in full."},
    "unknown_account": {
        "zh": "CRM 里没有客户「{mention}」。请检查名称；新客户可以先记一次拜访来创建。",
        "en": "There is no account called \"{mention}\". Check the name; log a visit to create a new one."},
    "unknown_user": {
        "zh": "没有找到同事「{mention}」。请用系统里的姓名。",
        "en": "No colleague called \"{mention}\". Use their name as it is in Salesbot."},
    "not_your_team": {
        "zh": "{user} 不在你的团队里，看不到 TA 的数据。",
        "en": "{user} is not on your team, so their figures are not yours to see."},
    "account_not_in_reach": {
        "zh": "「{mention}」不在你能查看的客户里，什么也没有记录。如果它归你负责，请经理把它分配给你。",
        "en": "\"{mention}\" is not among the accounts you can see, so nothing was recorded. If it is yours, ask your manager to assign it to you."},
    "not_your_account": {
        "zh": "「{account}」由{owner}负责，你不能操作它。需要的话请经理把它转给你。",
        "en": "{account} belongs to {owner}, so you can't change it. Ask your manager to reassign it."},
    "visit_in_future": {
        "zh": "拜访日期 {occurred_on} 还没到。已发生的拜访请给过去的日期；计划中的拜访请设提醒。",
        "en": "{occurred_on} is in the future. Log visits that happened; set a reminder for planned ones."},
    "amount_out_of_range": {
        "zh": "金额 {amount} 不合理（上限 {max}）。请检查单位（万、亿）后再说一次。",
        "en": "The amount {amount} is out of range (limit {max}). Check the units and say it again."},
    "account_already_named": {
        "zh": "客户已经叫「{account}」了，没有改动。",
        "en": "The account is already called {account}; nothing changed."},
    "account_name_taken": {
        "zh": "已经有一个叫「{name}」的客户了，没有改名。如果「{account}」和它是同一家，请说“合并{account}和{name}”。",
        "en": "There is already an account called {name}, so {account} was not renamed. If they are the same company, say \"merge {account} into {name}\"."},
    "nothing_to_update": {
        "zh": "「{opportunity}」没有要改的内容。请说明阶段、金额或预计成交日期。",
        "en": "Nothing to change on \"{opportunity}\". Say the new stage, amount or expected close date."},
    "contract_file_missing": {
        "zh": "合同文件已不在附件库中，请重新发送合同照片。",
        "en": "The contract's file is no longer in the attachment store; send the photos again."},
    "contract_deal_lost": {
        "zh": "商机「{opportunity}」已标记流失，不能用合同关闭。请说要关联的商机。",
        "en": "The deal {opportunity} is marked lost and cannot be closed by a contract. Name the deal you mean."},
    "contract_signed_in_future": {
        "zh": "签署日期 {day} 还没到。请改成合同上的签署日期。",
        "en": "The signing date {day} is in the future. Give the date the contract was signed."},
    "no_open_deal": {
        "zh": "「{account}」没有进行中的商机。请说商机名称。",
        "en": "{account} has no open deal. Name the deal you mean."},
    "which_deal_to_rename": {
        "zh": "要改哪个商机的名字？请说客户或商机，例如「把蓝鲸的扩容项目改名为数据平台二期」。",
        "en": "Which deal should be renamed? Name the customer or the deal, e.g. \"rename the Acme deal to Fleet Analytics\"."},
    "reminder_not_found": {
        "zh": "没找到符合「{mention}」的待办提醒。说「我的提醒」可查看全部。",
        "en": "No pending reminder matches \"{mention}\". Ask for \"my reminders\" to see them all."},
    "ambiguous_reminder": {
        "zh": "有几条提醒都符合「{mention}」：{candidates}。请说时间或内容。",
        "en": "Several reminders match \"{mention}\": {candidates}. Say its time or what it is about."},
    "quote_not_found": {
        "zh": "找不到报价 #{quote_id}。请检查编号，或直接说客户名称。",
        "en": "Quote #{quote_id} was not found. Check the number, or name the customer instead."},
    "quote_not_pending": {
        "zh": "报价 #{quote_id} 已{status}，不能再审批。",
        "en": "Quote #{quote_id} is already {status}; there is nothing to decide."},
    "cannot_decide_own_quote": {
        "zh": "不能审批自己提交的报价 #{quote_id}，需要由你的经理或管理员审批。",
        "en": "You can't decide your own quote #{quote_id}; your manager or an admin will."},
    "not_allowed_to_decide": {
        "zh": "你不能审批报价 #{quote_id}：需要{required_role}审批。",
        "en": "You can't decide quote #{quote_id}: it needs {required_role}."},
    "no_pending_quote": {
        "zh": "「{account}」没有你能处理的待审批报价。说「待审批报价」可查看全部。",
        "en": "{account} has no pending quote you can decide. Ask for \"pending approvals\" to see them all."},
    "several_pending_quotes": {
        "zh": "「{account}」有多个待审批报价：{quote_ids}。请说编号，例如「批准 {first_quote}」。",
        "en": "{account} has several pending quotes: {quote_ids}. Say which, e.g. \"approve {first_quote}\"."},
    "quote_account_mismatch": {
        "zh": "报价 #{quote_id} 属于「{quote_account}」，不是「{account}」。请核对编号。",
        "en": "Quote #{quote_id} is for {quote_account}, not {account}. Check the number."},
    "reminder_in_past": {
        "zh": "提醒时间 {due_at} 已经过去了。请给一个将来的时间。",
        "en": "{due_at} has already passed. Give a time in the future."},
    "not_allowed_to_reassign": {
        "zh": "只有 {from_user} 和 {to_user} 共同的经理或管理员可以转交客户。",
        "en": "Only a manager of both {from_user} and {to_user}, or an admin, can hand accounts over."},
    "same_user": {
        "zh": "转出人和接手人都是 {user}。请说明交给谁。",
        "en": "{user} is both giving and receiving. Say who should take the accounts."},
    "account_not_owned_by_user": {
        "zh": "「{account}」不在 {user} 名下，无法从 {user} 转出。",
        "en": "{account} is not {user}'s account, so it can't be handed over from {user}."},
    "nothing_to_reassign": {
        "zh": "{user} 名下没有客户可以转交。",
        "en": "{user} has no accounts to hand over."},
    "analytics_unavailable": {
        "zh": "预测和客户潜力分析还没安装（缺少 {package}）。请管理员安装：pip install 'salesbot[analytics]'。",
        "en": "Forecasts and account potential are not installed ({package} is missing). Ask an admin to run: pip install 'salesbot[analytics]'."},
    "unknown_lead": {
        "zh": "没有找到「{mention}」的线索。请检查公司名，或说 #编号。",
        "en": "There is no lead for \"{mention}\". Check the company name, or use its #number."},
    "ambiguous_lead": {
        "zh": "「{mention}」对应多条线索：{candidates}。请说 #编号。",
        "en": "\"{mention}\" matches several leads: {candidates}. Say which #number."},
    "lead_not_yours": {
        "zh": "「{company}」的线索归 {owner} 跟进，你不能修改。",
        "en": "The {company} lead is {owner}'s; you cannot change it."},
    "lead_bad_transition": {
        "zh": "「{company}」的线索现在是 {status}，不能改为 {to}。",
        "en": "The {company} lead is {status}; it cannot become {to}."},
    "lead_reason_needed": {
        "zh": "请说明「{company}」为什么不合适，例如：预算不够、不是目标行业。",
        "en": "Say why {company} is not a fit, e.g. no budget, not our industry."},
    "lead_invalid": {
        "zh": "线索信息有误：{problem}。请改正后再发。",
        "en": "The lead has a problem: {problem}. Correct it and send it again."},
    "lead_rules_invalid": {
        "zh": "线索分配规则（ROUTING_RULES）有误，请管理员运行 `salesbot leads rules check`。",
        "en": "The lead routing rules (ROUTING_RULES) are not valid; an admin should run `salesbot leads rules check`."},
    "record_not_found": {
        "zh": "找不到 {kind} #{id}，或你没有权限查看。", "en": "{kind} #{id} was not found or is not yours to see."},
    "merge_same_account": {
        "zh": "要合并的是同一个客户「{account}」。", "en": "Both sides are the same account, {account}."},
    "account_not_found": {
        "zh": "找不到客户 #{account_id}，或它已被合并。", "en": "Account #{account_id} was not found or was merged away."},
    "merge_needs_manager": {
        "zh": "合并或拆分客户需要销售经理或管理员操作，请把这两个客户发给你的经理处理。",
        "en": "Merging or splitting accounts is for managers and admins: ask your manager to merge them."},
    "merge_not_found": {
        "zh": "审计记录 #{audit_id} 不是一次客户合并。", "en": "Audit entry #{audit_id} is not an account merge."},
    "merge_already_undone": {
        "zh": "合并 #{audit_id} 已经撤销过了。", "en": "Merge #{audit_id} has already been undone."},
    "unknown_tool": {
        "zh": "暂不支持这个操作（{name}）。发送 /help 看看能做什么。",
        "en": "That action ({name}) isn't supported. Send /help to see what I can do."},
    "invalid_arguments": {
        "zh": "信息不完整或格式不对（{details}）。请换个说法再试一次。",
        "en": "Some details are missing or malformed ({details}). Please rephrase and try again."},
}

FALLBACK = {"zh": "操作没有完成（{code}），没有写入任何内容。",
            "en": "That didn't go through ({code}); nothing was saved."}

_WORDS = {
    "zh": {"approved": "批准", "rejected": "驳回", "withdrawn": "撤回", "draft": "作为草稿保存",
           "pending": "在等待审批", "manager": "申请人的经理", "admin": "管理员", "someone": "其他同事"},
    "en": {"approved": "approved", "rejected": "rejected", "withdrawn": "withdrawn", "draft": "a draft",
           "pending": "pending", "manager": "the requester's manager", "admin": "an admin",
           "someone": "someone else"},
}
_ISO_INSTANT = re.compile(r"^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})")


def render_error(code: str, params: Mapping[str, Any] | None, lang: str | None) -> str:
    """The message for `code` in `lang` ('zh' or 'en'; anything else falls back to zh)."""
    language = "en" if (lang or "").lower().startswith("en") else "zh"
    values = _prepare(dict(params or {}), language)
    template = ERRORS.get(code, FALLBACK)[language]
    return string.Formatter().vformat(template, (), _Defaults(values, code=code, language=language))


def _prepare(params: dict[str, Any], language: str) -> dict[str, str]:
    words = _WORDS[language]
    sep = "、" if language == "zh" else ", "
    out: dict[str, str] = {}
    for key, value in params.items():
        if key == "quote_ids" and isinstance(value, (list, tuple)):
            out["first_quote"] = f"#{value[0]}" if value else ""
            out[key] = sep.join(f"#{v}" for v in value)
        elif isinstance(value, (list, tuple)):
            out[key] = sep.join(str(v) for v in value)
        elif key in ("status", "required_role") and value is not None:
            out[key] = words.get(str(value), str(value))
        elif isinstance(value, str) and (m := _ISO_INSTANT.match(value)):
            out[key] = f"{m.group(1)} {m.group(2)}"
        elif value is None:
            continue
        else:
            out[key] = str(value)
    if "owner" not in out:
        out["owner"] = words["someone"]
    return out


class _Defaults(dict):
    def __init__(self, values: dict[str, str], *, code: str, language: str) -> None:
        super().__init__(values)
        self.setdefault("code", code)
        self._placeholder = "…"

    def __missing__(self, key: str) -> str:
        return self._placeholder
