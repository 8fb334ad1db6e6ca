"""`POST /api/leads`: leads from a website form, a shop or a marketing tool.

The caller authenticates with `Authorization: Bearer $LEADS_API_KEY` (one key per deployment, not
a user's token: the lead has no acting user). The body is one lead as JSON (`tools.leads.LeadInput`:
company required; contact, phone, email, region, industry, source, note, credit_code). The lead is
matched and routed exactly as a CSV row (`tools.leads.intake`); the answer is 201 with its id, owner
and status, and `merged: true` when it joined an open lead of the same company. 401 without the
right key, 422 naming the field that is wrong, 503 when LEADS_API_KEY or the routing rules are not
set up (the message says which).
"""
from __future__ import annotations

import hmac
import logging
from typing import Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from storage.db import session_scope
from storage.models import Lead, User
from tools.lead_rules import RulesError, load_rules
from tools.leads import LeadInput, intake
from web.app import state_of

router = APIRouter(prefix="/api", tags=["leads"])
log = logging.getLogger("salesbot.web.leads")


@router.post("/leads", status_code=201, summary="Create a lead (Bearer LEADS_API_KEY)",
             responses={401: {"description": "missing or wrong key"}, 422: {"description": "a field is invalid"},
                        503: {"description": "LEADS_API_KEY or ROUTING_RULES not set up"}})
def create_lead(request: Request, body: Any = Body(..., examples=[{
        "company": "远航物流有限公司", "contact": "刘经理", "phone": "13800001111", "source": "官网"}])) -> JSONResponse:
    state = state_of(request)
    key = state.settings.leads_api_key.get_secret_value() if state.settings.leads_api_key else ""
    if not key:
        return JSONResponse({"error": "not_configured", "message": "set LEADS_API_KEY to accept leads"}, status_code=503)
    given = request.headers.get("authorization", "")
    scheme, _, token = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), key.encode()):
        return JSONResponse({"error": "unauthorized", "message": "Authorization: Bearer <LEADS_API_KEY> is needed"},
                            status_code=401, headers={"WWW-Authenticate": "Bearer"})
    if not isinstance(body, dict):
        return _invalid("body", "a JSON object with the lead's fields is needed")
    try:
        LeadInput.model_validate(body)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "body"
        message = "required" if err["type"] == "missing" else (
            "unknown field" if err["type"] == "extra_forbidden" else err["msg"].removeprefix("Value error, "))
        return _invalid(field, message)
    try:
        rules = load_rules(state.settings.routing_rules)
    except RulesError as exc:
        log.error("routing rules are not valid", extra={"problems": str(exc)})
        return JSONResponse({"error": "not_configured", "message": "the routing rules (ROUTING_RULES) are not valid"},
                            status_code=503)
    with session_scope(state.db) as session:
        result = intake([(1, body)], session=session, rules=rules, now=state.clock(), actor_id=None)
        lead, how = result.leads[0]
        row = session.get(Lead, lead.id)
        owner = session.get(User, row.owner_id) if row.owner_id else None
        data = {"id": row.id, "status": row.status, "merged": how == "merged", "account_id": row.account_id,
                "owner": {"id": owner.id, "name": owner.name} if owner else None, "sources": list(row.sources or [])}
    return JSONResponse(data, status_code=201)


def _invalid(field: str, message: str) -> JSONResponse:
    return JSONResponse({"error": "invalid", "field": field, "message": f"{field}: {message}"}, status_code=422)
