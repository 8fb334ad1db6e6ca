"""Contract fields from OCR lines, Chinese and English: number, the two parties, the total (in
figures and in 大写, cross-checked: 大写 wins a disagreement), currency, signing date and term.

Lines are first put back into rows (same page, overlapping heights, left to right), so a label and
its value read as one row even when the detector split them. Every field carries the OCR score of
the row it came from, lowered when a cross-check failed."""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from intents.documents.reader import ContractReading, OcrLine, ReadField
from intents.rules.numerals import chinese

PARTY_A = r"甲\s*方|买\s*方|需\s*方|委托方|采购方|party\s*a|buyer|customer|purchaser|client"
PARTY_B = r"乙\s*方|卖\s*方|供\s*方|受托方|供应方|party\s*b|seller|supplier|vendor|contractor"
_PARTY_VALUE = (r"\s*(?:[（(][^)）]{0,12}[)）])?\s*[:：]\s*(?P<name>.+)")
_ANY_LABEL = re.compile(rf"(?:{PARTY_A}|{PARTY_B}|地址|address|电话|tel|日期|date|签订|signed)\s*(?:[（(][^)）]{{0,12}}[)）])?\s*[:：]",
                        re.I)
_NO = re.compile(r"(?:合\s*同\s*编\s*号|合同号|编\s*号|contract\s*(?:no|number|#)|agreement\s*(?:no|number)|no)\s*[.:：#]*\s*"
                 r"(?P<no>[A-Za-z0-9][A-Za-z0-9\-_/]{3,})", re.I)
_FIGURE = re.compile(r"(?P<cur>[¥￥$€£]|rmb|cny|usd|eur|hkd|gbp|us\$|y(?=\s?\d))?\s*"
                     r"(?P<num>\d{1,3}(?:[,.，。\s]\d{3})+(?:[.,，。]\d{1,2})?|\d+(?:[.,，。]\d{1,2})?)"
                     r"\s*(?P<unit>元|万元|美元|欧元|港币|rmb|cny|usd|eur|hkd|gbp)?", re.I)
_AMOUNT_LABEL = re.compile(r"总\s*金\s*额|合同金额|合同总价|合同价款|总价|价款|金额|total|contract\s*price|contract\s*value|amount|sum", re.I)
_CAPITAL_CHARS = "零壹贰叁肆伍陆柒捌玖拾佰仟万亿元圆角分整正"
_CAPITAL = re.compile(rf"[{_CAPITAL_CHARS}]{{2,}}")
_CAPITAL_DIGITS = str.maketrans("壹贰叁肆伍陆柒捌玖", "一二三四五六七八九")
_CURRENCIES = (("CNY", r"人民币|rmb|cny|[¥￥]|元"), ("USD", r"美元|usd|us\$|\$"), ("EUR", r"欧元|eur|€"),
               ("HKD", r"港币|港元|hkd"), ("GBP", r"英镑|gbp|£"), ("JPY", r"日元|jpy"))
_SIGNED = re.compile(r"签\s*订\s*日\s*期|签\s*署\s*日\s*期|签\s*约\s*日\s*期|签订时间|signing\s*date|date\s*of\s*signing|"
                     r"signed\s*on|signature\s*date|dated|execution\s*date", re.I)
_DATE_LABEL = re.compile(r"日\s*期|date", re.I)
_TERM = re.compile(r"合同期限|有效期|服务期限?|履行期限|期限|term|period|valid", re.I)
_MONTHS = {m: i for i, ms in enumerate((("jan", "january"), ("feb", "february"), ("mar", "march"),
                                          ("apr", "april"), ("may",), ("jun", "june"), ("jul", "july"),
                                          ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
                                          ("nov", "november"), ("dec", "december")), 1) for m in ms}
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
# OCR often drops spaces in English: "April13,2026", "fromJune28,2026", "from26March2026to25March2027"
_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[年\-/.]\s*(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})\s*日?"
    rf"|(?P<mn>{_MONTH})\.?\s*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*(?P<y2>(?:19|20)\d{{2}})"
    rf"|(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\s*(?P<mn3>{_MONTH})\.?\s*,?\s*(?P<y3>(?:19|20)\d{{2}})", re.I)


def rows(lines: list[OcrLine]) -> list[tuple[str, float]]:
    """Lines merged into rows in reading order, each with the lowest OCR score it holds."""
    out: list[tuple[str, float]] = []
    for page in sorted({ln.page for ln in lines}):
        pending = sorted((ln for ln in lines if ln.page == page), key=lambda ln: ln.y)
        groups: list[list[OcrLine]] = []
        for ln in pending:
            if groups:
                last = groups[-1]
                mid = sum(x.y for x in last) / len(last)
                tall = max(max(x.height for x in last), ln.height, 1.0)
                if abs(ln.y - mid) < 0.5 * tall:
                    last.append(ln)
                    continue
            groups.append([ln])
        for group in groups:
            group.sort(key=lambda ln: ln.x)
            out.append(("  ".join(ln.text for ln in group), min(ln.score for ln in group)))
    return out


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return text.replace("：", ":").replace("¥", "¥")


def extract(lines: list[OcrLine]) -> ContractReading:
    found = ContractReading(lines=list(lines))
    table = [(normalize(t), s) for t, s in rows(lines)]
    _contract_no(table, found)
    _parties(table, found)
    _amount(table, found)
    _dates(table, found)
    return found


def _contract_no(table, found: ContractReading) -> None:
    for text, score in table:
        m = _NO.search(text)
        if m and any(c.isdigit() for c in m["no"]):
            found.fields["contract_no"] = ReadField(m["no"].strip("-_/").upper(), score)
            return


def _parties(table, found: ContractReading) -> None:
    for field, label in (("party_a", PARTY_A), ("party_b", PARTY_B)):
        pattern = re.compile(rf"(?:^|\s|[,;，；])(?:{label}){_PARTY_VALUE}", re.I)
        for text, score in table:
            m = pattern.search(text)
            if not m:
                continue
            name = m["name"]
            cut = _ANY_LABEL.search(name)
            if cut:
                name = name[: cut.start()]
            name = re.split(r"\s{2,}|\(以下|（以下|\(hereinafter|,\s*hereinafter|\(the\s", name, flags=re.I)[0]
            name = name.strip(" :;,，；。\"'“”")
            if name.endswith(".") and not re.search(r"\b(?:ltd|inc|co|corp|llc|plc|s\.a|gmbh)\.$", name, re.I):
                name = name[:-1]
            if len(name) >= 2 and not _is_label_only(name):
                found.fields[field] = ReadField(name, score)
                break


def _is_label_only(name: str) -> bool:
    return bool(re.fullmatch(r"[（(]?(盖章|签字|签章|签名|seal|signature|stamp)[)）]?", name, re.I))


def figure_values(num: str) -> list[Decimal]:
    """The values a figure may have once OCR's ',' / '.' confusion is allowed for: the last
    separator followed by one or two digits is the decimal point, the others group thousands."""
    parts = re.split(r"[,.，。\s]", num)
    out: list[Decimal] = []
    try:
        if len(parts) > 1 and 1 <= len(parts[-1]) <= 2:
            out.append(Decimal("".join(parts[:-1]) + "." + parts[-1]))
        if all(len(p) == 3 for p in parts[1:]):
            out.append(Decimal("".join(parts)))
    except InvalidOperation:
        return []
    return out


def capital_value(text: str) -> Decimal | None:
    """人民币捌拾万元整 → 800000, 壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分 → 1234567.89."""
    text = text.replace("圆", "元").rstrip("整正")
    whole, sep, rest = text.partition("元")
    if not sep or not any(c in "壹贰叁肆伍陆柒捌玖" for c in whole):
        return None
    value = chinese(whole.translate(_CAPITAL_DIGITS).replace("拾", "十").replace("佰", "百").replace("仟", "千"))
    if value is None:
        return None
    for unit, scale in (("角", Decimal("0.1")), ("分", Decimal("0.01"))):
        m = re.search(rf"([{_CAPITAL_CHARS[:10]}])\s*{unit}", rest)
        if m:
            digit = "零壹贰叁肆伍陆柒捌玖".find(m.group(1))
            value += scale * max(digit, 0)
    return value


def _amount(table, found: ContractReading) -> None:
    figures: list[tuple[list[Decimal], float, str]] = []
    capital: tuple[Decimal, float] | None = None
    currency: tuple[str, float] | None = None
    for i, (text, score) in enumerate(table):
        low = text.lower()
        if capital is None:
            for m in _CAPITAL.finditer(text):
                value = capital_value(m.group())
                if value:
                    capital = (value, score)
                    currency = currency or _currency(low[: m.end()], score)
                    break
        if not _AMOUNT_LABEL.search(low):
            continue
        label_end = _AMOUNT_LABEL.search(low).end()
        for m in _FIGURE.finditer(text, label_end):
            if not (m["cur"] or m["unit"]) and not re.search(r"[,.，。]\d{3}", m["num"]):
                continue  # a bare small number (an item count, a clause number) is no total
            values = [v * (10_000 if (m["unit"] or "") == "万元" else 1) for v in figure_values(m["num"])]
            if values:
                figures.append((values, score, text))
                currency = currency or _currency(low, score)
                break
    if figures:
        values, score, _ = figures[0]
        if capital and capital[0] not in values:
            found.fields["amount"] = ReadField(capital[0], min(capital[1], 0.6))
            found.warnings.append(f"amount in figures ({values[0]:,.2f}) differs from the amount in words "
                                  f"({capital[0]:,.2f}); the amount in words was taken")
        elif capital:
            found.fields["amount"] = ReadField(capital[0], max(score, capital[1]))
        else:
            found.fields["amount"] = ReadField(values[0], score * (0.8 if len(set(values)) > 1 else 1))
    elif capital:
        found.fields["amount"] = ReadField(capital[0], capital[1])
    if currency is None:
        for text, score in table:
            currency = _currency(text.lower(), score * 0.8)
            if currency:
                break
    if currency:
        found.fields["currency"] = ReadField(currency[0], currency[1])


def _currency(low: str, score: float) -> tuple[str, float] | None:
    hits = [(m.start(), code) for code, pattern in _CURRENCIES for m in re.finditer(pattern, low)]
    if not hits:
        return None
    return min(hits)[1], score


def parse_dates(text: str) -> list[date]:
    out = []
    for m in _DATE.finditer(text):
        try:
            if m["y"]:
                out.append(date(int(m["y"]), int(m["m"]), int(m["d"])))
            elif m["mn"]:
                out.append(date(int(m["y2"]), _MONTHS[m["mn"].lower()], int(m["d2"])))
            else:
                out.append(date(int(m["y3"]), _MONTHS[m["mn3"].lower()], int(m["d3"])))
        except ValueError:
            continue
    return out


def _dates(table, found: ContractReading) -> None:
    fallback: tuple[date, float] | None = None
    for i, (text, score) in enumerate(table):
        here = parse_dates(text)
        nxt = parse_dates(table[i + 1][0]) if i + 1 < len(table) else []
        signed = _SIGNED.search(text)
        if signed and "signed_on" not in found.fields:
            after = parse_dates(text[signed.end():]) or nxt
            if after:
                found.fields["signed_on"] = ReadField(after[0], score)
        elif _TERM.search(text) and "start_on" not in found.fields and len(here) >= 2:
            start, end = here[0], here[1]
            if start <= end:
                found.fields["start_on"] = ReadField(start, score)
                found.fields["end_on"] = ReadField(end, score)
        elif fallback is None and _DATE_LABEL.search(text) and here:
            fallback = (here[0], score * 0.7)
    if "signed_on" not in found.fields and fallback:
        found.fields["signed_on"] = ReadField(*fallback)
