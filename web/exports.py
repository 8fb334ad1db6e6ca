"""Downloads of CRM records for BI: CSV, JSON Lines, XLSX, Parquet, limited to what the user may
see (`tools.records.export_where`). The file is built in a spooled temporary file (memory up to
16 MB, disk beyond) and streamed."""
from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator

from fastapi import Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from storage.export import BINARY_FORMATS, FORMATS, KINDS, write_binary_export, write_export
from tools.base import ToolError
from tools.records import Filters, export_where
from web.actions import context
from web.app import state_of
from web.auth import Viewer

MEDIA = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "parquet": "application/vnd.apache.parquet"}
CHUNK = 64 * 1024


def export_response(request: Request, viewer: Viewer, kind: str, fmt: str,
                    filters: Filters = Filters()) -> StreamingResponse:
    if kind not in KINDS:
        raise ToolError("record_not_found", kind="export", id=kind)
    if fmt not in FORMATS + BINARY_FORMATS:
        raise ToolError("record_not_found", kind="format", id=fmt)
    state = state_of(request)
    spool = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    with Session(state.db) as session:
        where = export_where(context(request, session, viewer), kind, filters)
        if fmt in BINARY_FORMATS:
            write_binary_export(kind, fmt, spool, session=session, where=where)
        else:
            text = io.TextIOWrapper(spool, encoding="utf-8", newline="", write_through=True)
            if fmt == "csv":
                text.write("\ufeff")  # so spreadsheet programs read the UTF-8 Chinese right
            write_export(kind, fmt, text, session=session, where=where)
            text.detach()
        session.rollback()
    spool.seek(0)
    stamp = state.clock().astimezone(state.settings.tz).date().isoformat()
    return StreamingResponse(_chunks(spool), media_type=MEDIA[fmt],
                             headers={"Content-Disposition": f'attachment; filename="{kind}-{stamp}.{fmt}"'})


def _chunks(spool) -> Iterator[bytes]:
    try:
        while chunk := spool.read(CHUNK):
            yield chunk
    finally:
        spool.close()
