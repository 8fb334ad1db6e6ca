"""REST API `/api/v1` (OpenAPI at /api/docs). A personal API token acts as its owner: every list,
detail, write and export sees exactly what the owner sees in chat.

Lists: `offset`/`limit` (≤ 500) pagination in id order with `total` and `next_offset`, filters,
and `updated_since` (ISO 8601 instant) for incremental sync; records are the flat rows of the
exports. Writes go through the chat's tools (log a visit, update a deal, decide a quote); a
refusal is `{"error": code, "message"}` with 403 (not allowed), 404 (not found or not yours) or
422 (invalid), in the owner's language.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from pydantic import BaseModel

from tools.base import get_tool
from tools.records import Filters, Page, get_record, list_records
from tools.schemas import LogVisitArgs, PipelineReportArgs, UpdateOpportunityArgs
from web.actions import read, run_tool
from web.auth import Viewer, api_viewer
from web.exports import export_response

router = APIRouter(prefix="/api/v1", tags=["v1"])
RESOURCES = ("accounts", "contacts", "opportunities", "visits", "quotes", "reminders", "attachments")
VIA = "REST API"


class ListResponse(BaseModel):
    items: list[dict[str, Any]]
    total: int
    offset: int
    limit: int
    next_offset: int | None


class DealChange(BaseModel):
    """The fields of a deal to change; absent ones stay as they are."""

    stage: Literal["prospect", "evaluation", "negotiation", "won", "lost"] | None = None
    amount: str | None = None
    currency: str | None = None
    expected_close: date | None = None
    lost_reason: str | None = None
    competitor: str | None = None


class Decision(BaseModel):
    comment: str | None = None


def _page(page: Page) -> ListResponse:
    following = page.offset + len(page.items)
    return ListResponse(items=page.items, total=page.total, offset=page.offset, limit=page.limit,
                        next_offset=following if following < page.total else None)


def _filters(updated_since: datetime | None, owner_id: int | None, account_id: int | None,
             stage: str | None, status: str | None, q: str | None, since: date | None,
             until: date | None) -> Filters:
    if updated_since is not None and updated_since.tzinfo is None:
        updated_since = updated_since.replace(tzinfo=timezone.utc)
    return Filters(updated_since=updated_since, owner_id=owner_id, account_id=account_id, stage=stage,
                   status=status, q=q, since=since, until=until)


def _register(kind: str) -> None:
    def list_kind(request: Request, viewer: Viewer = Depends(api_viewer),
                  updated_since: datetime | None = Query(None, description="changed at or after (ISO 8601)"),
                  owner_id: int | None = Query(None, description="owner, rep, requester or reminded user"),
                  account_id: int | None = None, stage: str | None = Query(None, description="opportunities"),
                  status: str | None = Query(None, description="quotes and reminders"),
                  q: str | None = Query(None, description="name contains (accounts, contacts, opportunities)"),
                  since: date | None = Query(None, description="visits on or after"),
                  until: date | None = Query(None, description="visits before"),
                  offset: int = Query(0, ge=0), limit: int = Query(50, ge=1, le=500)) -> ListResponse:
        filters = _filters(updated_since, owner_id, account_id, stage, status, q, since, until)
        return _page(read(request, viewer, list_records, kind, filters, offset=offset, limit=limit))

    def detail(request: Request, record_id: int, viewer: Viewer = Depends(api_viewer)) -> dict[str, Any]:
        return read(request, viewer, get_record, kind, record_id)

    router.add_api_route(f"/{kind}", list_kind, methods=["GET"], response_model=ListResponse,
                         summary=f"List {kind}", name=f"list_{kind}")
    router.add_api_route(f"/{kind}/{{record_id}}", detail, methods=["GET"], summary=f"One of {kind}",
                         name=f"get_{kind}")


@router.get("/me", summary="The token's owner")
def me(viewer: Viewer = Depends(api_viewer)) -> dict[str, Any]:
    u = viewer.user
    return {"id": u.id, "name": u.name, "role": str(u.role), "language": u.language, "timezone": u.timezone,
            "manager_id": u.manager_id}


@router.get("/export/{kind}", summary="Export records as CSV, JSON Lines, XLSX or Parquet")
def export(request: Request, kind: Literal["accounts", "contacts", "opportunities", "visits", "quotes", "reminders",
                                          "attachments"],
           format: Literal["csv", "jsonl", "xlsx", "parquet"] = "csv",
           updated_since: datetime | None = None, owner_id: int | None = None,
           viewer: Viewer = Depends(api_viewer)):
    return export_response(request, viewer, kind, format,
                           _filters(updated_since, owner_id, None, None, None, None, None, None))


for _kind in RESOURCES:
    _register(_kind)


@router.get("/pipeline", summary="pipeline_report, as in chat")
def pipeline(request: Request, period: str | None = None, scope: Literal["mine", "team"] | None = None,
             viewer: Viewer = Depends(api_viewer)) -> dict[str, Any]:
    args = PipelineReportArgs.model_validate({k: v for k, v in {"period": period, "scope": scope}.items() if v})
    return read(request, viewer, lambda ctx: get_tool("pipeline_report").run(ctx, args).data)


@router.post("/visits", status_code=201, summary="Log a visit (the log_visit tool)")
def log_visit(request: Request, body: LogVisitArgs, viewer: Viewer = Depends(api_viewer)) -> dict[str, Any]:
    return run_tool(request, viewer, "log_visit", body.contract_args(), via=VIA).data


@router.post("/opportunities", summary="Update (or create) a customer's deal (the update_opportunity tool)")
def update_opportunity(request: Request, body: UpdateOpportunityArgs,
                       viewer: Viewer = Depends(api_viewer)) -> dict[str, Any]:
    return run_tool(request, viewer, "update_opportunity", body.contract_args(), via=VIA).data


@router.patch("/opportunities/{record_id}", summary="Change one deal (the update_opportunity tool)")
def patch_opportunity(request: Request, record_id: int, change: DealChange,
                      viewer: Viewer = Depends(api_viewer)) -> dict[str, Any]:
    deal = read(request, viewer, get_record, "opportunities", record_id)
    args = {"account": deal["account_name"], "opportunity": deal["name"],
            **change.model_dump(mode="json", exclude_none=True)}
    return run_tool(request, viewer, "update_opportunity", args, via=VIA).data


@router.post("/quotes/{record_id}/approve", summary="Approve a pending quote; the requester is told in chat")
def approve(request: Request, record_id: int, decision: Decision = Body(default_factory=Decision),
            viewer: Viewer = Depends(api_viewer)) -> dict[str, Any]:
    return _decide(request, viewer, "approve_quote", record_id, decision)


@router.post("/quotes/{record_id}/reject", summary="Reject a pending quote; the requester is told in chat")
def reject(request: Request, record_id: int, decision: Decision = Body(default_factory=Decision),
           viewer: Viewer = Depends(api_viewer)) -> dict[str, Any]:
    return _decide(request, viewer, "reject_quote", record_id, decision)


def _decide(request: Request, viewer: Viewer, name: str, quote_id: int, decision: Decision) -> dict[str, Any]:
    args: dict[str, Any] = {"quote_id": quote_id}
    if decision.comment and decision.comment.strip():
        args["comment"] = decision.comment.strip()
    return run_tool(request, viewer, name, args, via=VIA).data

