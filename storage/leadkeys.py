"""Match keys of a lead or customer: what two records must share to be the same company.

- company: `storage.names.core_name` of the name with Traditional characters made Simplified, so
  '藍鯨科技有限公司', '蓝鲸 科技', 'ＢＬＵＥ　Whale Co., Ltd.' and 'blue whale' key alike;
- phone: the last ten digits (`storage.names` does the same for duplicate accounts), so
  +86 138-0000-1111 and 13800001111 are one number;
- email: NFKC, trimmed and case-folded;
- credit code (统一社会信用代码): 18 characters, NFKC and upper-cased, checked against the
  national format (GB 32100-2015 alphabet and check digit).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from storage.names import _phone, core_name

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@lru_cache(maxsize=1)
def _t2s():
    import opencc  # dictionaries ship inside the wheel

    return opencc.OpenCC("t2s.json")


@lru_cache(maxsize=65536)
def simplified(text: str) -> str:
    return _t2s().convert(text) if _HAN.search(text) else text


def company_key(name: str | None) -> str:
    """'' for no name; else the core name of its Simplified form."""
    if not name or not name.strip():
        return ""
    return core_name(simplified(unicodedata.normalize("NFKC", name)))


def phone_key(phone: str | None) -> str | None:
    return _phone(unicodedata.normalize("NFKC", phone)) or None if phone else None


def email_key(email: str | None) -> str | None:
    if not email:
        return None
    key = unicodedata.normalize("NFKC", email).strip().casefold()
    return key or None


def valid_email(email: str) -> bool:
    return bool(_EMAIL.match(unicodedata.normalize("NFKC", email).strip()))


def credit_code_key(code: str | None) -> str | None:
    if not code:
        return None
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", code)).upper()
    return key or None


def valid_credit_code(code: str) -> bool:
    """A well-formed 统一社会信用代码: 18 characters of the official alphabet whose last one is the
    check character of the first 17."""
    key = credit_code_key(code) or ""
    if len(key) != 18 or any(c not in _CREDIT_ALPHABET for c in key):
        return False
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(key[:17], _CREDIT_WEIGHTS))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31] == key[17]
