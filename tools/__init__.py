"""Business tools: CONTRACT.md's calls as typed functions (see `tools.base`).

Modules: visits (log_visit), opportunities (update_opportunity), quotes (create/approve/reject),
approvals (list_pending_approvals), reminders (create_reminder, list_reminders), top_accounts,
pipeline (pipeline_report), accounts (account_overview), health (data_health), next_steps
(suggest_next_steps), handover (reassign_accounts), forecast (sales_forecast) and potential
(account_potential), which call `analytics/`; leads (intake, lifecycle), lead_match (CDM
matching), lead_rules and lead_routing (the routing rules file and who gets a lead), lead_sla (the
first-contact SLA), lead_import (CSV) and lead_actions (create_lead, update_lead, convert_lead).
Shared rules: permissions (who reaches what),
resolve (names → rows), periods, deal_rules, approval_rules, briefs, values (JSON-ready values).

`ToolResult.data` is JSON-ready (money `{"amount": "1.00", "currency"}`, ISO dates, local ISO
instants, `{"id", "name"}` refs) and always carries `as_of`, the user's local date. Main keys:
- log_visit: visit_id, account, created_account, contacts[{id,name,created}], created_contacts,
  occurred_on, channel, summary, next_step, next_step_due, next_step_reminder{id,due_at}|None,
  opportunity{id,name,stage}|None
- update_opportunity: account, created_account, opportunity (deal summary after the change),
  created_opportunity, changes{field: {before, after}}, stage_backwards
- create_quote: quote (summary), opportunity, required_role, approvers[ref], no_approver;
  notify: approval_request {quote_id, quote}
- approve_quote / reject_quote: quote_id, quote, decision, decided_by, requester, comment;
  notify: quote_decided (same data) to the requester
- create_reminder: reminder_id, due_at (local), timezone, text, account
- list_reminders: period, range{start,end}, reminders[{id,text,due_at,account,overdue}]
- list_pending_approvals: to_decide[quote + waiting_days], my_requests[...]
- top_accounts: period, range, metric, scope, scope_narrowed, limit, period_applies,
  items[{rank, account, owner, visits, last_visit | totals[money], deals}], total_accounts
- pipeline_report: period, range, scope, scope_narrowed, stages[{stage,count,totals}], open, won,
  lost {count,totals}, win_rate, stage_conversion[{from,to,entered,advanced,rate}],
  avg_cycle_days, cycle_deals, avg_deal_size[money], forecast{expected_deals, weighted_open, won, total}
- account_overview: account, owner, contacts, open_deals, closed_deals, recent_visits (5),
  pending_quotes, pending_reminders
- data_health: scope, scope_narrowed, score, checked, complete, open_deals, stale_days,
  reps[{user,checked,complete,open_deals,stale,score,issues}], duplicates[{accounts,reasons,similarity}],
  stale_deals[{deal,account,stage,owner_id,last_touch,days_idle}],
  anomalies[{kind: amount_jump|stage_backwards, deal, owner_id, on, by, before/after | from/to}],
  data_star[{rank,user,checked,complete,completeness}] (this month)
- suggest_next_steps: account, question, steps[{kind, priority, deal, facts}], basis
- reassign_accounts: from_user, to_user, moved{accounts,deals,reminders}, accounts[brief];
  notify: handover_brief {from_user, accounts[brief]} to the receiver
- create_lead: lead{id, company, contact, phone, email, region, industry, sources, note, status,
  owner_id, account_id, contact_due}, merged, owner, account; notify: lead_assigned to the owner
- update_lead: lead, before, action (accepted|contacted|qualified|disqualified), owner
- convert_lead: lead, account, created_account, contact, created_contact, opportunity{id, name, stage,
  source}
- sales_forecast: quarter ("2027Q1"), quarter_kind, range, scope, scope_narrowed, by,
  forecasts[{currency, mean, low, high [money], pipeline{expected, deals, coverage, estimate},
  series{method, months, estimate}|None, stage_win{stage: p}, closed_deals,
  by_rep[{user, mean, low, high, pipeline, deals}] (by=rep)}]
- account_potential: scope, scope_narrowed, limit, items[{rank, account, owner, score,
  reasons[{feature, high}], segment{id, zh, en}}], total_accounts, segments[{id, zh, en, size}],
  model{learned, trained_on, positives}
"""
