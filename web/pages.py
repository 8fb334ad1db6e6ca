"""The console's pages. Each reads through `tools/` as the signed-in user and renders a template;
each form posts with the session's CSRF token and writes through a tool."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response

from analytics.quarters import Quarter
from analytics.report import render_html
from analytics.value import build_value_report
from prompts.errors import render_error
from prompts.web import stage_name, web_text
from storage.models import Role
from storage.repos.web_access import create_api_token, revoke_api_token, tokens_of
from tools.account_view import account_360, attachment_file, search_accounts, similar_past_deals
from tools.base import ToolError
from tools.audit_view import AuditFilters, audit_entries
from tools.dashboard import PipelineFilters, people_in_reach, pipeline_view, quote_board, rep_timeline, team_report
from tools.health import data_health
from tools.schemas import DataHealthArgs
from web.actions import context, read, run_tool
from web.app import message_page, state_of
from web.auth import Viewer, checked_form, page_viewer, require, transaction
from web.charts import Bar, bars, chart_block
from web.exports import export_response

router = APIRouter(prefix="/web", include_in_schema=False)
NAV = ("pipeline", "team", "approvals", "accounts", "health", "value", "audit", "tokens")
MANAGER_ONLY = frozenset({"value"})
PERIODS = ("this_quarter", "last_quarter", "this_month", "last_month", "this_year")
TEAM_SORTS = ("name", "visits_per_week", "new_deals", "won", "win_rate", "avg_cycle_days", "completeness",
              "last_activity", "open_deals")
PAGE = 50


def render(request: Request, viewer: Viewer, template: str, page: str | None, **values) -> HTMLResponse:
    _ = web_text(viewer.lang)
    manager = viewer.user.role != Role.rep
    nav = NAV if manager else tuple(item for item in NAV if item not in MANAGER_ONLY)
    return state_of(request).templates.TemplateResponse(request, template, {
        "_": _, "lang": viewer.lang, "user": viewer.user, "csrf": viewer.csrf, "nav": nav, "page": page,
        "is_manager": manager, **values})


@router.get("", response_class=HTMLResponse)
def index() -> RedirectResponse:
    return RedirectResponse("/web/pipeline", status_code=303)


@router.get("/pipeline", response_class=HTMLResponse)
def pipeline(request: Request, viewer: Viewer = Depends(page_viewer), period: str = "this_quarter",
             rep: int | None = None, industry: str | None = None, region: str | None = None) -> HTMLResponse:
    period = period if period in PERIODS else "this_quarter"
    filters = PipelineFilters(period=period, rep_id=rep, industry=industry or None, region=region or None)
    with transaction(request) as session:
        ctx = context(request, session, viewer)
        view = pipeline_view(ctx, filters)
        people = people_in_reach(ctx)
    _ = web_text(viewer.lang)
    money = state_of(request).templates.env.filters["money"]
    counts = [Bar(stage_name(s["stage"], viewer.lang), s["count"], str(s["count"])) for s in view["stages"]]
    funnel = chart_block(bars(_("funnel"), counts, centered=True), [_("stage"), _("deals"), _("amount")],
                         [[stage_name(s["stage"], viewer.lang), s["count"], money(s["totals"])] for s in view["stages"]],
                         open=True)
    return render(request, viewer, "pipeline.html", "pipeline", view=view, funnel=funnel, people=people,
                  filters=filters, periods=PERIODS)


@router.get("/team", response_class=HTMLResponse)
def team(request: Request, viewer: Viewer = Depends(page_viewer), period: str = "this_quarter",
         sort: str = "name", desc: bool = False) -> HTMLResponse:
    period = period if period in PERIODS else "this_quarter"
    report = read(request, viewer, team_report, period)
    sort = sort if sort in TEAM_SORTS else "name"

    def key(row):
        value = row["user"]["name"] if sort == "name" else row.get(sort)
        return (value is None, value if value is not None else 0)

    rows = sorted(report["reps"], key=key, reverse=desc)
    if desc:  # keep empty values last either way
        rows = [r for r in rows if key(r)[0] is False] + [r for r in rows if key(r)[0]]
    _ = web_text(viewer.lang)
    chart = chart_block(
        bars(_("visits_per_week"), [Bar(r["user"]["name"], r["visits_per_week"], str(r["visits_per_week"])) for r in rows]),
        [_("rep"), _("visits_per_week")], [[r["user"]["name"], r["visits_per_week"]] for r in rows])
    return render(request, viewer, "team.html", "team", report=report, rows=rows, sort=sort, desc=desc,
                  chart=chart, period=period, periods=PERIODS)


@router.get("/team/{user_id}", response_class=HTMLResponse)
def rep_page(request: Request, user_id: int, viewer: Viewer = Depends(page_viewer)) -> HTMLResponse:
    timeline = read(request, viewer, rep_timeline, user_id)
    return render(request, viewer, "rep.html", "team", timeline=timeline)


@router.get("/approvals", response_class=HTMLResponse)
def approvals(request: Request, viewer: Viewer = Depends(page_viewer), done: str | None = None) -> HTMLResponse:
    board = read(request, viewer, quote_board)
    return render(request, viewer, "approvals.html", "approvals", board=board, done=done)


@router.post("/approvals/{quote_id}", response_class=HTMLResponse)
def decide(request: Request, quote_id: int, decision: str = Form(...), comment: str = Form(""),
           viewer: Viewer = Depends(checked_form)) -> Response:
    name = "approve_quote" if decision == "approve" else "reject_quote"
    args = {"quote_id": quote_id, **({"comment": comment.strip()} if comment.strip() else {})}
    try:
        result = run_tool(request, viewer, name, args, via="web console")
    except ToolError as exc:
        if not request.headers.get("hx-request"):
            raise
        # htmx swaps only successful answers: the refusal replaces the row, in the user's words
        return render(request, viewer, "_refused.html", None, quote_id=quote_id,
                      message=render_error(exc.code, exc.params, viewer.lang))
    requester = (result.data.get("requester") or {}).get("name") or ""
    message = web_text(viewer.lang)("decided_notice", who=requester)
    if request.headers.get("hx-request"):
        return render(request, viewer, "_decided.html", None, result=result.data, message=message)
    return RedirectResponse(f"/web/approvals?done={quote_id}", status_code=303)


@router.get("/accounts", response_class=HTMLResponse)
def accounts(request: Request, viewer: Viewer = Depends(page_viewer), q: str = "",
             page: int = Query(1, ge=1)) -> HTMLResponse:
    found = read(request, viewer, search_accounts, q, offset=(page - 1) * PAGE, limit=PAGE)
    template = "_account_rows.html" if request.headers.get("hx-request") else "accounts.html"
    return render(request, viewer, template, "accounts", found=found, q=q, page_no=page, per_page=PAGE)


@router.get("/accounts/{account_id}", response_class=HTMLResponse)
def account_page(request: Request, account_id: int, viewer: Viewer = Depends(page_viewer)) -> HTMLResponse:
    view = read(request, viewer, account_360, account_id)
    if "merged_into" in view:
        return RedirectResponse(f"/web/accounts/{view['merged_into']['id']}", status_code=303)
    return render(request, viewer, "account.html", "accounts", view=view)


@router.get("/attachments/{attachment_id}")
def attachment_download(request: Request, attachment_id: int, viewer: Viewer = Depends(page_viewer)) -> FileResponse:
    """A contract file, to whoever may see its account; always a download, never shown inline."""
    row, path = read(request, viewer, attachment_file, attachment_id)
    name = row.name or f"attachment-{row.id}.{row.mime.rsplit('/', 1)[-1]}"
    return FileResponse(path, media_type=row.mime, filename=name, content_disposition_type="attachment",
                        headers={"X-Content-Type-Options": "nosniff"})


@router.get("/accounts/{account_id}/similar", response_class=HTMLResponse)
def account_similar(request: Request, account_id: int, viewer: Viewer = Depends(page_viewer)) -> HTMLResponse:
    similar = read(request, viewer, similar_past_deals, account_id)
    return render(request, viewer, "_similar.html", None, similar=similar)


@router.get("/health", response_class=HTMLResponse)
def health(request: Request, viewer: Viewer = Depends(page_viewer), merged: str | None = None) -> HTMLResponse:
    with transaction(request) as session:
        ctx = context(request, session, viewer)
        report = data_health(ctx, DataHealthArgs())
        people = {u.id: u.name for u in people_in_reach(ctx)}
    data = report.data
    _ = web_text(viewer.lang)
    names = [(r["user"] or {}).get("name") or "—" for r in data["reps"]]
    chart = chart_block(bars(_("score"), [Bar(n, r["score"], str(r["score"])) for n, r in zip(names, data["reps"])]),
                        [_("rep"), _("score"), _("checked"), _("complete")],
                        [[n, r["score"], r["checked"], r["complete"]] for n, r in zip(names, data["reps"])])
    return render(request, viewer, "health.html", "health", report=data, chart=chart, people=people, merged=merged)


@router.post("/health/merge", response_class=HTMLResponse)
def merge(request: Request, keep: int = Form(...), merge: int = Form(...),
          viewer: Viewer = Depends(checked_form)) -> Response:
    result = run_tool(request, viewer, "merge_accounts", {"keep": keep, "merge": merge}, via="web console")
    text = web_text(viewer.lang)("merged", merged=result.data["merged"]["name"], kept=result.data["kept"]["name"])
    return render(request, viewer, "message.html", "health", message=text, back="/web/health")


@router.get("/value", response_class=HTMLResponse)
def value_report(request: Request, viewer: Viewer = Depends(page_viewer), quarter: str = "") -> HTMLResponse:
    """The quarterly value report (the HTML `salesbot report value` writes) for managers and
    admins, in the viewer's language; `quarter` like 2026Q4, default the current one."""
    require(viewer.user.role != Role.rep)
    state = state_of(request)
    _ = web_text(viewer.lang)
    today = state.clock().astimezone(state.settings.tz).date()
    try:
        chosen = Quarter.parse(quarter) if quarter.strip() else Quarter.of(today)
    except ValueError:
        return message_page(request, viewer.user, None, 422, text=_("bad_quarter", quarter=quarter[:40]))
    if chosen.start > today:
        return message_page(request, viewer.user, None, 422, text=_("future_quarter", quarter=chosen, today=today))
    with transaction(request) as session:
        report = build_value_report(session=session, quarter=chosen, tz=state.settings.tz, today=today)
    html = render_html(report, viewer.lang, default_currency=state.settings.default_currency)
    quarters = [Quarter.of(today)]
    while len(quarters) < 8:
        quarters.append(quarters[-1].previous())
    if chosen not in quarters:
        quarters.append(chosen)
    return render(request, viewer, "value.html", "value", report_html=html, quarter=chosen, quarters=quarters)


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, viewer: Viewer = Depends(page_viewer), actor: str = "", account: str = "",
          action: str = "", page: int = Query(1, ge=1)) -> HTMLResponse:
    filters = AuditFilters(actor_id=int(actor) if actor.isdigit() else None,
                           account_id=int(account) if account.isdigit() else None, action=action or None)
    with transaction(request) as session:
        ctx = context(request, session, viewer)
        log = audit_entries(ctx, filters, offset=(page - 1) * PAGE, limit=PAGE)
        people = people_in_reach(ctx)
    return render(request, viewer, "audit.html", "audit", log=log, filters=filters, people=people,
                  page_no=page, per_page=PAGE, action=action)


@router.post("/audit/{audit_id}/unmerge", response_class=HTMLResponse)
def unmerge(request: Request, audit_id: int, viewer: Viewer = Depends(checked_form)) -> Response:
    result = run_tool(request, viewer, "unmerge_accounts", {"audit_id": audit_id}, via="web console")
    text = web_text(viewer.lang)("unmerged", restored=result.data["restored"]["name"])
    return render(request, viewer, "message.html", "audit", message=text, back="/web/audit")


@router.get("/tokens", response_class=HTMLResponse)
def tokens(request: Request, viewer: Viewer = Depends(page_viewer)) -> HTMLResponse:
    with transaction(request) as session:
        rows = tokens_of(viewer.user.id, session=session)
    return render(request, viewer, "tokens.html", "tokens", tokens=rows, secret=None)


@router.post("/tokens", response_class=HTMLResponse)
def create_token(request: Request, name: str = Form("token"), viewer: Viewer = Depends(checked_form)) -> HTMLResponse:
    now = state_of(request).clock()
    with transaction(request) as session:
        _, secret = create_api_token(viewer.user.id, name, session=session, now=now)
        rows = tokens_of(viewer.user.id, session=session)
    return render(request, viewer, "tokens.html", "tokens", tokens=rows, secret=secret)


@router.post("/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_token(request: Request, token_id: int, viewer: Viewer = Depends(checked_form)) -> Response:
    with transaction(request) as session:
        revoke_api_token(token_id, viewer.user.id, session=session, now=state_of(request).clock())
    return RedirectResponse("/web/tokens", status_code=303)


@router.get("/export/{kind}.{fmt}")
def export(request: Request, kind: str, fmt: str, viewer: Viewer = Depends(page_viewer)) -> Response:
    return export_response(request, viewer, kind, fmt)
