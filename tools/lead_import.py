"""Reading a CSV file of leads: headers in English or Chinese, UTF-8 (with or without BOM) or GB18030.

`read_csv` yields `(line number, fields)` for each data row, the header being line 1, so a rejected
row is reported by the line a spreadsheet shows. A header it does not know, or no company column,
is a `LeadFileError` before any row is read.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from storage.names import fold

HEADERS = {
    "company": ("company", "公司", "公司名称", "企业名称", "客户名称", "company name"),
    "contact": ("contact", "联系人", "姓名", "contact name"),
    "phone": ("phone", "电话", "手机", "手机号", "联系电话", "mobile"),
    "email": ("email", "邮箱", "电子邮箱", "e-mail", "mail"),
    "region": ("region", "地区", "区域", "城市", "city"),
    "industry": ("industry", "行业"),
    "source": ("source", "来源", "渠道", "channel"),
    "note": ("note", "备注", "notes", "remark"),
    "credit_code": ("credit_code", "统一社会信用代码", "信用代码", "credit code", "uscc"),
}
_BY_HEADER = {fold(h): field for field, names in HEADERS.items() for h in names}


class LeadFileError(ValueError):
    pass


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LeadFileError("the file is neither UTF-8 nor GB18030 text; save it as CSV UTF-8")


def read_csv(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        text = decode(path.read_bytes())
    except OSError as exc:
        raise LeadFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    return rows_of(text)


def rows_of(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise LeadFileError("the file is empty; the first line must name the columns (company/公司, ...)")
    fields = []
    for name in header:
        field = _BY_HEADER.get(fold(name))
        if field is None and name.strip():
            raise LeadFileError(f"unknown column {name.strip()!r}; columns are "
                                + ", ".join(f"{f}/{names[1]}" for f, names in HEADERS.items()))
        fields.append(field)
    if "company" not in fields:
        raise LeadFileError("no company column; the header needs company (or 公司)")
    return _rows(reader, fields)


def _rows(reader, fields: list[str | None]) -> Iterator[tuple[int, dict[str, str]]]:
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        row = {f: c for f, c in zip(fields, cells) if f}
        if len(cells) > len(fields) and any(c.strip() for c in cells[len(fields):]):
            row["extra cells"] = ",".join(cells[len(fields):])  # rejected: more cells than columns
        yield reader.line_num, row
